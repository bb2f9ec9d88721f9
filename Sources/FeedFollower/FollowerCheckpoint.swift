/// Where reading a file stands: a message boundary that a restart resumes at, so that
/// no message is lost or repeated.
public struct FollowerCheckpoint: Sendable, Hashable, Codable {
    /// The file (device, inode, fingerprint of its first bytes).
    public var identity: FileIdentity
    /// The path it was followed as (informational: a file is recognised by its identity).
    public var path: String
    /// The byte offset of the first byte not yet handed out in a message or event.
    public var offset: Int

    /// Creates a checkpoint.
    public init(identity: FileIdentity, path: String, offset: Int) {
        self.identity = identity
        self.path = path
        self.offset = offset
    }
}
