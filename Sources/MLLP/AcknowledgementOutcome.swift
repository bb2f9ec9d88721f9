/// What became of a received message, as its acknowledgement reports it.
public enum AcknowledgementOutcome: Sendable, Hashable {
    /// Durably committed (and processed): `AA`, or `CA` and `AA` in enhanced mode.
    case committed
    /// Received but could not be processed: `AE` (`CE` and `AE`), with an ERR segment.
    case notProcessed(AcknowledgementProblem)
    /// Rejected (an unreadable MSH, over the size limit): `AR` (`CR` and `AR`), with an
    /// ERR segment.
    case rejected(AcknowledgementProblem)

    /// The problem an ERR segment reports, if any.
    public var problem: AcknowledgementProblem? {
        switch self {
        case .committed: nil
        case .notProcessed(let problem), .rejected(let problem): problem
        }
    }
}
