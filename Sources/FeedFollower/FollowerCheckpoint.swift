/// Where reading a file stands: a message boundary that a restart resumes at, so that
/// no message is lost or repeated.
public struct FollowerCheckpoint: Sendable, Hashable, Codable {
    /// The file (device, inode, fingerprint of its first bytes).
    public var identity: FileIdentity
    /// The path it was followed as (informational: a file is recognised by its identity).
    public var path: String
    /// The byte offset of the first byte not yet handed out in a message or event.
    public var offset: Int
    /// The ``TailSignature`` of the bytes just before ``offset``: a file resumes here only
    /// when its bytes there still match (empty: not checked, e.g. a checkpoint stored by
    /// an older version).
    public var tail: [UInt8]

    /// Creates a checkpoint.
    public init(identity: FileIdentity, path: String, offset: Int, tail: [UInt8] = []) {
        self.identity = identity
        self.path = path
        self.offset = offset
        self.tail = tail
    }

    private enum CodingKeys: String, CodingKey {
        case identity, path, offset, tail
    }

    /// Decodes a checkpoint; one encoded without ``tail`` gets an empty (unchecked) one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        identity = try container.decode(FileIdentity.self, forKey: .identity)
        path = try container.decode(String.self, forKey: .path)
        offset = try container.decode(Int.self, forKey: .offset)
        tail = try container.decodeIfPresent([UInt8].self, forKey: .tail) ?? []
    }
}
