/// What the listener hands the daemon at once: the messages one read of a connection
/// completed, in order, or connection events.
public struct MLLPBatch: Sendable {
    /// Messages, in the order the connection sent them.
    public var messages: [MLLPInboundMessage]
    /// Connection events.
    public var events: [MLLPConnectionEvent]

    /// Creates a batch.
    public init(messages: [MLLPInboundMessage] = [], events: [MLLPConnectionEvent] = []) {
        self.messages = messages
        self.events = events
    }
}
