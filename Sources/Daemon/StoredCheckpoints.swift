import FeedFollower
import StateStore

/// The store's file identity.
typealias StoredFileIdentity = StateStore.FileIdentity

extension FileCheckpoint {
    /// The stored form of a follower's checkpoint.
    init(_ checkpoint: FollowerCheckpoint) {
        self.init(
            identity: StoredFileIdentity(
                device: checkpoint.identity.device, inode: checkpoint.identity.inode,
                fingerprint: checkpoint.identity.fingerprint),
            path: checkpoint.path, offset: checkpoint.offset, tail: checkpoint.tail)
    }
}

extension FollowerCheckpoint {
    /// A follower's checkpoint from the stored form.
    init(_ stored: FileCheckpoint) {
        self.init(
            identity: FollowedFileIdentity(
                device: stored.identity.device, inode: stored.identity.inode,
                fingerprint: stored.identity.fingerprint),
            path: stored.path, offset: stored.offset, tail: stored.tail)
    }
}
