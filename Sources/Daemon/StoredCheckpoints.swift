import StateStore

/// The store's file identity.
typealias StoredFileIdentity = FileIdentity

extension FileCheckpoint {
    /// A stored checkpoint from the follower's values.
    init(device: UInt64, inode: UInt64, fingerprint: [UInt8], path: String, offset: Int) {
        self.init(
            identity: StoredFileIdentity(device: device, inode: inode, fingerprint: fingerprint), path: path,
            offset: offset)
    }
}
