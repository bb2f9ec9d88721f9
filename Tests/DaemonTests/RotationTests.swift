import FeedGen
import Foundation
import Journal
import Testing

/// Rotation, truncation, deletion and partial writes against the real daemon and journal:
/// whatever happens to the files, the journal holds exactly the alerts `extravasd replay`
/// finds in the bytes the writers produced, each once, and the daemon's counters (summed
/// over its runs) match replay's messages, resends and malformed: a message lost shows as
/// fewer messages, one read twice as a resend.
///
/// Each writer ends with a sentinel (the seed case with a fresh MRN) whose alert comes from
/// its last message: once it is in the journal, everything before it was processed.
@Suite(
    "Rotation and partial writes (daemon)",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct RotationTests {
    // MARK: - Rotation by rename and create

    @Test func renameAndCreateWhileTheWriterKeepsAppendingToTheRenamedFileLosesAndRepeatsNothing()
        async throws
    {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        let parts = RotationFeed.parts(RotationFeed.generated(seed: 101, messages: 240), 8)
        let writer = HeldWriter(harness.feed, log: log)
        writer.write(parts[0])
        // (A file renamed away before the daemon ever opened it cannot be followed.)
        #expect(try await harness.waitForFeedEvent("opened", about: harness.feed))
        // The writer appends; at once logrotate renames the file and creates an empty one;
        // the writer goes on appending to the renamed file for about 2 s (pauses well past
        // the settle time), then reopens the path.
        writer.write(parts[1])
        #expect(rename(harness.feed, harness.feed + ".1") == 0)
        FileWriting.overwrite(harness.feed, with: [])
        for part in parts[2...5] {
            try await Task.sleep(for: .milliseconds(500))
            writer.write(part)
        }
        writer.close()
        log.append(parts[6] + parts[7] + RotationFeed.sentinel("RNC1"), to: harness.feed)

        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
        let events = try harness.feedEvents(about: harness.feed)
        #expect(events.contains("rotated") && events.contains("closed"), "\(events)")
    }

    @Test func aRotationWhileTheDaemonIsStoppedLosesAndRepeatsNothing() async throws {
        let harness = try DaemonHarness()
        let log = WrittenBytes()
        let parts = RotationFeed.parts(RotationFeed.generated(seed: 102, messages: 180), 3)
        try await harness.startAndWaitUntilReady()
        log.append(parts[0] + RotationFeed.sentinel("RWS1"), to: harness.feed)
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "RWS10005") })
        let first = try await harness.stopAndCount()

        // While stopped: the writer appends, the file is rotated, the writer starts a new one.
        log.append(parts[1], to: harness.feed)
        #expect(rename(harness.feed, harness.feed + ".1") == 0)
        log.append(parts[2] + RotationFeed.sentinel("RWS2"), to: harness.feed)

        try await harness.startAndWaitUntilReady()
        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let second = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: first + second)
    }

    // MARK: - copytruncate, truncation, rewrite

    @Test func copyTruncateLosesAndRepeatsNothing() async throws {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        let parts = RotationFeed.parts(RotationFeed.generated(seed: 103, messages: 180), 3)
        let writer = HeldWriter(harness.feed, log: log)  // O_APPEND, as copytruncate needs
        writer.write(parts[0] + RotationFeed.sentinel("CPT1"))
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "CPT10005") })

        // The writer appends; at once logrotate copies the file and truncates it: the
        // appended bytes may be only in the copy. The writer goes on at the start.
        writer.write(parts[1])
        FileWriting.overwrite(harness.feed + ".1", with: FileWriting.contents(harness.feed))
        #expect(truncate(harness.feed, 0) == 0)
        writer.write(parts[2] + RotationFeed.sentinel("CPT2"))
        writer.close()

        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
        #expect(try harness.feedEvents(about: harness.feed).contains("truncated"))
    }

    @Test func truncationAndRewriteLoseAndRepeatNothing() async throws {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        let parts = RotationFeed.parts(RotationFeed.generated(seed: 104, messages: 150), 2)
        log.append(parts[0] + RotationFeed.sentinel("TRN1"), to: harness.feed)
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "TRN10005") })

        // Truncated and rewritten with other (shorter) content.
        let rewrite = parts[1] + RotationFeed.sentinel("TRN2")
        FileWriting.overwrite(harness.feed, with: rewrite)
        log.record(rewrite)

        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
        #expect(try harness.feedEvents(about: harness.feed).contains("truncated"))
    }

    @Test func aRewriteToTheSameSizeWithTheSameFirstBytesLosesAndRepeatsNothing() async throws {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let first =
            RotationFeed.sameHeader + RotationFeed.generated(seed: 105, messages: 60)
            + RotationFeed.sentinel("SSZ1")
        FileWriting.append(first, to: harness.feed)
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "SSZ10005") })

        // The same header, other messages, padded with blank lines to the very same size.
        let ending = RotationFeed.sentinel("SSZ2")
        let other = RotationFeed.generated(seed: 205, messages: 80)
        let room = first.count - RotationFeed.sameHeader.count - ending.count
        let fitting = RotationFeed.messageStarts(other).last { $0 <= room } ?? 0
        var second = RotationFeed.sameHeader + other[..<fitting]
        second += [UInt8](repeating: 0x0D, count: first.count - second.count - ending.count) + ending
        #expect(second.count == first.count)
        #expect(fitting > 0)
        FileWriting.overwrite(harness.feed, with: second)

        // Each content replayed as the file it was (a header starts each).
        let expected =
            try harness.replay(first, name: "first.hl7") + harness.replay(second, name: "second.hl7")
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
        #expect(try harness.feedEvents(about: harness.feed).contains("truncated"))
    }

    // MARK: - Deletion, inode reuse, same first bytes

    @Test func deleteAndRecreateLosesAndRepeatsNothing() async throws {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        let parts = RotationFeed.parts(RotationFeed.generated(seed: 106, messages: 180), 3)
        log.append(parts[0] + RotationFeed.sentinel("DRC1"), to: harness.feed)
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "DRC10005") })

        // Appended, deleted at once (perhaps before the daemon read the append), recreated.
        log.append(parts[1], to: harness.feed)
        #expect(unlink(harness.feed) == 0)
        log.append(parts[2] + RotationFeed.sentinel("DRC2"), to: harness.feed)

        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
    }

    @Test func aFileDeletedWhileOpenIsReadToItsEndThenLetGo() async throws {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        let parts = RotationFeed.parts(RotationFeed.generated(seed: 107, messages: 160), 4)
        let writer = HeldWriter(harness.feed, log: log)
        writer.write(parts[0] + RotationFeed.sentinel("DWO1"))
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "DWO10005") })

        // Deleted while the daemon (and the writer) hold it: the writer goes on for a while.
        writer.write(parts[1])
        #expect(unlink(harness.feed) == 0)
        for part in parts[2...3] {
            try await Task.sleep(for: .milliseconds(400))
            writer.write(part)
        }
        writer.write(RotationFeed.sentinel("DWO2"))
        writer.close()

        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        // Let go once quiet for the rotation grace (5 s).
        #expect(try await harness.waitForFeedEvent("closed", about: harness.feed))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
    }

    @Test func aReusedInodeWithTheSameFirstBytesIsReadFromItsStartWhileRunningAndAcrossARestart() async throws
    {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let header = RotationFeed.sameHeader
        let first = header + RotationFeed.generated(seed: 108, messages: 60) + RotationFeed.sentinel("IRU1")
        FileWriting.append(first, to: harness.feed)
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "IRU10005") })
        let firstInode = FileWriting.inode(harness.feed)

        // Deleted; once the daemon let it go (after the rotation grace) its inode is free.
        #expect(unlink(harness.feed) == 0)
        #expect(try await harness.waitForFeedEvent("closed", about: harness.feed))
        guard let fresh = FileWriting.fileReusingInode(firstInode, in: harness.directory) else {
            _ = harness.stop()
            try Test.cancel("the file system did not give inode \(firstInode) to a new file")
        }
        let second = header + RotationFeed.generated(seed: 208, messages: 60) + RotationFeed.sentinel("IRU2")
        FileWriting.overwrite(fresh, with: second)
        #expect(rename(fresh, harness.feed) == 0)
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "IRU20005") })
        let whileRunning = try await harness.stopAndCount()

        // While stopped: deleted, and a longer file with the same first bytes gets the
        // inode (the stored checkpoint's device, inode and fingerprint all match it).
        let secondInode = FileWriting.inode(harness.feed)
        #expect(unlink(harness.feed) == 0)
        guard let again = FileWriting.fileReusingInode(secondInode, in: harness.directory) else {
            try Test.cancel("the file system did not give inode \(secondInode) to a new file")
        }
        let third = header + RotationFeed.generated(seed: 308, messages: 120) + RotationFeed.sentinel("IRU3")
        #expect(third.count > second.count)
        FileWriting.overwrite(again, with: third)
        #expect(rename(again, harness.feed) == 0)
        try await harness.startAndWaitUntilReady()
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "IRU30005") })

        // Each file replayed as the file it was (a header starts each).
        let expected =
            try harness.replay(first, name: "first.hl7") + harness.replay(second, name: "second.hl7")
            + harness.replay(third, name: "third.hl7")
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let afterRestart = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: whileRunning + afterRestart)
    }

    @Test func twoFilesWithTheSameFirstBytesLoseAndRepeatNothingAcrossARestart() async throws {
        let harness = try DaemonHarness()
        let a = harness.directory + "/spool/a.hl7"
        let b = harness.directory + "/spool/b.hl7"
        let logA = WrittenBytes()
        let logB = WrittenBytes()
        let partsA = RotationFeed.parts(RotationFeed.generated(seed: 109, messages: 120), 2)
        let partsB = RotationFeed.parts(RotationFeed.generated(seed: 209, messages: 120), 2)
        logA.append(RotationFeed.sameHeader + partsA[0] + RotationFeed.sentinel("TWA1"), to: a)
        logB.append(RotationFeed.sameHeader + partsB[0] + RotationFeed.sentinel("TWB1"), to: b)
        try await harness.startAndWaitUntilReady()
        #expect(
            try await harness.waitFor {
                try harness.hasAlert(controlID: "TWA10005") && harness.hasAlert(controlID: "TWB10005")
            })
        let first = try await harness.stopAndCount()

        logA.append(partsA[1] + RotationFeed.sentinel("TWA2"), to: a)
        logB.append(partsB[1] + RotationFeed.sentinel("TWB2"), to: b)
        try await harness.startAndWaitUntilReady()
        // The two feeds share no patient: each file replayed on its own gives its alerts.
        let expected =
            try harness.replay(logA.bytes, name: "a.hl7") + harness.replay(logB.bytes, name: "b.hl7")
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let second = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: first + second)
        #expect(try !harness.feedEvents(about: a).contains("truncated"))
        #expect(try !harness.feedEvents(about: b).contains("truncated"))
    }

    // MARK: - inotify queue overflow

    @Test func anInotifyQueueOverflowFallsBackToAScanAndLosesNothing() async throws {
        let limit = try #require(FileWriting.maximumQueuedInotifyEvents())
        guard limit <= 100_000 else {
            try Test.cancel("max_queued_events is \(limit): too many events to overflow the queue quickly")
        }
        let harness = try DaemonHarness()
        let log = WrittenBytes()
        let feed = RotationFeed.generated(seed: 110, messages: 200)
        let parts = RotationFeed.parts(feed, 2)
        log.append(parts[0], to: harness.feed)  // its first batch shows the follower started
        try await harness.startAndWaitUntilReady()
        #expect(try await harness.waitFor(timeout: .seconds(20)) { harness.lastStatusCounters() != nil })
        let process = try #require(harness.process)

        // The daemon is stopped (SIGSTOP): it reads no event while more than its queue holds
        // happen: small appends (open, write, close: two events each) and new files.
        kill(process.processIdentifier, SIGSTOP)
        let rest = parts[1]
        let appends = min(limit, rest.count)  // twice as many events as the queue holds
        for index in 0..<appends {
            log.append(
                Array(rest[(index * rest.count / appends)..<((index + 1) * rest.count / appends)]),
                to: harness.feed)
        }
        var newFiles: [[UInt8]] = []
        for index in 0..<5 {
            let bytes = RotationFeed.sentinel("OV0\(index)")
            FileWriting.append(bytes, to: harness.directory + "/spool/new-\(index).hl7")
            newFiles.append(bytes)
        }
        log.append(RotationFeed.sentinel("OVF1"), to: harness.feed)
        kill(process.processIdentifier, SIGCONT)

        var expected = try harness.replay(log.bytes)
        for (index, bytes) in newFiles.enumerated() {
            expected = expected + (try harness.replay(bytes, name: "new-\(index).hl7"))
        }
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
        // The overflow was met (and reported as a feed problem), not merely outlasted.
        let warnings = try harness.journalEntries(["_PID=\(process.processIdentifier)", "PRIORITY=4"])
        #expect(
            warnings.contains { $0["EXTRAVASD_REASON"]?.contains("event queue overflowed") == true },
            "\(warnings.map { $0["MESSAGE"] ?? "" })")
    }

    // MARK: - Orphan segments

    @Test func orphanSegmentsAfterASettledMessageGoToTheDeadLettersWithAFeedEvent() async throws {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        let parts = RotationFeed.parts(RotationFeed.generated(seed: 111, messages: 80), 2)
        let writer = HeldWriter(harness.feed, log: log)  // held open: completion by settle time
        writer.write(parts[0] + RotationFeed.sentinel("ORP1"))
        #expect(try await harness.waitFor { try harness.hasAlert(controlID: "ORP10005") })

        // A segment line after the last message was completed by settle time: no message
        // of its own (so not replayed), a dead letter and a feed event.
        let orphanOffset = log.bytes.count
        let orphan = Array("NTE|1||a note sent after its message had settled\r".utf8)
        writer.write(orphan, record: false)
        #expect(try await harness.waitForFeedEvent("orphan_segments", about: harness.feed))
        writer.write(parts[1] + RotationFeed.sentinel("ORP2"))
        writer.close()

        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)

        let entry = try #require(
            try harness.journalEntries([
                "MESSAGE_ID=f91e211ae96a48ccb4061ab8fe7b7dc5", "EXTRAVASD_EVENT=orphan_segments",
                "EXTRAVASD_SOURCE=file:\(harness.feed)",
            ]).first)
        #expect(entry["PRIORITY"] == "6")
        #expect(entry["MESSAGE"] == "Feed \(harness.feed): orphan segments")
        let deadLetters = FileWriting.contents(harness.directory + "/state/dead-letters.hl7")
        let header =
            "# extravasd dead letter: file:\(harness.feed):\(orphanOffset) offset \(orphanOffset): segment lines after a completed message\n"
        #expect(
            deadLetters == Array(header.utf8) + orphan + [0x0A],
            "\(String(decoding: deadLetters, as: UTF8.self))")
    }

    // MARK: - Partial writes and completion

    @Test func aMessageSplitInsideASegmentSecondsApartIsReadOnce() async throws {
        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        let feed = RotationFeed.generated(seed: 112, messages: 60)
        let sentinel = RotationFeed.sentinel("SPL1")
        // Cut one generated message inside a segment (the writer holds the file: settle
        // time passes), and the alerting message of the sentinel inside its erythema OBX
        // (written by open-write-close: close-write and settle time pass).
        let starts = RotationFeed.messageStarts(feed)
        let inGenerated = try #require(cutInsideASegment(feed, from: starts[30]))
        let erythema = try #require(sentinel.firstRange(of: Array("OBX|2|CWE|ERYTHEMA".utf8)))
        let inSentinel = feed.count + erythema.lowerBound + 12
        let bytes = feed + sentinel

        let writer = HeldWriter(harness.feed, log: log)
        writer.write(Array(bytes[..<inGenerated]))
        try await Task.sleep(for: .milliseconds(2500))
        writer.write(Array(bytes[inGenerated..<inSentinel]))
        writer.close()
        try await Task.sleep(for: .milliseconds(2500))
        #expect(try !harness.hasAlert(controlID: "SPL10005"), "the alerting message is incomplete")
        log.append(Array(bytes[inSentinel...]), to: harness.feed)

        let expected = try harness.replay(log.bytes)
        #expect(log.bytes == bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
        #expect(counted.malformed == 0)
    }

    @Test func closeWriteCompletesTheLastMessageWellBeforeTheSettleTime() async throws {
        // A settle time far beyond the bound below: only close-write can complete the
        // message in time, however loaded the machine.
        let harness = try DaemonHarness(settleMilliseconds: 120_000)
        // The file is followed before it is written: a close-write before the daemon
        // watched the folder could not be seen (settle time would complete the message).
        FileWriting.overwrite(harness.feed, with: [])
        try await harness.startAndWaitUntilReady()
        #expect(try await harness.waitForFeedEvent("opened", about: harness.feed))
        let log = WrittenBytes()
        let written = ContinuousClock.now
        log.append(
            RotationFeed.generated(seed: 113, messages: 40) + RotationFeed.sentinel("CLW1"), to: harness.feed)
        // The last message ends the file: only IN_CLOSE_WRITE (or 120 s of quiet) completes it.
        #expect(
            try await harness.waitFor(timeout: .seconds(60)) { try harness.hasAlert(controlID: "CLW10005") })
        let elapsed = ContinuousClock.now - written
        #expect(elapsed < .seconds(60), "completed after \(elapsed), settle time is 120 s")

        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
    }

    @Test func settleTimeCompletesTheLastMessageOfAFileItsWriterKeepsOpen() async throws {
        let harness = try DaemonHarness(settleMilliseconds: 1500)
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        let writer = HeldWriter(harness.feed, log: log)  // never closed while followed
        defer { writer.close() }
        writer.write(RotationFeed.generated(seed: 114, messages: 40) + RotationFeed.sentinel("STL1"))
        let written = ContinuousClock.now
        #expect(
            try await harness.waitFor(timeout: .seconds(20)) { try harness.hasAlert(controlID: "STL10005") })
        let elapsed = ContinuousClock.now - written
        #expect(elapsed >= .milliseconds(1400), "completed after \(elapsed), before the settle time")

        let expected = try harness.replay(log.bytes)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        let counted = try await harness.stopAndCount()
        try harness.expectSameAsReplay(expected, counted: counted)
    }

    /// An offset inside a segment of the message starting at `start`: a few bytes into its
    /// third segment (past a field separator, before the segment's end).
    private func cutInsideASegment(_ bytes: [UInt8], from start: Int) -> Int? {
        var segment = 0
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0D {
                segment += 1
                if segment == 2 {
                    let end = bytes[(index + 1)...].firstIndex(of: 0x0D) ?? bytes.count
                    return end - index > 8 ? index + 6 : nil
                }
            }
            index += 1
        }
        return nil
    }
}
