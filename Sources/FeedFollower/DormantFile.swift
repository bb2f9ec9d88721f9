/// A followed file that is fully read and was closed while idle (or to make room for
/// others): what it takes to open it again as the same file, and to notice that it
/// changed.
///
/// Its device and inode may be reused once it is deleted: on waking, the file is
/// opened again through its path and resumed only when its checkpoint (fingerprint of
/// the first bytes, signature of the bytes before the offset) still matches, as after a
/// restart; a changed identity is a rotation or replacement, handled as such.
struct DormantFile {
    var key: FileKey
    /// Where it is read to (its path is where it was last seen).
    var checkpoint: FollowerCheckpoint
    /// Size and modification time when it was closed.
    var size: Int
    var modified: Int
    /// The batch that carried its checkpoint (committed once acknowledged).
    var sequence: Int
    /// An event named it since it was closed: it may have grown before it went away.
    var touched = false
    /// When acting on it after reading failed last (retried at a rescan).
    var afterReadFailed = false

    var path: String { checkpoint.path }

    /// Whether `status` (of its path) shows it as it was closed.
    func isUnchanged(_ status: FeedFileStatus) -> Bool {
        FileKey(status) == key && status.size == size && status.modified == modified
    }
}
