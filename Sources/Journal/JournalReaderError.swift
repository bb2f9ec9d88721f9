/// A ``JournalReader`` failure that is not a libsystemd errno (those are ``SystemdError``).
public enum JournalReaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reader was closed; no more queries can run.
    case closed

    /// One line describing the failure.
    public var description: String {
        switch self {
        case .closed: "the journal reader is closed"
        }
    }
}
