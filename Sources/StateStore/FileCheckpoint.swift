/// How far one followed file has been processed.
public struct FileCheckpoint: Sendable, Hashable {
    /// The file.
    public var identity: FileIdentity
    /// The path the file was last seen at (informative: a renamed file keeps its identity).
    public var path: String
    /// The byte offset up to which messages are processed: always a message boundary,
    /// where reading resumes after a restart.
    public var offset: Int

    /// Creates a checkpoint.
    public init(identity: FileIdentity, path: String, offset: Int) {
        self.identity = identity
        self.path = path
        self.offset = offset
    }
}
