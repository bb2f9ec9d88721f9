/// What the engine did with one message.
public enum ProcessingOutcome: Sendable, Hashable {
    /// The message was applied; these alerts were raised (possibly none).
    case processed([Alert])
    /// The message was seen before (same MSH-3, MSH-4, MSH-10): it changes nothing.
    case duplicate
    /// The message type means nothing to extravasd (counted, not an error).
    case ignored
    /// The message is malformed for its type: skipped, with the reason.
    case rejected(MessageRejection)

    /// The alerts raised (none unless processed).
    public var alerts: [Alert] {
        if case .processed(let alerts) = self { return alerts }
        return []
    }
}

/// Why a message was not applied: which segment and field, and why. Never quotes
/// message content (it may hold patient data).
public struct MessageRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The segment and field, e.g. `PID-3`, `MSH-7`, `OBX[2]-14`.
    public var location: String
    /// What is wrong.
    public var reason: String

    /// Creates a rejection.
    public init(location: String, reason: String) {
        self.location = location
        self.reason = reason
    }

    /// `PID-3: no patient identifier`.
    public var description: String { "\(location): \(reason)" }
}
