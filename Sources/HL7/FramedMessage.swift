/// The bytes of one message as cut from a feed, before they are parsed.
public struct FramedMessage: Sendable, Hashable {
    /// How the reader knew that the message was complete.
    public enum Completion: Sendable, Hashable {
        /// The next message started.
        case nextMessage
        /// An MLLP frame end (0x1C) was seen.
        case frameEnd
        /// The input ended.
        case endOfInput
        /// The caller declared the input quiet or closed (a follower's settle time or
        /// `IN_CLOSE_WRITE`) while the message's last byte was a segment terminator.
        case settled
    }

    /// Byte offset of the message's `MSH` in the input (a byte-order mark counts).
    public var offset: Int
    /// The message from `MSH` to its end, including its last segment terminator and
    /// excluding MLLP framing bytes; for a message over the framer's size limit
    /// (``isTruncated``), only its first ``MessageFramer/oversizedPrefixBytes``.
    public var bytes: [UInt8]
    /// The message's length in the input, in bytes (more than `bytes.count` when truncated).
    public var length: Int
    /// Whether the message holds a carriage return: then segments end at CR (or
    /// CRLF) and a lone LF is text; otherwise segments end at LF.
    public var containsCarriageReturn: Bool
    /// How the message was completed.
    public var completion: Completion

    /// Creates a framed message.
    public init(offset: Int, bytes: [UInt8], containsCarriageReturn: Bool, completion: Completion) {
        self.init(
            offset: offset, bytes: bytes, length: bytes.count, containsCarriageReturn: containsCarriageReturn,
            completion: completion)
    }

    /// Creates a framed message of `length` bytes in the input of which `bytes` are the
    /// first (a message skipped for its size).
    public init(
        offset: Int, bytes: [UInt8], length: Int, containsCarriageReturn: Bool, completion: Completion
    ) {
        self.offset = offset
        self.bytes = bytes
        self.length = length
        self.containsCarriageReturn = containsCarriageReturn
        self.completion = completion
    }

    /// Creates a framed message from bytes that hold exactly one message.
    public init(offset: Int = 0, bytes: [UInt8]) {
        self.offset = offset
        self.bytes = bytes
        self.length = bytes.count
        self.containsCarriageReturn = bytes.contains(0x0D)
        self.completion = .endOfInput
    }

    /// Whether only the first bytes of the message are held (it was over the size limit).
    public var isTruncated: Bool { length > bytes.count }

    /// Byte offset just past the message.
    public var endOffset: Int { offset + length }
}
