/// Frames and parses messages from a byte stream: the whole HL7 read path without I/O.
///
/// Hand it chunks with ``append(_:)``; ``next()`` yields each message, or the error that
/// made it unreadable (with its offset), and never stops at a bad message.
public struct MessageReader: Sendable {
    /// The framer underneath (its offsets and counters).
    public private(set) var framer: MessageFramer
    /// Limits each message is held to. A message over ``ParseLimits/maximumMessageBytes``
    /// is skipped while it streams (never held whole) and yields
    /// ``HL7ReadError/Code/messageTooLarge`` with its length and first 64 KiB.
    public var limits: ParseLimits {
        didSet { framer.maximumMessageBytes = limits.maximumMessageBytes }
    }

    /// A reader at the start of an input.
    public init(limits: ParseLimits = .unlimited) {
        framer = MessageFramer(maximumMessageBytes: limits.maximumMessageBytes)
        self.limits = limits
    }

    /// A reader resuming at a recorded message boundary.
    public init(resumingAt offset: Int, limits: ParseLimits = .unlimited) {
        framer = MessageFramer(resumingAt: offset, maximumMessageBytes: limits.maximumMessageBytes)
        self.limits = limits
    }

    /// Appends the next bytes of the input.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) { framer.append(bytes) }

    /// Appends the next bytes of the input.
    public mutating func append<Bytes: Collection>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        framer.append(contentsOf: bytes)
    }

    /// Declares the end of the input.
    public mutating func finish() { framer.finish() }

    /// The next message (or the error for an unreadable one); `nil` when more input is needed.
    public mutating func next() -> Result<Message, HL7ReadError>? {
        guard let framed = framer.next() else { return nil }
        lastMessageOffset = framed.offset
        lastMessageEndOffset = framed.endOffset
        return read(framed)
    }

    /// Parses `framed`, keeping its bytes when it is unreadable.
    private mutating func read(_ framed: FramedMessage) -> Result<Message, HL7ReadError> {
        let result = Result { () throws(HL7ReadError) in try Message(framed, limits: limits) }
        if case .failure = result { lastUnreadableBytes = framed.bytes }
        return result
    }

    /// The bytes of the message last returned when it was unreadable, as framed (for the
    /// dead letters: the input may be gone by then, a file truncated); read it right after
    /// the failure, it is not cleared by a readable message. For a message over the size
    /// limit, its first bytes only.
    public private(set) var lastUnreadableBytes: [UInt8] = []

    /// Offset of the `MSH` of the message last returned by ``next()`` (also when it was unreadable).
    public private(set) var lastMessageOffset = 0

    /// Offset just past the message last returned (a boundary to resume at later).
    public private(set) var lastMessageEndOffset = 0

    /// Completes the pending message when its last byte is a segment terminator (a
    /// follower's settle time or close-write); `nil` when there is none.
    public mutating func completePending() -> Result<Message, HL7ReadError>? {
        guard let framed = framer.completePending() else { return nil }
        lastMessageOffset = framed.offset
        lastMessageEndOffset = framed.endOffset
        return read(framed)
    }

    /// Every message in `bytes`, read at once (for tests and small inputs).
    public static func readAll<Bytes: Collection>(_ bytes: Bytes, limits: ParseLimits = .unlimited)
        -> [Result<Message, HL7ReadError>] where Bytes.Element == UInt8
    {
        var reader = MessageReader(limits: limits)
        reader.append(contentsOf: bytes)
        reader.finish()
        var results: [Result<Message, HL7ReadError>] = []
        while let result = reader.next() { results.append(result) }
        return results
    }
}
