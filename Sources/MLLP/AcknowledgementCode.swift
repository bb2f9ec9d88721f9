/// MSA-1, the acknowledgement code (HL7 table 0008).
public enum AcknowledgementCode: String, Sendable, Hashable, CaseIterable {
    /// Application accept: the message was committed and processed.
    case applicationAccept = "AA"
    /// Application error: the message could not be processed.
    case applicationError = "AE"
    /// Application reject: the message was rejected (unreadable, over the size limit).
    case applicationReject = "AR"
    /// Commit accept (enhanced mode): the message was committed.
    case commitAccept = "CA"
    /// Commit error (enhanced mode): the message could not be processed.
    case commitError = "CE"
    /// Commit reject (enhanced mode): the message was rejected.
    case commitReject = "CR"

    /// Whether the code reports a problem (every code but `AA` and `CA`); such an
    /// acknowledgement carries an ERR segment.
    public var isError: Bool { self != .applicationAccept && self != .commitAccept }
}
