import Glibc

/// Checkpoints stored by another host: on a shared spool (NFS), every host sees a file
/// with the same inode and content but its own device number, so across a takeover a
/// file is recognised by its inode and content (fingerprint and tail signature), not its
/// device (DESIGN.md section 10).
extension FollowLoop {
    /// At start-up: a checkpoint whose device is not the device of its folder here (stored
    /// by another host, or before the file system was mounted again) is taken as this
    /// device's, to be claimed by the file with its inode like any other. Whether that file
    /// continues it is checked as always (fingerprint, offset, tail signature): a file of
    /// other content starts from its first byte. The stored checkpoint of the other device
    /// is released when its file is claimed or found gone (the store forgets it), and the
    /// file's checkpoint is stored under this device in the same batch.
    func adoptCheckpointsOfOtherDevices() {
        var deviceOfFolder: [String: UInt64] = [:]
        for (key, checkpoint) in pendingCheckpoints.sorted(by: { $0.value.path < $1.value.path }) {
            let folder = FeedPatterns.directory(of: checkpoint.path)
            if deviceOfFolder[folder] == nil {
                var info = stat()
                guard stat(folder, &info) == 0 else { continue }
                deviceOfFolder[folder] = UInt64(info.st_dev)
            }
            guard let device = deviceOfFolder[folder], device != key.device else { continue }
            pendingCheckpoints[key] = nil
            let local = FileKey(device: device, inode: key.inode)
            guard pendingCheckpoints[local] == nil else {
                // This device has a checkpoint of its own for the inode: it stands.
                release(checkpoint)
                continue
            }
            var adopted = checkpoint
            adopted.identity.device = device
            pendingCheckpoints[local] = adopted
            adoptedFrom[local] = checkpoint
        }
    }

    /// The file `file` claimed an adopted checkpoint (or one that replaced it): the other
    /// device's is released, and the file's checkpoint is stored at the next hand-over.
    func settleAdoption(of file: FollowedFile) {
        guard let foreign = adoptedFrom.removeValue(forKey: file.key) else { return }
        batch.released.append(foreign)
        file.sentCheckpoint = nil
    }
}
