/// Why a message was not processed or was rejected: an HL7 error code (ERR-3) and a
/// sentence for people (ERR-8, at most ``maximumReasonCharacters`` characters of it).
public struct AcknowledgementProblem: Sendable, Hashable {
    /// The most characters of a reason an ERR segment carries (DESIGN.md section 8: an
    /// error quotes at most 80 characters of any input).
    public static let maximumReasonCharacters = 80

    /// ERR-3, from HL7 table 0357.
    public var condition: AcknowledgementErrorCondition
    /// ERR-8, the user message. It must not hold patient data; it is escaped and capped
    /// when written.
    public var reason: String

    /// Creates a problem.
    public init(_ condition: AcknowledgementErrorCondition, reason: String) {
        self.condition = condition
        self.reason = reason
    }

    /// ``reason`` capped at ``maximumReasonCharacters`` (then ending in `…`).
    public var cappedReason: String {
        guard reason.count > Self.maximumReasonCharacters else { return reason }
        return String(reason.prefix(Self.maximumReasonCharacters)) + "…"
    }
}
