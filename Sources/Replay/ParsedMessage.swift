import HL7

/// One message as read from a feed: what was prepared from it (or the error that made it
/// unreadable) and where it lies in the input.
public struct ParsedMessage<Prepared> {
    /// What the preparation step made of the message, or why the message is unreadable.
    public var result: Result<Prepared, HL7ReadError>
    /// Offset of the message's `MSH` (``MessageReader/lastMessageOffset``).
    public var offset: Int
    /// Offset just past the message (``MessageReader/lastMessageEndOffset``): where a later
    /// read resumes.
    public var endOffset: Int

    /// A message read at `offset ..< endOffset`.
    public init(result: Result<Prepared, HL7ReadError>, offset: Int, endOffset: Int) {
        self.result = result
        self.offset = offset
        self.endOffset = endOffset
    }
}

extension ParsedMessage: Sendable where Prepared: Sendable {}
