import HL7

/// One complete message read from a followed file, or the error that made it unreadable.
public struct FollowedMessage: Sendable {
    /// The path the file was followed as (for a rotated file: its path before rotation).
    public var path: String
    /// The file's identity when the message was read.
    public var identity: FileIdentity
    /// Byte offset of the message's `MSH` in the file.
    public var offset: Int
    /// Byte offset just past the message.
    public var endOffset: Int
    /// The parsed message, or why it could not be read (its offset counted from the file's start).
    public var result: Result<Message, HL7ReadError>
    /// For a message that could not be read: its bytes as they stand in the file (for the
    /// dead letters; of a message over the size limit, its first 64 KiB only); empty for
    /// a readable message.
    public var unreadableBytes: [UInt8]

    /// Creates a followed message.
    public init(
        path: String, identity: FileIdentity, offset: Int, endOffset: Int,
        result: Result<Message, HL7ReadError>, unreadableBytes: [UInt8] = []
    ) {
        self.path = path
        self.identity = identity
        self.offset = offset
        self.endOffset = endOffset
        self.result = result
        self.unreadableBytes = unreadableBytes
    }
}
