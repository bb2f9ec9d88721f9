import Glibc

/// Which files are followed: the pattern scan, new files (resumed from a checkpoint when
/// they match one), files renamed away or deleted.
extension FollowLoop {
    /// Brings the followed files in line with what a scan found. `scope`: the paths the
    /// scan looked at (`nil`: every pattern). A followed file whose path is in scope and
    /// that the scan did not find anywhere left its path (renamed away or deleted) —
    /// unless the scan is incomplete (a folder could not be read), when nothing is taken
    /// for gone. New files are queued in the order found, and opened by ``openWaiting()``,
    /// except those in `leftToEvents` (see ``scanAllPatterns()``). `inNameOrder` (a full
    /// scan after lost events): the files queued before and not opened yet are queued
    /// again with those found now, in the scan's order (by name within a pattern). Events
    /// named some of them before the loss, in the order they were written; the others
    /// lost theirs, and a scan only knows names: without this, the files named by events
    /// would be opened, and read, before files written earlier.
    func reconcile(
        _ scan: PatternScan, scope: Set<String>?, leftToEvents: Set<String> = [], inNameOrder: Bool = false
    ) {
        var foundAt: [String: FileKey] = [:]
        for entry in scan.files { foundAt[entry.path] = entry.key }
        var seen = Set<FileKey>()
        for entry in scan.files {
            let key = entry.key
            if let file = files[key] {
                if seen.insert(key).inserted {
                    file.drainingSince = nil
                    if foundAt[file.path] != key { file.path = entry.path }
                }
            } else if var asleep = dormant[key] {
                if seen.insert(key).inserted, foundAt[asleep.path] != key {
                    if dormantByPath[asleep.path] == key { dormantByPath[asleep.path] = nil }
                    asleep.checkpoint.path = entry.path
                    dormantByPath[entry.path] = key
                    dormant[key] = asleep
                }
                if !asleep.isUnchanged(entry.status) && !toWake.contains(key) { toWake.append(key) }
            }
        }
        if scan.complete {
            // Files no pattern names any more: renamed away or deleted; read them to the end.
            for key in order where !seen.contains(key) {
                guard !stopped, let file = files[key], !file.isDraining else { continue }
                if let scope, !scope.contains(file.path) { continue }
                beginDraining(file)
            }
            let asleep: [FileKey] =
                if let scope { scope.compactMap { dormantByPath[$0] } } else { Array(dormant.keys) }
            for key in asleep where !seen.contains(key) {
                guard !stopped, let file = dormant[key] else { continue }
                dormantLeftItsPath(file)
            }
        }
        rebuildActivePaths()
        // New files, in the order found (by name within a pattern).
        var requeued: ArraySlice<String> = []
        if inNameOrder {
            requeued = waiting[waitingHead...]
            waiting = []
            waitingHead = 0
            waitingSet = []
        }
        let requeuedSet = Set(requeued)
        for entry in scan.files where files[entry.key] == nil && dormant[entry.key] == nil {
            guard !leftToEvents.contains(entry.path) || requeuedSet.contains(entry.path),
                waitingSet.insert(entry.path).inserted
            else { continue }
            waiting.append(entry.path)
        }
        // Queued before and not found now (gone since): after, as before (skipped at open).
        for path in requeued where waitingSet.insert(path).inserted { waiting.append(path) }
    }

    /// What `paths` name now (those a pattern matches), by name.
    func scanPaths(_ paths: Set<String>) -> PatternScan {
        var scan = PatternScan()
        for path in paths.sorted() {
            var info = stat()
            guard lstat(path, &info) == 0 else {
                if errno != ENOENT && errno != ENOTDIR { scan.complete = false }
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                guard settings.followSymlinks else {
                    if patterns.matches(path) {
                        report(FollowerError(code: .symlink, path: path, errorNumber: ELOOP))
                    }
                    continue
                }
                guard stat(path, &info) == 0 else { continue }
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let status = FeedFileStatus(info)
            // A path no pattern matches stays only when it names a followed file (renamed).
            guard patterns.matches(path) || files[FileKey(status)] != nil || dormant[FileKey(status)] != nil
            else { continue }
            scan.files.append(FoundFile(path: path, status: status))
        }
        return scan
    }

    func rebuildActivePaths() {
        activeByPath.removeAll(keepingCapacity: true)
        for key in order {
            guard let file = files[key], !file.isDraining else { continue }
            activeByPath[file.path] = key
        }
    }

    /// Opens the queued new files, in order, while a descriptor is free, `max_files` is
    /// not reached and no shortage holds them back.
    /// At most a batch's worth per call: the loop turns in between (settle time, after_read,
    /// heartbeat), and comes back at once for the rest.
    func openWaiting() {
        // Files whose events were lost are not all found yet: later ones would come first.
        if scanOwed { return }
        var opened = 0
        while waitingHead < waiting.count && !stopped {
            if opened >= max(1, settings.maximumBatchMessages) { return }
            opened += 1
            if tracked >= settings.maximumFiles {
                let path = waiting[waitingHead]
                let pattern =
                    patterns.patterns.first { fnmatch($0, path, FNM_PATHNAME | FNM_PERIOD) == 0 } ?? path
                report(
                    FollowerError(
                        code: .limit, path: pattern, errorNumber: Int32(clamping: settings.maximumFiles)))
                // The rest are found again by the next scan, once there is room.
                waiting.removeAll()
                waitingSet.removeAll()
                closedByWriter.removeAll()
                waitingHead = 0
                return
            }
            guard clock.now >= retryOpensAt, makeRoom() else { return }
            let path = waiting[waitingHead]
            let predecessor = order.last { files[$0]?.isDraining == true && files[$0]?.path == path }
            if open(path: path, after: predecessor) == .shortage { return }
            waitingHead += 1
            waitingSet.remove(path)
        }
        waiting.removeAll(keepingCapacity: true)
        waitingHead = 0
    }

    /// How many files are tracked (open or closed while idle).
    var tracked: Int { files.count + dormant.count }

    /// Reads `file` to its current end and starts draining it: it is let go once quiet for
    /// the rotation grace, or once a new file at its path has data.
    func beginDraining(_ file: FollowedFile) {
        service(file)
        file.drainingSince = clock.now
        let links = (try? file.handle.status(path: file.path))?.links ?? 0
        if links > 0 { add(.rotated(path: file.path), about: file) }
    }

    /// What opening a file came to.
    enum OpenOutcome { case opened, skipped, shortage }

    /// Starts following the file at `path`: from `checkpoint` or a matching pending one,
    /// else from its start. `predecessor`: the file that had the path before, still being
    /// drained. `expected`: the key the path must name (a dormant file woken), else skipped.
    @discardableResult
    func open(
        path: String, after predecessor: FileKey?, checkpoint given: FollowerCheckpoint? = nil,
        sequence: Int = 0, expected: FileKey? = nil
    ) -> OpenOutcome {
        let handle: FeedFileDescriptor
        let status: FeedFileStatus
        let fingerprint: [UInt8]
        switch openFile(path) {
        case .success(let opened): (handle, status, fingerprint) = opened
        case .failure(let error): return error.isResourceShortage ? .shortage : .skipped
        }
        let key = FileKey(status)
        if let expected, key != expected { return .skipped }
        guard files[key] == nil else { return .skipped }  // replaced between the stat and the open
        let identity = FileIdentity(device: status.device, inode: status.inode, fingerprint: fingerprint)
        var start = 0
        var replaced: FollowerCheckpoint?
        var resumedAt: FollowerCheckpoint?
        if let checkpoint = given ?? pendingCheckpoints.removeValue(forKey: key) {
            if resumes(handle, status: status, identity: identity, at: checkpoint) {
                start = checkpoint.offset
                resumedAt = checkpoint
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
        if let resumedAt {
            var sent = resumedAt
            sent.path = path
            file.sentCheckpoint = sent
            file.checkpointSequence = sequence
        }
        files[key] = file
        order.append(key)
        activeByPath[path] = key
        if given == nil { add(.opened(path: path), about: file) }
        settleAdoption(of: file)
        if let replaced {
            // Truncated or rewritten while the service was down (or the file closed), or
            // another file that got the inode: the rest of the old content first, if a
            // copy holds it (copytruncate).
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
        // A file its writer closed before it was opened: its trailing message is complete
        // now. One quiet for the settle time already (written before it was found)
        // completes with the next settle pass, in the order files were opened; either can
        // then be closed again at once.
        let closed = closedByWriter.remove(path) != nil
        // Quiet since its last write (not when it grew after its status was taken: then
        // it was written just now), but not since before the file opened before it: files
        // found by a scan are opened over several turns, in name order, and complete by
        // settle time in that order, however old each is when it is opened.
        if file.readOffset <= status.size {
            var quietSince = lastWritten(modified: status.modified)
            if let floor = lastOpenedQuietSince { quietSince = max(quietSince, floor) }
            file.lastGrowth = quietSince
        }
        lastOpenedQuietSince = file.lastGrowth
        file.closeMayBeUnseen = !closed
        if closed && file.awaitsCompletion && !stopped {
            // Files opened before it that are quiet complete first (files in order).
            completeQuietFiles()
            completeOnClose(file)
        }
        return .opened
    }

    /// When a file with this modification time (nanoseconds since the epoch) was last
    /// written, on the follower's clock (at most an hour back).
    func lastWritten(modified: Int) -> ContinuousClock.Instant {
        clock.now - min(Self.age(ofModification: modified), .seconds(3600))
    }

    /// How long ago a modification time (nanoseconds since the epoch) was, by the wall clock.
    static func age(ofModification modified: Int) -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec) - modified
        return .nanoseconds(max(0, nanoseconds))
    }

    /// Whether the file open as `handle` continues `checkpoint`: same device and inode,
    /// the checkpoint's fingerprint a prefix of its first bytes, at least the checkpoint's
    /// offset long, and the bytes just before that offset matching the checkpoint's tail.
    func resumes(
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
    func recentRange(endingAt offset: Int) -> Range<Int> {
        max(0, offset - FollowedFile.recentLength)..<offset
    }

    /// Opens `path` (without following a symbolic link unless configured), with its
    /// status and first bytes. A failure is reported; a shortage of descriptors shrinks
    /// the budget of open files and holds further opens back a little.
    func openFile(_ path: String) -> Result<(FeedFileDescriptor, FeedFileStatus, [UInt8]), FollowerError> {
        do {
            let handle = try FeedFileDescriptor(path: path, followSymlinks: settings.followSymlinks)
            let status = try handle.status(path: path)
            guard status.isRegular else {
                return .failure(FollowerError(code: .open, path: path, errorNumber: EINVAL))
            }
            let fingerprint = try handle.bytes(
                in: 0..<min(FileIdentity.fingerprintLength, status.size), path: path)
            forgetErrors(about: path)
            inShortage = false
            return .success((handle, status, fingerprint))
        } catch {
            if error.isResourceShortage {
                shortage()
            }
            if error.errorNumber != ENOENT || error.code == .symlink { report(error) }
            return .failure(error)
        }
    }

    /// After lost events, the scan that makes up for them (`scan`) could not read every
    /// folder for want of descriptors: the files it did not find would be opened after
    /// later ones, named by events, and one-message files read out of order. It is owed:
    /// fewer files are held open (the idle ones are closed), it is tried again shortly,
    /// and no new file is opened meanwhile. An incomplete scan for another reason (a folder
    /// that cannot be read) is reported and owes nothing: the rescans find what it missed.
    func oweScan(afterLostEvents scan: PatternScan) {
        guard !scan.complete && inShortage else {
            scanOwed = false
            return
        }
        scanOwed = true
        shortage()
        _ = makeRoom()
        retryScanAt = clock.now.advanced(by: .milliseconds(100))
    }

    /// Descriptors ran out: hold fewer open, try again a little later.
    func shortage() {
        openBudget = max(1, min(openBudget, files.count) * 3 / 4)
        retryOpensAt = clock.now.advanced(by: .milliseconds(250))
    }

    /// At start-up: a checkpointed file that no pattern names any more but that still
    /// sits in its folder under another name (rotated while the service was down) is
    /// read from its checkpoint to its end, then let go.
    func recoverRotatedFiles(found: [FoundFile]) {
        guard !pendingCheckpoints.isEmpty else { return }
        let foundKeys = Set(found.map(\.key))
        var entriesByFolder: [String: [UInt64: String]] = [:]
        for (key, checkpoint) in pendingCheckpoints.sorted(by: { $0.value.path < $1.value.path }) {
            guard !foundKeys.contains(key), files[key] == nil, !stopped else { continue }
            let folder = FeedPatterns.directory(of: checkpoint.path)
            if entriesByFolder[folder] == nil { entriesByFolder[folder] = Self.entriesByInode(in: folder) }
            guard let name = entriesByFolder[folder]?[checkpoint.identity.inode] else { continue }
            let path = FeedPatterns.path(name, in: folder)
            guard case .success(let (handle, status, fingerprint)) = openFile(path), FileKey(status) == key
            else { continue }
            let identity = FileIdentity(device: status.device, inode: status.inode, fingerprint: fingerprint)
            guard resumes(handle, status: status, identity: identity, at: checkpoint) else { continue }
            pendingCheckpoints[key] = nil
            let file = FollowedFile(
                key: key, path: checkpoint.path, handle: handle, identity: identity,
                startingAt: checkpoint.offset,
                limits: settings.limits, now: clock.now)
            file.recent = (try? handle.bytes(in: recentRange(endingAt: checkpoint.offset), path: path)) ?? []
            file.sentCheckpoint = checkpoint
            files[key] = file
            order.append(key)
            settleAdoption(of: file)
            add(.opened(path: checkpoint.path), about: file)
            add(.rotated(path: checkpoint.path), about: file)
            file.drainingSince = clock.now
            service(file)
        }
    }

    /// At start-up, after the first scan: a checkpoint whose file is gone (its path names
    /// nothing or another file, and no followed file claimed it) is released, so the store
    /// forgets it. Only after a complete scan (a folder that could not be read proves
    /// nothing); checkpoints of files still waiting to be opened (or left to their events)
    /// are kept for them.
    func forgetCheckpointsOfGoneFiles(_ scan: PatternScan, leftToEvents: Set<String>) {
        let waitingKeys = Set(
            scan.files.filter { waitingSet.contains($0.path) || leftToEvents.contains($0.path) }.map(\.key))
        for (key, checkpoint) in pendingCheckpoints where !waitingKeys.contains(key) {
            pendingCheckpoints[key] = nil
            guard scan.complete else { continue }
            var info = stat()
            if lstat(checkpoint.path, &info) == 0 {
                if FileKey(FeedFileStatus(info)) == key { continue }  // there, but no pattern names it now
            } else if errno != ENOENT && errno != ENOTDIR {
                continue
            }
            release(checkpoint)
        }
    }

    /// The entries of `folder` by inode.
    static func entriesByInode(in folder: String) -> [UInt64: String] {
        guard let directory = opendir(folder) else { return [:] }
        defer { closedir(directory) }
        var entries: [UInt64: String] = [:]
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(
                    to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)
                ) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { entries[UInt64(entry.pointee.d_ino)] = name }
        }
        return entries
    }

    /// Hands `checkpoint` out as released (the store forgets it); a checkpoint of the same
    /// file queued in this batch is dropped (it would be stored again after the release).
    func release(_ checkpoint: FollowerCheckpoint) {
        batch.checkpoints.removeAll {
            $0.identity.hasSameInode(as: checkpoint.identity)
        }
        batch.released.append(checkpoint)
        // An adopted checkpoint is stored under its other device.
        let key = FileKey(device: checkpoint.identity.device, inode: checkpoint.identity.inode)
        if let foreign = adoptedFrom.removeValue(forKey: key) { batch.released.append(foreign) }
    }
}
