import FeedFollower
import Glibc
import Testing

/// Many files: idle files closed and opened again on change (identity checked), a cap on
/// the files tracked, a budget of open descriptors, symbolic links, `after_read`.
@Suite("Many files: idle files closed, max_files, open budget, symlinks, after_read")
struct ManyFilesFollowingTests {
    func settings(
        _ folder: TemporaryFolder, closeIdle: Duration = .seconds(10), maximumFiles: Int = 100_000,
        maximumOpenFiles: Int? = nil, followSymlinks: Bool = false, afterRead: AfterRead = .keep,
        rescan: Duration = .seconds(60)
    ) -> FollowerSettings {
        FollowerSettings(
            patterns: [folder.path + "/*.hl7"], settle: .milliseconds(100), rescanInterval: rescan,
            rotationGrace: .milliseconds(300), closeIdle: closeIdle, afterRead: afterRead,
            followSymlinks: followSymlinks, maximumFiles: maximumFiles, maximumOpenFiles: maximumOpenFiles)
    }

    @Test func anIdleFileIsClosedThenReadOnceMoreWhenItGrows() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("A1"), to: path)
        let run = FollowerRun(settings(folder, closeIdle: .milliseconds(300)))
        #expect(await run.waitUntil { await $0.controlIDs == ["A1"] })
        #expect(await eventually { descriptorsOpen(on: path) == 0 }, "closed once idle")
        Disk.append(message("A2"), to: path)
        #expect(await run.waitUntil { await $0.controlIDs == ["A1", "A2"] })
        #expect(await eventually { descriptorsOpen(on: path) == 0 }, "closed again")
        Disk.append(message("A3"), to: path)
        #expect(await run.waitUntil { await $0.controlIDs == ["A1", "A2", "A3"] })
        await run.stop()
        #expect(await run.collected.events == [.opened(path: path)], "no rotation or truncation seen")
    }

    @Test func aClosedFileRenamedAwayIsStillReadWhereItsWriterGoesOnAppending() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        let writer = Writer(path)
        writer.write(message("R1"))
        let run = FollowerRun(settings(folder, closeIdle: .milliseconds(200)))
        #expect(await run.waitUntil { await $0.controlIDs == ["R1"] })
        // Only the writer's own descriptor is left once the follower closed the idle file.
        #expect(await eventually { descriptorsOpen(on: path) == 1 })
        #expect(rename(path, path + ".1") == 0)
        writer.write(message("R2"))
        writer.close()
        Disk.append(message("N1"), to: path)
        #expect(await run.waitUntil { await $0.controlIDs == ["R1", "R2", "N1"] })
        await run.stop()
        #expect(await run.collected.events.contains(.rotated(path: path)))
    }

    @Test func aFileReplacedWhileClosedIsReadFromItsStart() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("B1") + message("B2"), to: path)
        let run = FollowerRun(settings(folder, closeIdle: .milliseconds(200)))
        #expect(await run.waitUntil { await $0.controlIDs == ["B1", "B2"] })
        #expect(await eventually { descriptorsOpen(on: path) == 0 })
        // Rewritten in place (same inode) while closed: other content, longer.
        Disk.overwrite(path, with: message("C1") + message("C2") + message("C3"))
        #expect(await run.waitUntil { await $0.controlIDs == ["B1", "B2", "C1", "C2", "C3"] })
        await run.stop()
        #expect(await run.collected.events.contains(.truncated(path: path)))
    }

    @Test func manyFilesAreReadInNameOrderWithFewDescriptors() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let names = (0..<40).map { "m" + String(100 + $0) + ".hl7" }
        for name in names.reversed() { Disk.append(message(name), to: folder.file(name)) }
        let run = FollowerRun(settings(folder, maximumOpenFiles: 4))
        var most = 0
        let paths = Set(names.map { folder.file($0) })
        let all = await run.waitUntil { collected in
            // One pass over /proc/self/fd: how many descriptors are open on feed files now.
            most = max(most, Self.feedDescriptors(onAnyOf: paths))
            return await collected.controlIDs.count == names.count
        }
        #expect(all)
        #expect(await run.collected.controlIDs == names, "in name order, each once")
        #expect(most <= 4, "at most 4 feed files open (seen \(most))")
        await run.stop()
    }

    @Test func pastMaxFilesThePatternIsReportedOnceAndFilesAreTakenUpAsRoomFrees() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        for name in ["a", "b", "c", "d"] {
            Disk.append(message(name.uppercased()), to: folder.file(name + ".hl7"))
        }
        let run = FollowerRun(settings(folder, maximumFiles: 2, rescan: .milliseconds(300)))
        #expect(await run.waitUntil { await $0.controlIDs == ["A", "B"] })
        try? await Task.sleep(for: .seconds(1))
        let limits = await run.collected.batches.flatMap(\.errors).filter { $0.code == .limit }
        #expect(limits.count == 1, "reported once, not per scan")
        #expect(limits.first?.path == folder.path + "/*.hl7")
        #expect(limits.first?.description.contains("limits.max_files (2)") == true)
        #expect(await run.collected.controlIDs == ["A", "B"], "the others wait")
        // A followed file is deleted: once let go, the next file is taken up.
        unlink(folder.file("a.hl7"))
        #expect(await run.waitUntil { await $0.controlIDs == ["A", "B", "C"] })
        await run.stop()
    }

    @Test(arguments: [false, true])
    func aSymbolicLinkIsReportedOnceAndSkippedUnlessFollowed(follow: Bool) async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let target = folder.file("target.txt")
        Disk.append(message("L1"), to: target)
        symlink(target, folder.file("link.hl7"))
        Disk.append(message("R1"), to: folder.file("real.hl7"))
        let run = FollowerRun(settings(folder, followSymlinks: follow, rescan: .milliseconds(200)))
        #expect(await run.waitUntil { await $0.controlIDs.contains("R1") })
        try? await Task.sleep(for: .milliseconds(800))
        let errors = await run.collected.batches.flatMap(\.errors).filter { $0.code == .symlink }
        if follow {
            #expect(await run.waitUntil { await Set($0.controlIDs) == ["L1", "R1"] })
            #expect(errors.isEmpty)
        } else {
            #expect(await run.collected.controlIDs == ["R1"])
            #expect(errors.count == 1, "reported once, not per scan")
            #expect(errors.first?.path == folder.file("link.hl7"))
        }
        await run.stop()
    }

    @Test(arguments: ["delete", "move"])
    func afterReadActsOnlyOnceTheBatchIsAcknowledgedAndReleasesTheCheckpoint(mode: String) async throws {
        let folder = TemporaryFolder()
        let done = TemporaryFolder()
        defer {
            folder.remove()
            done.remove()
        }
        let path = folder.file("one.hl7")
        Disk.append(message("D1"), to: path)
        // A file of the same name already in the folder: the moved one gets "-1".
        Disk.append("taken", to: done.file("one.hl7"))
        let action: AfterRead = mode == "delete" ? .delete : .move(folder: done.path)
        let follower = FeedFollower(settings: settings(folder, afterRead: action))
        var batches = follower.batches().makeAsyncIterator()
        var received: [FollowerBatch] = []
        while received.flatMap(\.messages).count < 1, let batch = await batches.next() {
            received.append(batch)
        }
        // Not acknowledged: the file stays, however long it is quiet.
        try await Task.sleep(for: .milliseconds(500))
        #expect(access(path, F_OK) == 0, "kept until committed")
        for batch in received { follower.acknowledge(batch) }
        var released: [FollowerCheckpoint] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while released.isEmpty && ContinuousClock.now < deadline, let batch = await batches.next() {
            released += batch.released
            follower.acknowledge(batch)
        }
        #expect(released.count == 1, "its checkpoint released")
        #expect(access(path, F_OK) != 0, "acted on once committed")
        if mode == "move" {
            #expect(access(done.file("one-1.hl7"), F_OK) == 0, "moved under a free name")
            #expect(access(done.file("one.hl7"), F_OK) == 0, "the file already there kept")
        }
    }

    /// How many of this process's descriptors are open on one of `paths`, in one pass.
    static func feedDescriptors(onAnyOf paths: Set<String>) -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        var target = [CChar](repeating: 0, count: 4096)
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            let length = readlink("/proc/self/fd/" + name, &target, target.count - 1)
            guard length > 0 else { continue }
            let link = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if paths.contains(link) { count += 1 }
        }
        return count
    }

    /// Files found by a scan after inotify lost events (their writer's close among them)
    /// complete by settle time; a file closed after them must not overtake them by its
    /// close-write: one-message files are read in the order they were written.
    @Test func afterLostEventsAFileClosedLaterDoesNotOvertakeFilesFoundByTheScan() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let limit = try overflowableInotifyQueueLimit()
        let first = firstFileMessages
        // A settle time long enough that the later files are written while the files found
        // by the scan still wait for it.
        let run = await pausedAfterTheFirstBatch(
            of: folder,
            FollowerSettings(
                patterns: [folder.path + "/*.hl7"], settle: .seconds(2), rescanInterval: .seconds(60),
                rotationGrace: .milliseconds(300), closeIdle: .seconds(600)))
        // Events the follower ignores (no pattern names these files) fill the queue...
        overflowInotifyQueue(in: folder, limit: limit)
        // ...so that these files' creation and close-write are lost: only a scan finds them.
        let scanned = (0..<10).map { "U\($0)" }
        for id in scanned { Disk.overwrite(folder.file("u-\(id).hl7"), with: message(id)) }
        await run.resume()
        let overflowed = await run.waitUntil(timeout: .seconds(20)) { collected in
            let opened = await collected.events.filter {
                if case .opened(let path) = $0 { return path.contains("/u-") }
                return false
            }
            let lost = await collected.batches.contains { $0.errors.contains { $0.code == .eventQueue } }
            return lost && opened.count == scanned.count
        }
        #expect(overflowed, "the queue overflowed and the scan found the files")
        // Written after: their close-writes are seen.
        let later = (0..<3).map { "L\($0)" }
        for id in later { Disk.overwrite(folder.file("v-\(id).hl7"), with: message(id)) }

        let expected = first + scanned + later
        #expect(await run.waitUntil(timeout: .seconds(20)) { await $0.controlIDs.count >= expected.count })
        await run.stop()
        let read = await run.collected.controlIDs
        #expect(Set(read) == Set(expected) && read.count == expected.count, "each once: \(read)")
        #expect(read == expected, "in the order written, not \(read)")
    }
}

/// One message per file, written as fast as a writer can, under a small descriptor budget
/// and frequent rescans: the messages come out in the order the files were written.
@Suite("One-message files keep their order under the descriptor budget")
struct OneMessageFilesOrderTests {
    /// Waits until `run` has collected as many messages as `expected` (at most `timeout`),
    /// stops it, and expects `expected`: each once, in that order (else says where the
    /// order first differs).
    static func expectEachOnceInOrder(
        _ run: FollowerRun, _ expected: [String], timeout: Duration,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        #expect(
            await run.waitUntil(timeout: timeout) { await $0.controlIDs.count >= expected.count },
            sourceLocation: sourceLocation)
        await run.stop()
        let read = await run.collected.controlIDs
        #expect(read.count == expected.count, "each once", sourceLocation: sourceLocation)
        let slip = zip(read, expected).enumerated().first { $0.element.0 != $0.element.1 }.map {
            "\($0.offset): \($0.element.0) for \($0.element.1)"
        }
        #expect(
            slip == nil, "in the order written; first difference at \(slip ?? "")",
            sourceLocation: sourceLocation)
    }

    /// `*.hl7` in `folder`, a rescan once a minute unless `rescanInterval` says otherwise
    /// (not within a test), a short rotation grace.
    static func settings(
        _ folder: TemporaryFolder, settle: Duration, rescanInterval: Duration = .seconds(60),
        closeIdle: Duration = .seconds(600), maximumOpenFiles: Int? = nil
    ) -> FollowerSettings {
        FollowerSettings(
            patterns: [folder.path + "/*.hl7"], settle: settle, rescanInterval: rescanInterval,
            rotationGrace: .milliseconds(300), closeIdle: closeIdle, maximumOpenFiles: maximumOpenFiles)
    }

    /// ``expectEachOnceInOrder(_:_:timeout:sourceLocation:)``, then that inotify did lose
    /// events (the queue overflowed), as the test meant it to.
    static func expectEachOnceInOrderAfterLostEvents(
        _ run: FollowerRun, _ expected: [String], timeout: Duration,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        await expectEachOnceInOrder(run, expected, timeout: timeout, sourceLocation: sourceLocation)
        let lost = await run.collected.batches.contains { $0.errors.contains { $0.code == .eventQueue } }
        #expect(lost, "the queue overflowed", sourceLocation: sourceLocation)
    }

    /// The name of the `index`th one-message file: names sort in writing order.
    static func name(_ prefix: String, _ index: Int) -> String {
        prefix + "-" + String(repeating: "0", count: 6 - String(index).count) + String(index) + ".hl7"
    }

    /// Files found by a scan are opened a batch's worth per turn. When a slow consumer
    /// spreads the opens over more than the settle time, the files opened last are already
    /// quiet for it by their modification time while the first ones, opened when younger,
    /// still wait: they must not overtake them (their settle time counts from when each
    /// was last written, for every file alike).
    @Test func filesFoundByAScanAndOpenedAcrossTheSettleTimeComeOutInNameOrder() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let expected = (0..<40).map { "S\($0)" }
        for (index, id) in expected.enumerated() {
            let name = "s-" + String(100 + index) + ".hl7"
            Disk.overwrite(folder.file(name), with: message(id))
        }
        var settings = Self.settings(folder, settle: .milliseconds(300))
        settings.maximumBatchMessages = 1
        // A consumer slow to take a file's opening (20 ms) and quick to take its message:
        // one file opened per turn, 40 turns spread over twice the settle time, while the
        // messages of quiet files come out at once.
        let follower = FeedFollower(settings: settings)
        var read: [String] = []
        let deadline = ContinuousClock.now + .seconds(120)
        for await batch in follower.batches() {
            read += batch.messages.map(\.controlID)
            if read.count >= expected.count || ContinuousClock.now > deadline { break }
            if !batch.events.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(read == expected, "in name order, each once, not \(read)")
    }

    /// After inotify lost events, the scan that makes up for them reads the folder while
    /// the writer goes on creating files: readdir can miss a file created then and find a
    /// later one, and the files it found complete by settle time (their close may have
    /// been lost) while later files are closed under the follower's eyes. Neither may
    /// change the order: one-message files come out in the order they were written.
    @Test func filesWrittenWhileTheScanAfterLostEventsReadsTheFolderComeOutInTheOrderWritten() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let limit = try overflowableInotifyQueueLimit()
        let first = firstFileMessages
        let run = await pausedAfterTheFirstBatch(
            of: folder,
            Self.settings(folder, settle: .milliseconds(300), closeIdle: .seconds(10), maximumOpenFiles: 64))
        // Events the follower ignores fill its queue: the first files below lose theirs.
        overflowInotifyQueue(in: folder, limit: limit)
        let count = 3_000
        let expected = (0..<count).map { "W\($0)" }
        let path = folder.path
        func write(_ index: Int) {
            Disk.overwrite(path + "/" + Self.name("w", index), with: message(expected[index]))
        }
        for index in 0..<200 { write(index) }
        // The writer goes on while the follower drains its queue and scans the folder.
        let writer = Task.detached { for index in 200..<count { write(index) } }
        await run.resume()
        await writer.value
        await Self.expectEachOnceInOrderAfterLostEvents(run, first + expected, timeout: .seconds(120))
    }

    /// After inotify lost events, the scan that makes up for them reads an open file whose
    /// one message was written while the events were lost: it completes by settle time,
    /// counted from that read. Files the scan then finds, written after it but a while
    /// ago by their modification time, are quiet for longer: they must still not overtake
    /// it.
    @Test func filesFoundAfterLostEventsDoNotOvertakeAnOpenFileTheSameScanFoundWritten() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let limit = try overflowableInotifyQueueLimit()
        // Opened empty at the start (named to be opened before a.hl7).
        Disk.overwrite(folder.file("0-e.hl7"), with: "")
        let first = firstFileMessages
        let run = await pausedAfterTheFirstBatch(
            of: folder,
            Self.settings(folder, settle: .seconds(1)))
        // Events the follower ignores fill its queue: the events below are lost.
        overflowInotifyQueue(in: folder, limit: limit)
        Disk.overwrite(folder.file("0-e.hl7"), with: message("E"))
        let later = (0..<10).map { "X\($0)" }
        for id in later { Disk.overwrite(folder.file("x-\(id).hl7"), with: message(id)) }
        // Their modification times grow older than the settle time's margin.
        try await Task.sleep(for: .milliseconds(600))
        await run.resume()
        await Self.expectEachOnceInOrderAfterLostEvents(run, first + ["E"] + later, timeout: .seconds(30))
    }

    /// After inotify lost events, the scan that makes up for them finds no descriptor to
    /// read the folder with (EMFILE): it is owed. A file written after it, named by its
    /// events, must not be opened before the files whose events were lost: the scan is
    /// tried again once descriptors are back, and the files come out in the order written.
    @Test func aScanAfterLostEventsThatFindsNoDescriptorIsTriedAgainBeforeLaterFilesOpen() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let limit = try overflowableInotifyQueueLimit()
        let first = firstFileMessages
        let run = await pausedAfterTheFirstBatch(
            of: folder,
            Self.settings(folder, settle: .milliseconds(300), maximumOpenFiles: 16))
        overflowInotifyQueue(in: folder, limit: limit)
        let lost = (0..<10).map { "L\($0)" }
        for id in lost { Disk.overwrite(folder.file("l-\(id).hl7"), with: message(id)) }
        // The file written later waits outside the folder: moved in, it needs no descriptor.
        let outside = TemporaryFolder()
        defer { outside.remove() }
        Disk.overwrite(outside.file("w-later.hl7"), with: message("W"))
        // Every descriptor taken (the process's, for a moment): the scan cannot read the folder.
        let exhaustion = DescriptorExhaustion()
        defer { exhaustion.release() }
        await run.resume()
        let scanned = await run.waitUntil(timeout: .seconds(20)) { collected in
            await collected.batches.contains { $0.errors.contains { $0.code == .eventQueue } }
        }
        #expect(scanned, "the queue overflowed")
        // Written after the failed scan: its events come through.
        #expect(rename(outside.file("w-later.hl7"), folder.file("w-later.hl7")) == 0)
        try await Task.sleep(for: .milliseconds(400))
        exhaustion.release()
        await OneMessageFilesOrderTests.expectEachOnceInOrder(
            run, first + lost + ["W"], timeout: .seconds(20))
    }

    /// A file found by a scan completes by settle time (its writer's close may have gone
    /// unseen); files closed under the follower's eyes after it wait for it, and so must
    /// every file closed after those: none overtakes a file waiting before it, also when
    /// the descriptor budget makes the later files open only once the first ones close.
    @Test func filesClosedWhileAnEarlierFileWaitsForItsSettleTimeKeepTheirOrder() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        Disk.append(message("A0"), to: folder.file("a.hl7"))
        var settings = Self.settings(
            folder, settle: .milliseconds(500), closeIdle: .seconds(10), maximumOpenFiles: 32)
        settings.maximumBatchMessages = 64
        let run = FollowerRun(settings)
        #expect(await run.waitForOpened(folder.file("a.hl7")))
        // Written at once, while A0 waits for its settle time.
        let expected = (0..<300).map { "W\($0)" }
        for (index, id) in expected.enumerated() {
            Disk.overwrite(folder.file(Self.name("w", index)), with: message(id))
        }
        await Self.expectEachOnceInOrder(run, ["A0"] + expected, timeout: .seconds(60))
    }

    /// A rescan reading the folder while files are created can miss a file and find a
    /// later one (readdir), and a file opened while still empty can be closed for room and
    /// opened again after later files: neither may change the order.
    @Test func oneMessageFilesWrittenDuringRescansUnderABudgetComeOutInTheOrderWritten() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        var settings = Self.settings(
            folder, settle: .milliseconds(300), rescanInterval: .milliseconds(50), closeIdle: .seconds(10),
            maximumOpenFiles: 16)
        settings.maximumBatchMessages = 64
        let run = FollowerRun(settings)
        #expect(await run.waitUntil { await !$0.batches.isEmpty })
        let count = 4_000
        let expected = (0..<count).map { "M\($0)" }
        for (index, id) in expected.enumerated() {
            Disk.overwrite(folder.file(Self.name("m", index)), with: message(id))
        }
        await Self.expectEachOnceInOrder(run, expected, timeout: .seconds(180))
    }
}
