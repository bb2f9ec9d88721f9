import Glibc

/// Many files: only files being read stay open. A file fully read and idle for
/// ``FollowerSettings/closeIdle`` — or the least recently used such file, when
/// ``FollowLoop/openBudget`` files are open — is closed (``DormantFile``) and opened
/// again when it changes, its identity checked again.
extension FollowLoop {
    /// Frees a descriptor for one more file when ``openBudget`` are open, by closing the
    /// least recently grown file at rest. `false` when every open file is busy.
    func makeRoom() -> Bool {
        if files.count >= openBudget { completeQuietFiles() }
        while files.count >= openBudget {
            var oldest: FollowedFile?
            for key in order {
                guard let file = files[key], file.isAtRest, !isPredecessor(file) else { continue }
                if oldest.map({ file.lastGrowth < $0.lastGrowth }) ?? true { oldest = file }
            }
            guard let oldest, putToSleep(oldest) else { return false }
        }
        return true
    }

    /// Closes open files at rest that stayed unchanged for ``FollowerSettings/closeIdle``.
    func closeIdleFiles() {
        let now = clock.now
        for key in order {
            guard !stopped, let file = files[key], file.isAtRest,
                now >= file.lastGrowth.advanced(by: settings.closeIdle), !isPredecessor(file)
            else { continue }
            putToSleep(file)
        }
        // A budget shrunk by a shortage grows back slowly once files open again.
        if !inShortage && openBudget < initialOpenBudget && now >= retryOpensAt.advanced(by: .seconds(10)) {
            openBudget = min(initialOpenBudget, openBudget + max(1, initialOpenBudget / 16))
            retryOpensAt = now
        }
    }

    /// Whether a file waits behind `file` at its path.
    func isPredecessor(_ file: FollowedFile) -> Bool {
        file.isDraining && files.values.contains { $0.predecessor == file.key }
    }

    /// Closes `file` (at rest), keeping what it takes to open it again. Its checkpoint
    /// goes out with the batch being built when it moved since the last one.
    @discardableResult
    func putToSleep(_ file: FollowedFile) -> Bool {
        // (Not read again here: a file that grew is serviced through its events; one
        // rewritten while closed is caught when it is opened again.)
        guard file.isAtRest, let status = try? file.handle.status(path: file.path),
            status.size == file.readOffset
        else { return false }
        let current = checkpoint(of: file)
        var sequence = file.checkpointSequence
        if current != file.sentCheckpoint {
            batch.checkpoints.append(current)
            sequence = self.sequence + 1
        }
        var asleep = DormantFile(
            key: file.key, checkpoint: current, size: status.size, modified: status.modified,
            sequence: sequence)
        asleep.afterReadFailed = file.afterReadFailed
        files[file.key] = nil
        order.removeAll { $0 == file.key }
        if activeByPath[file.path] == file.key { activeByPath[file.path] = nil }
        dormant[file.key] = asleep
        dormantByPath[file.path] = file.key
        return true
    }

    /// Opens the dormant files that changed again (as descriptors allow), in the order
    /// their changes were seen.
    func wakeChangedFiles() {
        var index = 0
        while index < toWake.count && !stopped {
            let key = toWake[index]
            guard let asleep = dormant[key] else {
                index += 1
                continue
            }
            guard clock.now >= retryOpensAt, makeRoom() else { break }
            var info = stat()
            let there = lstat(asleep.path, &info) == 0 && FileKey(FeedFileStatus(info)) == key
            if !there {
                // Not at its path any more: a scan of the path decides (renamed or gone).
                if lstat(asleep.path, &info) != 0 && errno != ENOENT && errno != ENOTDIR {
                    index += 1
                    continue
                }
                index += 1
                reconcile(scanPaths([asleep.path]), scope: [asleep.path])
                continue
            }
            dormant[key] = nil
            if dormantByPath[asleep.path] == key { dormantByPath[asleep.path] = nil }
            let outcome = open(
                path: asleep.path, after: nil, checkpoint: asleep.checkpoint, sequence: asleep.sequence,
                expected: key)
            if outcome == .shortage {
                dormant[key] = asleep
                dormantByPath[asleep.path] = key
                break
            }
            if outcome == .skipped {
                // Replaced between the stat and the open: the path's scan decides.
                dormant[key] = asleep
                dormantByPath[asleep.path] = key
                index += 1
                continue
            }
            files[key]?.afterReadFailed = asleep.afterReadFailed
            index += 1
        }
        toWake.removeFirst(min(index, toWake.count))
        rebuildActivePaths()
    }

    /// A dormant file is no longer at its path and no scanned path names it. When it was
    /// renamed away or changed since it was closed, it is looked for in its folder by
    /// inode and, found with its identity, followed there as a rotated file (read to its
    /// end, kept for the rotation grace: its writer may append until it reopens the
    /// path); else (deleted) it was fully read: it is let go, its checkpoint released.
    func dormantLeftItsPath(_ asleep: DormantFile) {
        dormant[asleep.key] = nil
        if dormantByPath[asleep.path] == asleep.key { dormantByPath[asleep.path] = nil }
        toWake.removeAll { $0 == asleep.key }
        if asleep.touched {
            let folder = FeedPatterns.directory(of: asleep.path)
            if let name = Self.entriesByInode(in: folder)[asleep.key.inode],
                case .success(let (handle, status, fingerprint)) = openFile(
                    FeedPatterns.path(name, in: folder)),
                FileKey(status) == asleep.key
            {
                let identity = FileIdentity(
                    device: status.device, inode: status.inode, fingerprint: fingerprint)
                if resumes(handle, status: status, identity: identity, at: asleep.checkpoint) {
                    let file = FollowedFile(
                        key: asleep.key, path: asleep.path, handle: handle, identity: identity,
                        startingAt: asleep.checkpoint.offset, limits: settings.limits, now: clock.now)
                    file.recent =
                        (try? handle.bytes(
                            in: recentRange(endingAt: asleep.checkpoint.offset), path: asleep.path))
                        ?? []
                    file.sentCheckpoint = asleep.checkpoint
                    file.checkpointSequence = asleep.sequence
                    files[asleep.key] = file
                    order.append(asleep.key)
                    add(.rotated(path: asleep.path), about: file)
                    file.drainingSince = clock.now
                    service(file)
                    return
                }
            }
        }
        addEvent(.closed(path: asleep.path))
        release(asleep.checkpoint)
    }

    /// After a rescan: dormant files that changed unseen (no event) are woken.
    func checkDormantFilesAfterRescan() {
        // reconcile(_:scope:) compared every found dormant file with its snapshot.
        wakeChangedFiles()
    }

    /// Adds an event about a file that is not open.
    func addEvent(_ event: FeedEvent) {
        batch.events.append(event)
        if batch.events.count >= max(1, settings.maximumBatchMessages) { flush() }
    }

    /// Folders could all be read again.
    func forgetGlobShortage() {
        if inShortage && files.count < openBudget { inShortage = false }
    }
}
