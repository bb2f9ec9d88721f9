import Glibc

/// Which files are followed: the pattern scan, new files (resumed from a checkpoint when
/// they match one), files renamed away or deleted.
extension FollowLoop {
    /// Brings the followed files in line with the files the patterns match now.
    func scan(found paths: [String]) {
        var found: [(path: String, key: FileKey)] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            found.append((path, FileKey(FeedFileStatus(info))))
        }
        // Files still (or again) named by a pattern.
        var seen = Set<FileKey>()
        for (path, key) in found {
            guard let file = files[key] else { continue }
            if seen.insert(key).inserted {
                file.drainingSince = nil
                if !found.contains(where: { $0.key == key && $0.path == file.path }) { file.path = path }
            }
        }
        // Files no pattern names any more: renamed away or deleted; read them to the end.
        for key in order where !seen.contains(key) {
            guard !stopped, let file = files[key], !file.isDraining else { continue }
            beginDraining(file)
        }
        rebuildActivePaths()
        // New files. One at a path whose previous file is still being drained is opened at
        // once but read only after that one (see `takeOver(from:)`), so that a path's
        // messages stay in order.
        for (path, key) in found where files[key] == nil {
            guard !stopped else { return }
            let predecessor = order.last { files[$0]?.isDraining == true && files[$0]?.path == path }
            open(path: path, after: predecessor)
        }
        rebuildActivePaths()
    }

    private func rebuildActivePaths() {
        activeByPath.removeAll(keepingCapacity: true)
        for key in order {
            guard let file = files[key], !file.isDraining else { continue }
            activeByPath[file.path] = key
        }
    }

    /// Reads `file` to its current end and starts draining it: it is let go once quiet for
    /// the rotation grace, or once a new file at its path has data.
    private func beginDraining(_ file: FollowedFile) {
        service(file)
        file.drainingSince = clock.now
        let links = (try? file.handle.status(path: file.path))?.links ?? 0
        if links > 0 { add(.rotated(path: file.path), about: file) }
    }

    /// Starts following the file at `path`: from a matching checkpoint, else from its start.
    /// `predecessor`: the file that had the path before, still being drained.
    private func open(path: String, after predecessor: FileKey?) {
        guard let (handle, status, fingerprint) = openFile(path) else { return }
        let key = FileKey(status)
        guard files[key] == nil else { return }  // replaced between the stat and the open
        let identity = FileIdentity(device: status.device, inode: status.inode, fingerprint: fingerprint)
        var start = 0
        var replaced: FollowerCheckpoint?
        if let index = pendingCheckpoints.firstIndex(where: { $0.identity.hasSameInode(as: identity) }) {
            let checkpoint = pendingCheckpoints.remove(at: index)
            if resumes(handle, status: status, identity: identity, at: checkpoint) {
                start = checkpoint.offset
            } else {
                replaced = checkpoint
            }
        }
        let file = FollowedFile(
            key: key, path: path, handle: handle, identity: identity, startingAt: start,
            limits: settings.limits,
            now: clock.now)
        file.predecessor = predecessor
        if start > 0 { file.recent = (try? handle.bytes(in: recentRange(endingAt: start), path: path)) ?? [] }
        files[key] = file
        order.append(key)
        add(.opened(path: path), about: file)
        if let replaced {
            // Truncated or rewritten while the service was down, or another file that got
            // the inode: the rest of the old content first, if a copy holds it (copytruncate).
            add(.truncated(path: path), about: file)
            if !replaced.tail.isEmpty,
                let copy = copyOfOldContent(
                    path: path, fingerprint: replaced.identity.fingerprint, offset: replaced.offset,
                    matches: { TailSignature.matches(replaced.tail, $0) })
            {
                readToEndAndLetGo(copy)
            }
        }
        service(file)
    }

    /// Whether the file open as `handle` continues `checkpoint`: same device and inode,
    /// the checkpoint's fingerprint a prefix of its first bytes, at least the checkpoint's
    /// offset long, and the bytes just before that offset matching the checkpoint's tail.
    private func resumes(
        _ handle: FeedFileDescriptor, status: FeedFileStatus, identity: FileIdentity,
        at checkpoint: FollowerCheckpoint
    ) -> Bool {
        guard identity.continues(checkpoint.identity), checkpoint.offset <= status.size else { return false }
        guard !checkpoint.tail.isEmpty else { return true }
        let window = TailSignature.window(endingAt: checkpoint.offset)
        guard let bytes = try? handle.bytes(in: window, path: checkpoint.path) else { return false }
        return TailSignature.matches(checkpoint.tail, bytes)
    }

    /// The bytes a file resumed at `offset` keeps as the last read.
    private func recentRange(endingAt offset: Int) -> Range<Int> {
        max(0, offset - FollowedFile.recentLength)..<offset
    }

    private func openFile(_ path: String) -> (FeedFileDescriptor, FeedFileStatus, [UInt8])? {
        do {
            let handle = try FeedFileDescriptor(path: path)
            let status = try handle.status(path: path)
            guard status.isRegular else { return nil }
            let fingerprint = try handle.bytes(
                in: 0..<min(FileIdentity.fingerprintLength, status.size), path: path)
            forgetErrors(about: path)
            return (handle, status, fingerprint)
        } catch {
            report(error)
            return nil
        }
    }

    /// At start-up: a checkpointed file that no pattern names any more but that still
    /// sits in its folder under another name (rotated while the service was down) is
    /// read from its checkpoint to its end, then let go.
    func recoverRotatedFiles(found paths: [String]) {
        guard !pendingCheckpoints.isEmpty else { return }
        var foundKeys = Set<FileKey>()
        for path in paths {
            var info = stat()
            if stat(path, &info) == 0 { foundKeys.insert(FileKey(FeedFileStatus(info))) }
        }
        for checkpoint in pendingCheckpoints {
            let key = FileKey(device: checkpoint.identity.device, inode: checkpoint.identity.inode)
            guard !foundKeys.contains(key), files[key] == nil, !stopped else { continue }
            let folder = FeedPatterns.directory(of: checkpoint.path)
            guard let name = Self.entry(in: folder, inode: checkpoint.identity.inode) else { continue }
            let path = FeedPatterns.path(name, in: folder)
            guard let (handle, status, fingerprint) = openFile(path), FileKey(status) == key else { continue }
            let identity = FileIdentity(device: status.device, inode: status.inode, fingerprint: fingerprint)
            guard resumes(handle, status: status, identity: identity, at: checkpoint) else { continue }
            pendingCheckpoints.removeAll { $0 == checkpoint }
            let file = FollowedFile(
                key: key, path: checkpoint.path, handle: handle, identity: identity,
                startingAt: checkpoint.offset,
                limits: settings.limits, now: clock.now)
            file.recent = (try? handle.bytes(in: recentRange(endingAt: checkpoint.offset), path: path)) ?? []
            files[key] = file
            order.append(key)
            add(.opened(path: checkpoint.path), about: file)
            add(.rotated(path: checkpoint.path), about: file)
            file.drainingSince = clock.now
            service(file)
        }
    }

    /// The name of the entry of `folder` with inode `inode`, if any.
    static func entry(in folder: String, inode: UInt64) -> String? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            guard UInt64(entry.pointee.d_ino) == inode else { continue }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(
                    to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)
                ) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { return name }
        }
        return nil
    }
}
