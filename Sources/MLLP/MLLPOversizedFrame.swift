/// A frame whose message was longer than ``MLLPFrameDecoder/maximumFrameBytes``.
public struct MLLPOversizedFrame: Sendable, Hashable {
    /// The message's full length in bytes (framing excluded); only ``head`` was kept.
    public var length: Int
    /// The message's first bytes, at most ``MLLPFrameDecoder/oversizedHeadBytes`` and at
    /// most the limit: its MSH, to answer with a rejection.
    public var head: [UInt8]

    /// Creates a record of an oversized frame.
    public init(length: Int, head: [UInt8]) {
        self.length = length
        self.head = head
    }
}
