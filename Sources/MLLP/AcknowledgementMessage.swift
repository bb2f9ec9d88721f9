/// One acknowledgement to send: its MSA-1 code and its bytes (unframed: see
/// ``MLLPFrameEncoder``).
public struct AcknowledgementMessage: Sendable, Hashable {
    /// MSA-1.
    public var code: AcknowledgementCode
    /// The message, segments ended by CR.
    public var bytes: [UInt8]

    /// Creates an acknowledgement message.
    public init(code: AcknowledgementCode, bytes: [UInt8]) {
        self.code = code
        self.bytes = bytes
    }
}
