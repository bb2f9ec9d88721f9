/// How far one followed file has been processed.
public struct FileCheckpoint: Sendable, Hashable {
    /// The file.
    public var identity: FileIdentity
    /// The path the file was last seen at (informative: a renamed file keeps its identity).
    public var path: String
    /// The byte offset up to which messages are processed: always a message boundary,
    /// where reading resumes after a restart.
    public var offset: Int
    /// A signature of the bytes just before ``offset`` (at most ``maximumTailLength``
    /// bytes, opaque to the store): the follower resumes the file only when they still
    /// match. Empty when unknown (checkpoints stored before it was kept).
    public var tail: [UInt8]

    /// The longest ``tail`` the store accepts, in bytes.
    public static let maximumTailLength = 64

    /// Creates a checkpoint.
    public init(identity: FileIdentity, path: String, offset: Int, tail: [UInt8] = []) {
        self.identity = identity
        self.path = path
        self.offset = offset
        self.tail = tail
    }
}
