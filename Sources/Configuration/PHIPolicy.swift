/// `phi`: how much patient-identifying data alerts, the journal and replay output carry.
public enum PHIPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// The MRN, visit and location (never names or birth dates). The default.
    case identifiers
    /// MRN, visit and location replaced by a keyed HMAC (key file in the config folder).
    case pseudonymized
    /// Only the location.
    case minimal
}
