import FeedFollower
import HL7
import Testing

@Suite("Following feed files")
struct FollowingTests {
    @Test func appendsToAnExistingFileAreDelivered() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("A"), to: path)
        let run = FollowerRun(settings(folder))
        #expect(await run.waitForOpened(path))
        #expect(await run.waitUntil { await $0.controlIDs == ["A"] })

        Disk.append(message("B") + message("C"), to: path)
        #expect(await run.waitUntil { await $0.controlIDs == ["A", "B", "C"] })
        await run.stop()

        let messages = await run.collected.messages
        #expect(messages.map(\.path) == [path, path, path])
        #expect(messages[0].offset == 0)
        #expect(messages[1].offset == messages[0].endOffset)
        #expect(messages[2].offset == messages[1].endOffset)
        let last = try #require(await run.collected.lastCheckpoints.first)
        #expect(last.offset == messages[2].endOffset)
        #expect(last.identity == messages[2].identity)
    }

    @Test func aNewFileMatchingTheGlobIsPickedUp() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let run = FollowerRun(settings(folder))
        // Let the follower start on the empty folder.
        try? await Task.sleep(for: .milliseconds(100))
        Disk.append(message("OTHER"), to: folder.file("notes.txt"))
        let path = folder.file("new.hl7")
        Disk.append(message("N1") + message("N2"), to: path)
        #expect(await run.waitUntil { await $0.controlIDs == ["N1", "N2"] })
        await run.stop()
        let events = await run.collected.events
        #expect(events.contains(.opened(path: path)))
        #expect(!events.contains { $0.path.hasSuffix("notes.txt") })
    }

    @Test func aMessageSplitInsideASegmentIsDeliveredOnce() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append("", to: path)
        let run = FollowerRun(settings(folder))
        #expect(await run.waitForOpened(path))

        let text = message("SPLIT", patient: "987654")
        let head = "MSH|^~\\&|LAB|HOSP|EXTRAVASD|HOSP|20240101120000||ORU^R01|SPLIT|P|2.5\rPID|1||9876"
        #expect(text.hasPrefix(head))
        Disk.append(head, to: path)  // ends inside PID-3
        try await Task.sleep(for: .milliseconds(1500))
        #expect(await run.collected.messages.isEmpty)

        Disk.append(String(text.dropFirst(head.count)), to: path)
        #expect(await run.waitUntil { await $0.messages.count == 1 })
        try await Task.sleep(for: .milliseconds(400))  // more than the settle time: nothing else comes
        await run.stop()

        let messages = await run.collected.messages
        #expect(messages.count == 1)
        let parsed = try messages[0].result.get()
        #expect(parsed.controlID == "SPLIT")
        #expect(parsed.segment("PID")?[3].component(1).string == "987654")
        #expect(messages[0].endOffset == text.utf8.count)
        #expect(await run.collected.orphans.isEmpty)
    }

    @Test func aQuietTrailingMessageCompletesAfterTheSettleTime() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        let writer = Writer(path)  // held open: no close-write
        let settle = Duration.milliseconds(300)
        let run = FollowerRun(settings(folder, settle: settle))
        #expect(await run.waitForOpened(path))

        let start = ContinuousClock.now
        writer.write(message("Q"))
        #expect(await run.waitUntil { await $0.controlIDs == ["Q"] })
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(250), "completed after \(elapsed), before the settle time")
        writer.close()
        await run.stop()
    }

    @Test func closeWriteCompletesAMessageWellBeforeTheSettleTime() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append("", to: path)
        // A settle time far beyond the bound below: only close-write can complete the
        // message in time, however loaded the machine.
        let run = FollowerRun(settings(folder, settle: .seconds(120)))
        #expect(await run.waitForOpened(path))

        let start = ContinuousClock.now
        Disk.append(message("CW"), to: path)  // open, write, close
        #expect(await run.waitUntil(timeout: .seconds(60)) { await $0.controlIDs == ["CW"] })
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(60), "close-write completion took \(elapsed), settle time is 120 s")
        await run.stop()
    }
}
