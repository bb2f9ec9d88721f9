import Catalog
import Signs

/// How urgent an alert is. Journald PRIORITY: critical 2, high 3, moderate 4.
public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case moderate, high, critical

    /// Orders severities from moderate to critical.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .moderate: return 0
        case .high: return 1
        case .critical: return 2
        }
    }

    /// The journald PRIORITY for an alert of this severity.
    public var journalPriority: Int {
        switch self {
        case .critical: return 2
        case .high: return 3
        case .moderate: return 4
        }
    }

    /// One step lower, never below moderate.
    public var lowered: Severity {
        switch self {
        case .critical: return .high
        case .high, .moderate: return .moderate
        }
    }

    /// The severity rule of DESIGN.md section 4, on the episode's distinct sign kinds.
    ///
    /// - critical: a high drug and (two or more signs, or a major sign, or a risk
    ///   factor); or a moderate drug with two or more signs and a risk factor.
    /// - high: any other sign at a high drug's site; or a moderate drug with two or
    ///   more signs or a risk factor.
    /// - moderate: everything else that alerts.
    /// Under watch only (the infusion no longer flows at that site) lowers it one step.
    /// Hypocalcemia never raises severity.
    public static func assess(
        risk: RiskTier, signs: Set<SignKind>, riskFactors: Set<RiskFactor>, infusionActive: Bool
    ) -> Severity {
        let acute = signs.subtracting([.calcinosis])
        let twoOrMore = acute.count >= 2
        let major = acute.contains { $0.isMajor }
        let factor = !riskFactors.subtracting([.hypocalcemia]).isEmpty
        var severity: Severity
        switch risk {
        case .high:
            severity = twoOrMore || major || factor ? .critical : .high
        case .moderate:
            severity = twoOrMore && factor ? .critical : (twoOrMore || factor ? .high : .moderate)
        case .low:
            severity = .moderate
        }
        if !infusionActive { severity = severity.lowered }
        return severity
    }
}
