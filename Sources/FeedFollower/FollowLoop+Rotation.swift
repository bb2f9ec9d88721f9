import Glibc

/// Rotation: a new file at a path waits behind the file that had the path before (read
/// to its end first), events about a rotated file under its new name, the copy of a
/// copy-truncated file.
extension FollowLoop {
    /// Whether `file` may be read now.
    ///
    /// A file whose predecessors at its path (renamed away or deleted, still held) are not
    /// let go waits while it is empty. Once it has data, its writer has moved on from them
    /// (one writer per path): they are read to their end and let go, oldest first, and
    /// then it is read. So a path's messages stay in order, and a new file is not held up
    /// by the rotation grace of the old one.
    func takeOver(from file: FollowedFile) -> Bool {
        guard file.predecessor != nil else { return true }
        var chain: [FollowedFile] = []
        var next = file.predecessor
        while let key = next, let older = files[key], older.isDraining {
            chain.append(older)
            next = older.predecessor
        }
        guard !chain.isEmpty else {
            file.predecessor = nil
            return true
        }
        guard let status = try? file.handle.status(path: file.path), status.size > 0 else { return false }
        file.predecessor = nil
        for older in chain.reversed() where files[older.key] != nil {
            older.predecessor = nil
            service(older)
            if !stopped, files[older.key] != nil { letGoOf(older) }
        }
        return !stopped
    }

    /// Whether a predecessor of `file` at its path is still held (not let go).
    func waitsForPredecessor(_ file: FollowedFile) -> Bool {
        guard let key = file.predecessor, let older = files[key] else { return false }
        return older.isDraining
    }

    /// The draining file that `path` names now, if any: events about a file renamed away
    /// within a watched folder come under its new name.
    func drainingFile(at path: String) -> FileKey? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let key = FileKey(FeedFileStatus(info))
        return files[key]?.isDraining == true ? key : nil
    }

    /// A copy of a file's old content made before the file was truncated (copytruncate),
    /// as a file to read from `offset` on, followed as `path`: the newest entry of the
    /// file's folder whose name starts with the file's name (`feed.hl7.1`,
    /// `feed.hl7-20261206`, as logrotate names it), that no pattern matches and that is not
    /// followed, whose first bytes start with `fingerprint`, that holds at least `offset`
    /// bytes, and whose bytes just before `offset` (``TailSignature/window(endingAt:)``)
    /// pass `matches`.
    ///
    /// A copy a pattern matches is not taken: it is followed as a file of its own. The name
    /// matters when little was read: two files of one feed start with the same header
    /// bytes, so a copy of another file (`other.hl7.1`) can hold every byte read of this
    /// one, and its rest would be read again as this file's.
    func copyOfOldContent(
        path: String, fingerprint: [UInt8], offset: Int, matches: ([UInt8]) -> Bool
    ) -> FollowedFile? {
        guard offset > 0, !fingerprint.isEmpty else { return nil }
        let folder = FeedPatterns.directory(of: path)
        let window = TailSignature.window(endingAt: offset)
        let ownName = String(
            path[(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex)...])
        var best:
            (
                handle: FeedFileDescriptor, status: FeedFileStatus, head: [UInt8], window: [UInt8],
                modified: Int
            )?
        for name in Self.entries(in: folder) where name.hasPrefix(ownName) && name != ownName {
            let candidate = FeedPatterns.path(name, in: folder)
            guard !patterns.matches(candidate) else { continue }
            var info = stat()
            guard stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                Int(info.st_size) >= offset,
                files[FileKey(FeedFileStatus(info))] == nil
            else { continue }
            let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
            if let best, best.modified >= modified { continue }
            guard let handle = try? FeedFileDescriptor(path: candidate),
                let status = try? handle.status(path: candidate), status.isRegular, status.size >= offset,
                let head = try? handle.bytes(
                    in: 0..<min(FileIdentity.fingerprintLength, status.size), path: candidate),
                head.starts(with: fingerprint),
                let bytes = try? handle.bytes(in: window, path: candidate), bytes.count == window.count,
                matches(bytes)
            else { continue }
            best = (handle, status, head, bytes, modified)
        }
        guard let best else { return nil }
        let copy = FollowedFile(
            key: FileKey(best.status), path: path, handle: best.handle,
            identity: FileIdentity(
                device: best.status.device, inode: best.status.inode, fingerprint: best.head),
            startingAt: offset, limits: settings.limits, now: clock.now)
        copy.recent = best.window
        return copy
    }

    /// The names of the entries of `folder` (without `.` and `..`).
    static func entries(in folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(
                    to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)
                ) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
