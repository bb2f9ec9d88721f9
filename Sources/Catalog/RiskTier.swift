/// How much harm a drug does when it leaks out of the vein into the tissue.
///
/// The tiers are ordered (`low < moderate < high`): when several exposures share a
/// site, the alert names the drug of highest risk, and severity rules read the tier.
public enum RiskTier: String, Sendable, Codable, Comparable, CaseIterable {
    /// Irritant at worst (e.g. lactated Ringer's): an alert, never escalated by the drug alone.
    case low
    /// Vesicant in some conditions (e.g. parenteral nutrition, dextrose >= 10%).
    case moderate
    /// Vesicant (e.g. calcium chloride, calcium gluconate, vasopressors).
    case high

    /// The tier's position in the order `low`, `moderate`, `high`.
    private var rank: Int {
        switch self {
        case .low: return 0
        case .moderate: return 1
        case .high: return 2
        }
    }

    /// `true` when `lhs` is a lower risk than `rhs`.
    public static func < (lhs: RiskTier, rhs: RiskTier) -> Bool {
        lhs.rank < rhs.rank
    }
}
