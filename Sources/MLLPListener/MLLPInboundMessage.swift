import MLLP

/// One message received on an MLLP connection, handed to the daemon. The daemon calls
/// ``complete(_:)`` once the store commit that covers it is done (or when it cannot be
/// processed); the connection then writes its acknowledgement, in the order the messages
/// came.
public struct MLLPInboundMessage: Sendable {
    /// The peer, `ADDRESS:PORT` (`[ADDRESS]:PORT` for IPv6).
    public var peer: String
    /// The message, or why the frame is not one.
    public var received: MLLPReceived
    private let completion: @Sendable (AcknowledgementOutcome) -> Void

    /// Creates a message; `completion` sends its acknowledgement.
    public init(
        peer: String, received: MLLPReceived, completion: @escaping @Sendable (AcknowledgementOutcome) -> Void
    ) {
        self.peer = peer
        self.received = received
        self.completion = completion
    }

    /// Answers the message with `outcome` (the first call counts; later ones do nothing).
    public func complete(_ outcome: AcknowledgementOutcome) {
        completion(outcome)
    }
}
