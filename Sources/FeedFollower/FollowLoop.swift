import Glibc
import HL7

/// The follower's thread: waits on inotify (and a wake-up pipe) with `poll(2)`, reads
/// what changed, completes messages by settle time and close-write, rescans the
/// patterns periodically, and hands batches to the channel.
///
/// Everything here is confined to that one thread.
final class FollowLoop {
    let settings: FollowerSettings
    let patterns: FeedPatterns
    let channel: BatchChannel
    let clock = ContinuousClock()
    /// Checkpoints given at start that no file has claimed yet.
    var pendingCheckpoints: [FileKey: FollowerCheckpoint]
    /// Checkpoints of another device taken as this one's (see
    /// ``adoptCheckpointsOfOtherDevices()``), as stored, by the key they were taken under.
    var adoptedFrom: [FileKey: FollowerCheckpoint] = [:]
    /// The open followed files.
    var files: [FileKey: FollowedFile] = [:]
    /// Open followed files in the order they were opened (batches list them in this order).
    var order: [FileKey] = []
    /// The open files followed at each path that still names them (not draining).
    var activeByPath: [String: FileKey] = [:]
    /// Followed files closed while idle (see ``DormantFile``), and by path.
    var dormant: [FileKey: DormantFile] = [:]
    var dormantByPath: [String: FileKey] = [:]
    /// Dormant files that changed, to open again (as soon as a descriptor is free).
    var toWake: [FileKey] = []
    /// New files found but not opened yet (descriptor budget, `max_files`, a resource
    /// shortage), in the order found; `waitingHead` is the next one.
    var waiting: [String] = []
    var waitingHead = 0
    var waitingSet = Set<String>()
    /// Paths whose writer closed them (`IN_CLOSE_WRITE`) before they were opened: their
    /// last message is complete as soon as they are read.
    var closedByWriter = Set<String>()
    /// The most files held open (see ``FollowerSettings/maximumOpenFiles``).
    var openBudget: Int
    let initialOpenBudget: Int
    /// Set during a resource shortage (EMFILE, ENFILE): reported once per episode.
    var inShortage = false
    /// Not before this instant is a deferred open tried again after a shortage.
    var retryOpensAt: ContinuousClock.Instant
    /// The consumer's acknowledgements (for ``AfterRead``).
    let ledger: CommitLedger
    /// The number of the last batch handed over.
    var sequence = 0
    var watcher: InotifyWatcher?
    var chunk: [UInt8]
    var nextRescan: ContinuousClock.Instant
    /// Set once the consumer went away.
    var stopped = false
    /// Since when the file opened last counts as quiet: no file opened after it counts
    /// as quiet since earlier (see ``open(path:after:checkpoint:sequence:expected:)``).
    var lastOpenedQuietSince: ContinuousClock.Instant?
    /// Events read right after a full scan, handled in the next turn (see
    /// ``scanAllPatterns()``).
    var eventsAfterScan: [InotifyEvent] = []
    /// Set while the scan that makes up for lost inotify events could not read every
    /// folder for want of descriptors: it is tried again (from `retryScanAt`), and no new
    /// file is opened until it reads them all (see ``oweScan(afterLostEvents:)``).
    var scanOwed = false
    /// Not before this instant is an owed scan tried again.
    var retryScanAt: ContinuousClock.Instant

    // The batch being built.
    var batch = FollowerBatch()
    var keysWithMessages = Set<FileKey>()
    var reportedErrors = Set<FollowerError>()
    /// When a batch was last handed over (for ``FollowerSettings/idleBatchInterval``).
    var lastHandOver: ContinuousClock.Instant

    init(
        settings: FollowerSettings, checkpoints: [FollowerCheckpoint], channel: BatchChannel,
        ledger: CommitLedger = CommitLedger()
    ) {
        self.settings = settings
        patterns = FeedPatterns(patterns: settings.patterns)
        var pending: [FileKey: FollowerCheckpoint] = [:]
        for checkpoint in checkpoints {
            pending[FileKey(device: checkpoint.identity.device, inode: checkpoint.identity.inode)] =
                checkpoint
        }
        pendingCheckpoints = pending
        self.channel = channel
        self.ledger = ledger
        ledger.attach(channel.wakeup)
        let budget = settings.maximumOpenFiles ?? Self.defaultOpenBudget()
        openBudget = max(1, budget)
        initialOpenBudget = max(1, budget)
        retryOpensAt = clock.now
        retryScanAt = clock.now
        chunk = [UInt8](repeating: 0, count: max(1, settings.chunkSize))
        nextRescan = clock.now.advanced(by: settings.rescanInterval)
        lastHandOver = clock.now
    }

    /// Follows until the channel is closed.
    func run() {
        do {
            watcher = try InotifyWatcher()
        } catch {
            report(error)  // rescans alone then find changes, once per rescan interval
        }
        refreshWatches()
        adoptCheckpointsOfOtherDevices()
        let (found, leftToEvents) = scanAllPatterns()
        recoverRotatedFiles(found: found.files)
        reconcile(found, scope: nil, leftToEvents: leftToEvents)
        openWaiting()
        forgetCheckpointsOfGoneFiles(found, leftToEvents: leftToEvents)
        // Always a first batch (empty when nothing was found): the watches are set, so a
        // consumer can say it is ready.
        flush(evenIfEmpty: true)
        while !stopped && !channel.isClosed {
            iterate()
        }
    }

    // MARK: - One turn

    private func iterate() {
        settings.heartbeat?()
        if watcher == nil && clock.now >= nextRescan {
            // inotify could not be had (e.g. EMFILE): tried again at each rescan.
            if let made = try? InotifyWatcher() {
                watcher = made
                forgetErrors(about: "inotify")
            }
        }
        waitForEvents(timeoutMilliseconds: pollTimeout())
        if channel.isClosed {
            stopped = true
            return
        }
        var dirty = Set<FileKey>()
        var closeWritten: [FileKey] = []
        var closeWrittenPaths: [String] = []
        var closeWrittenSet = Set<String>()
        var needScan = false
        var checkAll = false
        var lostEvents = false
        // Paths created, renamed or deleted: scanned alone unless every path is.
        var scanPaths = Set<String>()
        if let watcher {
            // Paths whose file may have changed during this read (created, moved, deleted):
            // their later events cannot be attributed to the file followed there before.
            var remapped = Set<String>()
            // Files renamed away but still in a watched folder get events under their new
            // name: looked up by inode (only while some file is draining).
            let anyDraining = files.values.contains { $0.isDraining }
            var drainingAtPath: [String: FileKey?] = [:]
            let events = eventsAfterScan + watcher.readEvents()
            eventsAfterScan = []
            for event in events {
                if event.has(IN_Q_OVERFLOW) {
                    // Events were lost: a scan of every pattern and file makes up for them.
                    report(FollowerError(code: .eventQueue, path: "inotify", errorNumber: EOVERFLOW))
                    // Their writers' closes may have been among the lost events.
                    for file in files.values { file.closeMayBeUnseen = true }
                    lostEvents = true
                    needScan = true
                    checkAll = true
                    continue
                }
                guard let path = event.path else {
                    // About a watched folder itself (deleted, moved, watch removed).
                    if event.has(IN_IGNORED) || event.has(IN_DELETE_SELF) || event.has(IN_MOVE_SELF) {
                        needScan = true
                        checkAll = true
                    }
                    continue
                }
                let known = remapped.contains(path) ? nil : activeByPath[path]
                if event.has(IN_MODIFY) || event.has(IN_CLOSE_WRITE) {
                    if let known {
                        dirty.insert(known)
                        // Its events come through: its writer's close will be seen.
                        files[known]?.closeMayBeUnseen = false
                        if event.has(IN_CLOSE_WRITE) && !closeWritten.contains(known) {
                            closeWritten.append(known)
                        }
                    } else if !remapped.contains(path), let asleep = dormantByPath[path] {
                        // A closed file changed: opened again (its identity checked).
                        dormant[asleep]?.touched = true
                        if !toWake.contains(asleep) { toWake.append(asleep) }
                        if event.has(IN_CLOSE_WRITE) && closeWrittenSet.insert(path).inserted {
                            closeWrittenPaths.append(path)
                            // Completed as soon as it is read again, before any later file.
                            closedByWriter.insert(path)
                        }
                    } else {
                        if patterns.matches(path) {
                            scanPaths.insert(path)
                            if event.has(IN_CLOSE_WRITE) && closeWrittenSet.insert(path).inserted {
                                closeWrittenPaths.append(path)
                                closedByWriter.insert(path)
                            }
                        }
                        if anyDraining {
                            if drainingAtPath[path] == nil { drainingAtPath[path] = drainingFile(at: path) }
                            if let key = drainingAtPath[path] ?? nil {
                                dirty.insert(key)
                                if event.has(IN_CLOSE_WRITE) && !closeWritten.contains(key) {
                                    closeWritten.append(key)
                                }
                            }
                        }
                    }
                }
                if event.has(IN_MOVED_FROM), !remapped.contains(path), let asleep = dormantByPath[path] {
                    // A closed file renamed away (rotation): its writer may append to it under
                    // its new name: it is looked for there (see dormantLeftItsPath).
                    dormant[asleep]?.touched = true
                }
                if event.has(IN_CREATE) || event.has(IN_MOVED_TO) || event.has(IN_MOVED_FROM)
                    || event.has(IN_DELETE)
                {
                    if let known { dirty.insert(known) }
                    if known != nil || dormantByPath[path] != nil || patterns.matches(path) {
                        scanPaths.insert(path)
                    }
                    remapped.insert(path)
                }
            }
        }
        let now = clock.now
        if now >= nextRescan {
            needScan = true
            checkAll = true
            nextRescan = now.advanced(by: settings.rescanInterval)
        }
        if scanOwed && now >= retryScanAt {
            // The scan after lost events, again.
            needScan = true
            lostEvents = true
        }

        // 1. Read what grew (a draining file: always, it is no longer named by its events).
        for key in order {
            guard !stopped, let file = files[key] else { continue }
            if checkAll || dirty.contains(key) || file.isDraining { service(file) }
        }
        // 2. The writer closed these files: what ends with a terminator is complete.
        for key in closeWritten {
            guard !stopped, let file = files[key] else { continue }
            completeOnClose(file)
        }
        // Closed (dormant) files that changed were there before any new file: they are
        // opened again, read and, when their writer closed them, completed first.
        wakeChangedFiles()
        // 3. New, renamed and deleted files: every path at a rescan (or after lost events),
        // else only the paths events named.
        if (needScan || !scanPaths.isEmpty) && !stopped {
            refreshWatches()
            if needScan {
                let (found, leftToEvents) = scanAllPatterns(leavingFilesToEvents: !lostEvents)
                // After lost events, the files not opened yet (named by events before the
                // loss, or found now) are taken in name order.
                reconcile(
                    found, scope: nil, leftToEvents: leftToEvents, inNameOrder: lostEvents && found.complete)
                if lostEvents { oweScan(afterLostEvents: found) }
                retryAfterReadFailures()

            } else {
                reconcile(self.scanPaths(scanPaths), scope: scanPaths)
            }
        }
        // Files already open that their writer closed (known under another path, or
        // opened after their events were read) complete first: they came first. Files
        // opened or woken next complete as they open when their writer closed them.
        if !closeWrittenPaths.isEmpty && !stopped {
            for path in closeWrittenPaths {
                guard !stopped, let key = activeByPath[path], let file = files[key] else { continue }
                closedByWriter.remove(path)
                service(file)
                file.closeMayBeUnseen = false
                completeOnClose(file)
            }
        }
        wakeChangedFiles()
        openWaiting()
        if needScan && tracked < settings.maximumFiles && waitingHead >= waiting.count {
            // Every file found is tracked: a later overflow of max_files is a new episode.
            reportedErrors = reportedErrors.filter { $0.code != .limit }
        }
        if needScan {
            // Closes seen for files no longer waiting or asleep are stale.
            closedByWriter = closedByWriter.filter { waitingSet.contains($0) || dormantByPath[$0] != nil }
        }
        // 4. Settle time: quiet files complete their trailing message; rotated files are let go.
        settleAndLetGo()
        // 5. Files read, quiet and committed: after_read; idle files closed.
        actAfterRead()
        closeIdleFiles()
        if checkAll { checkDormantFilesAfterRescan() }
        flush()
        if let interval = settings.idleBatchInterval, !stopped,
            clock.now >= lastHandOver.advanced(by: interval)
        {
            flush(evenIfEmpty: true)
        }
    }

    /// Quiet files complete their trailing message; rotated and deleted files quiet for
    /// the rotation grace are let go (after any older file at their path).
    /// One instant for the whole pass: files quiet since the same instant, or one after
    /// the other, complete in the order they were opened.
    private func settleAndLetGo() {
        var freedPaths: [String] = []
        let now = clock.now
        for key in order {
            guard !stopped, let file = files[key] else { continue }
            if file.awaitsCompletion && now >= file.lastGrowth.advanced(by: settings.settle) {
                if !service(file) { complete(file) }
            }
            if let drainingSince = file.drainingSince, files[key] != nil, !waitsForPredecessor(file),
                now >= max(file.lastGrowth, drainingSince).advanced(by: drainingHold), !service(file)
            {
                letGoOf(file)
                freedPaths.append(file.path)
            }
        }
        // Files whose close waited behind those completed now.
        completeDeferredCloses()
        // A new file waiting behind a file let go at its path: read what it already holds.
        for path in freedPaths {
            guard !stopped, let key = activeByPath[path], let file = files[key] else { continue }
            service(file)
        }
    }

    /// Quiet files complete their trailing message, in the order they were opened (quiet
    /// as of one instant: a file quiet since the same instant as one before it never
    /// completes first).
    func completeQuietFiles() {
        let now = clock.now
        for key in order {
            guard !stopped, let file = files[key], file.awaitsCompletion,
                now >= file.lastGrowth.advanced(by: settings.settle)
            else { continue }
            if !service(file) { complete(file) }
        }
        completeDeferredCloses()
    }

    /// How long a draining file must stay quiet before it is let go.
    var drainingHold: Duration { max(settings.settle, settings.rotationGrace) }

    // MARK: - Waiting

    /// Milliseconds until the next settle deadline or rescan.
    private func pollTimeout() -> Int32 {
        if !eventsAfterScan.isEmpty { return 0 }
        var deadline = nextRescan
        if let interval = settings.idleBatchInterval {
            deadline = min(deadline, lastHandOver.advanced(by: interval))
        }
        if waitingHead < waiting.count || !toWake.isEmpty {
            // More to open: at once, unless a shortage holds opens back (or every open file
            // is busy: then a settle deadline below comes first).
            let room = files.values.contains(where: \.isAtRest) || files.count < openBudget
            deadline = min(deadline, room ? retryOpensAt : nextRescan)
        }
        if scanOwed { deadline = min(deadline, retryScanAt) }
        for file in files.values {
            // Future deadlines only: a file past them waits for something else (an
            // acknowledgement wakes the loop through the pipe).
            let now = clock.now
            if settings.afterRead != .keep && file.isAtRest && file.readOffset > 0 && !file.afterReadFailed {
                let quiet = file.lastGrowth.advanced(by: settings.settle)
                if quiet > now { deadline = min(deadline, quiet) }
            }
            if file.isAtRest {
                let idle = file.lastGrowth.advanced(by: settings.closeIdle)
                if idle > now { deadline = min(deadline, idle) }
            }
            if file.awaitsCompletion {
                deadline = min(deadline, file.lastGrowth.advanced(by: settings.settle))
            }
            if let drainingSince = file.drainingSince {
                deadline = min(deadline, max(file.lastGrowth, drainingSince).advanced(by: drainingHold))
            }
        }
        let remaining = clock.now.duration(to: deadline)
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    private func waitForEvents(timeoutMilliseconds: Int32) {
        var descriptors: [pollfd] = []
        if let watcher {
            descriptors.append(pollfd(fd: watcher.descriptor, events: Int16(POLLIN), revents: 0))
        }
        let wakeup = channel.wakeup.readEnd
        if wakeup >= 0 { descriptors.append(pollfd(fd: wakeup, events: Int16(POLLIN), revents: 0)) }
        if descriptors.isEmpty {
            usleep(UInt32(min(Int(timeoutMilliseconds), 1000)) * 1000)
            return
        }
        _ = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
        if wakeup >= 0, let last = descriptors.last, last.fd == wakeup, last.revents != 0 {
            channel.wakeup.drain()
        }
    }

    private func refreshWatches() {
        guard let watcher else { return }
        var errors: [FollowerError] = []
        for folder in patterns.directories(errors: &errors) where !watcher.isWatching(folder) {
            do {
                try watcher.watch(folder)
                forgetErrors(about: folder)
            } catch {
                errors.append(error)
            }
        }
        errors.forEach(report)
    }

    /// Scans every pattern, then reads the events queued meanwhile (kept for the next
    /// turn): the paths they name are left to them. The folders are read while files are
    /// still being created, and readdir may then miss a file and return one created after
    /// it; queued by the scan, the later file would be read first. Every file created
    /// before the scan ended has its events queued by then: taken up through those events,
    /// files keep the order they were created in. After lost events (`leavingFilesToEvents`
    /// false) only the files created or moved in since they were read are left to their
    /// events: the others, whose events were lost, are taken in name order. (When the
    /// queue overflowed again meanwhile, every file found is queued now, by name, and
    /// another scan follows.)
    func scanAllPatterns(leavingFilesToEvents: Bool = true) -> (scan: PatternScan, leftToEvents: Set<String>)
    {
        let scan = expandPatterns()
        guard let watcher else { return (scan, []) }
        let events = watcher.readEvents()
        eventsAfterScan += events
        // Events lost again while the folders were read: files created then have none
        // coming, and the ones named before the loss came first. Every file found is taken
        // in name order now (the overflow takes another scan).
        if events.contains(where: { $0.has(IN_Q_OVERFLOW) }) { return (scan, []) }
        var named = Set<String>()
        for event in events {
            guard let path = event.path else { continue }
            // After lost events, a file only modified or closed now was created before
            // they were read: its creation may be among them (see
            // FollowedFile.closeMayBeUnseen), so the scan takes it.
            if leavingFilesToEvents || event.has(IN_CREATE) || event.has(IN_MOVED_TO) { named.insert(path) }
        }
        return (scan, named)
    }

    func expandPatterns() -> PatternScan {
        var errors: [FollowerError] = []
        var symlinks: [String] = []
        let scan = patterns.expand(
            followSymlinks: settings.followSymlinks, errors: &errors, symlinks: &symlinks)
        errors.forEach(report)
        for path in symlinks { report(FollowerError(code: .symlink, path: path, errorNumber: ELOOP)) }
        if scan.complete { forgetGlobShortage() }
        return scan
    }

    // MARK: - Output

    /// Adds a message of `file` to the batch (handing the batch over once it is full).
    func add(_ result: Result<Message, HL7ReadError>, of file: FollowedFile) {
        let start = file.reader.lastMessageOffset
        let end = file.reader.lastMessageEndOffset
        var unreadable: [UInt8] = []
        if case .failure(let error) = result, error.messageLength != nil {
            // Over the size limit: skipped while it streamed, only its first bytes kept.
            unreadable = error.retainedPrefix
        } else if case .failure = result, end > start {
            // As the reader framed them: the file may have been truncated since (a pending
            // message completed at a truncation).
            unreadable = Array(file.reader.lastUnreadableBytes.prefix(settings.limits.maximumMessageBytes))
        }
        batch.messages.append(
            FollowedMessage(
                path: file.path, identity: file.identity, offset: start, endOffset: end, result: result,
                unreadableBytes: unreadable))
        keysWithMessages.insert(file.key)
        if batch.messages.count >= max(1, settings.maximumBatchMessages) { flush() }
    }

    /// Adds an event about `file`; a batch already holding messages of that file is
    /// handed over first, so that a file's events precede its messages in a batch.
    func add(_ event: FeedEvent, about file: FollowedFile) {
        if keysWithMessages.contains(file.key) { flush() }
        batch.events.append(event)
        if batch.events.count >= max(1, settings.maximumBatchMessages) { flush() }
    }

    /// Reports an error once; a resource shortage once per episode (until something
    /// opens again), whatever the path.
    func report(_ error: FollowerError) {
        if error.isResourceShortage {
            guard !inShortage else { return }
            inShortage = true
            batch.errors.append(error)
            return
        }
        if reportedErrors.insert(error).inserted { batch.errors.append(error) }
    }

    /// Lets errors about `path` be reported again (it works now).
    func forgetErrors(about path: String) {
        if reportedErrors.contains(where: { $0.path == path }) {
            reportedErrors = reportedErrors.filter { $0.path != path }
        }
    }

    /// Hands the batch over (blocking while the consumer is behind), with the checkpoints
    /// that moved. Each batch handed over is a slice of work: the heartbeat beats.
    func flush(evenIfEmpty: Bool = false) {
        guard !stopped else { return }
        for key in order {
            guard let file = files[key] else { continue }
            let current = checkpoint(of: file)
            if current != file.sentCheckpoint {
                batch.checkpoints.append(current)
                file.sentCheckpoint = current
                file.checkpointSequence = sequence + 1
            }
        }
        guard
            evenIfEmpty || !batch.messages.isEmpty || !batch.events.isEmpty || !batch.errors.isEmpty
                || !batch.released.isEmpty || !batch.checkpoints.isEmpty
        else {
            return
        }
        lastHandOver = clock.now
        sequence += 1
        batch.sequence = sequence
        let complete = batch
        batch = FollowerBatch()
        keysWithMessages.removeAll()
        if !channel.send(complete, whileWaiting: settings.heartbeat) { stopped = true }
        settings.heartbeat?()
    }

    /// The default ``openBudget``: half the soft `RLIMIT_NOFILE` (the rest is for the
    /// store, the journal, sockets), at least 8.
    static func defaultOpenBudget() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0,
            limit.rlim_cur != rlim_t.max
        else { return 4096 }
        return max(8, min(Int(clamping: limit.rlim_cur) / 2, 1 << 20))
    }
}
