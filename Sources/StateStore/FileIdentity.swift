/// What tells one followed file from another: where it lives on disk and how it begins.
///
/// Device and inode alone are not enough (inodes are reused, and copytruncate or
/// truncate-and-rewrite keep the inode while replacing the content), so the identity
/// also holds a fingerprint of the file's first bytes: those bytes themselves (up to
/// ``maximumFingerprintLength``) or a hex digest of them, as the follower chooses.
public struct FileIdentity: Sendable, Hashable, Codable {
    /// The longest fingerprint the store accepts, in bytes.
    public static let maximumFingerprintLength = 64

    /// The device number (`st_dev`).
    public var device: UInt64
    /// The inode number (`st_ino`).
    public var inode: UInt64
    /// The first bytes of the file (at most ``maximumFingerprintLength``), or a digest of them.
    public var fingerprint: [UInt8]

    /// Creates an identity.
    public init(device: UInt64, inode: UInt64, fingerprint: [UInt8]) {
        self.device = device
        self.inode = inode
        self.fingerprint = fingerprint
    }

    /// The number of fingerprint bytes.
    public var fingerprintLength: Int { fingerprint.count }
}
