/// When an acknowledgement is sent in enhanced mode: MSH-15 for the accept
/// acknowledgement, MSH-16 for the application acknowledgement (HL7 table 0155).
public enum AcknowledgementCondition: String, Sendable, Hashable, CaseIterable {
    /// `AL`: always.
    case always = "AL"
    /// `NE`: never.
    case never = "NE"
    /// `ER`: only when the acknowledgement reports a problem.
    case errorOnly = "ER"
    /// `SU`: only when the acknowledgement reports success.
    case successOnly = "SU"

    /// The condition an MSH-15 or MSH-16 value names. In enhanced mode an empty or
    /// unknown value reads as ``always``: an acknowledgement the sender did not need is
    /// harmless (it echoes MSH-10), a missing one makes it wait and send again.
    public init(field value: String) {
        self = AcknowledgementCondition(rawValue: value.uppercased()) ?? .always
    }

    /// Whether an acknowledgement with `code` is sent under this condition.
    public func sends(_ code: AcknowledgementCode) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .errorOnly: code.isError
        case .successOnly: !code.isError
        }
    }
}
