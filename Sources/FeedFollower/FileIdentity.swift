/// Which file a followed feed is: device and inode, plus a fingerprint of its first bytes.
///
/// Device and inode alone cannot tell a file from one that reused its inode, nor from
/// itself truncated and rewritten; the fingerprint can. It is the first up to
/// ``fingerprintLength`` bytes of the file, not its first `\n`-terminated line (an HL7
/// file may hold no `\n` at all). A file shorter than that has a shorter fingerprint,
/// which grows as the file does.
public struct FileIdentity: Sendable, Hashable, Codable {
    /// The file system's device number (`st_dev`).
    public var device: UInt64
    /// The inode number (`st_ino`).
    public var inode: UInt64
    /// The file's first up to ``fingerprintLength`` bytes.
    public var fingerprint: [UInt8]

    /// How many leading bytes a fingerprint holds at most: 64.
    public static let fingerprintLength = 64

    /// Creates an identity.
    public init(device: UInt64, inode: UInt64, fingerprint: [UInt8]) {
        self.device = device
        self.inode = inode
        self.fingerprint = fingerprint
    }

    /// Whether this (current) identity is the same file as `earlier`, grown or unchanged:
    /// same device and inode, and `earlier`'s fingerprint is a prefix of this one.
    public func continues(_ earlier: FileIdentity) -> Bool {
        device == earlier.device && inode == earlier.inode && fingerprint.starts(with: earlier.fingerprint)
    }

    /// Whether both name the same device and inode (whatever their content).
    public func hasSameInode(as other: FileIdentity) -> Bool {
        device == other.device && inode == other.inode
    }
}
