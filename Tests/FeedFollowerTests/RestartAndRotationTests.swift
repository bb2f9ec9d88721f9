import FeedFollower
import Glibc
import HL7
import Testing

@Suite("Checkpoints, truncation, rotation, orphan lines")
struct RestartAndRotationTests {
    @Test func resumingFromACheckpointDeliversOnlyLaterMessages() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("A") + message("B") + message("C"), to: path)

        let first = FollowerRun(settings(folder))
        // C is the trailing message: it completes by settle time, its end is the checkpoint.
        #expect(await first.waitUntil { await $0.controlIDs == ["A", "B", "C"] })
        await first.stop()
        let checkpoints = await first.collected.lastCheckpoints
        let size = message("A").utf8.count * 3
        #expect(checkpoints.map(\.offset) == [size])
        #expect(checkpoints.map(\.path) == [path])

        Disk.append(message("D") + message("E"), to: path)
        let second = FollowerRun(settings(folder), checkpoints: checkpoints)
        #expect(await second.waitUntil { await $0.controlIDs == ["D", "E"] })
        try await Task.sleep(for: .milliseconds(400))
        await second.stop()
        #expect(await second.collected.controlIDs == ["D", "E"])
        #expect(await second.collected.messages.first?.offset == size)
        #expect(await second.collected.orphans.isEmpty)
        #expect(await !second.collected.events.contains(.truncated(path: path)))
    }

    @Test func aCheckpointBeyondTheFileOrWithOtherFirstBytesRestartsAtZero() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("A") + message("B"), to: path)
        let first = FollowerRun(settings(folder))
        #expect(await first.waitUntil { await $0.controlIDs == ["A", "B"] })
        await first.stop()
        let checkpoints = await first.collected.lastCheckpoints

        Disk.overwrite(path, with: message("Z", patient: "555"))  // same inode, shorter
        let second = FollowerRun(settings(folder), checkpoints: checkpoints)
        #expect(await second.waitUntil { await $0.controlIDs == ["Z"] })
        await second.stop()
        #expect(await second.collected.events.contains(.truncated(path: path)))
        #expect(await second.collected.messages.first?.offset == 0)
    }

    /// Writes the messages `ids` to `path`, follows until they are out, and returns the
    /// checkpoint the follower left for the file.
    static func checkpointAfterReading(_ ids: [String], at path: String, in folder: TemporaryFolder)
        async throws -> FollowerCheckpoint
    {
        Disk.append(ids.map { message($0) }.joined(), to: path)
        let run = FollowerRun(settings(folder))
        #expect(await run.waitUntil { await $0.controlIDs == ids })
        await run.stop()
        return try #require(await run.collected.lastCheckpoints.first)
    }

    /// A checkpoint stored by another host of a shared spool (NFS: its own device number
    /// for the same file) is taken by the file with its inode and content here, not read
    /// again from the start (DESIGN.md section 10); the other device's checkpoint is
    /// released and this device's stored in the same batch.
    @Test func aCheckpointOfAnotherDeviceResumesTheSameFileByInodeAndContent() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        let local = try await Self.checkpointAfterReading(["A", "B", "C"], at: path, in: folder)
        var other = local
        other.identity.device = local.identity.device &+ 1

        Disk.append(message("D"), to: path)
        let second = FollowerRun(settings(folder), checkpoints: [other])
        #expect(await second.waitUntil { await $0.controlIDs == ["D"] })
        try await Task.sleep(for: .milliseconds(400))
        await second.stop()
        #expect(await second.collected.controlIDs == ["D"])
        #expect(await second.collected.messages.first?.offset == local.offset)
        let firstBatch = try #require(await second.collected.batches.first)
        #expect(firstBatch.released.map(\.identity) == [other.identity])
        #expect(firstBatch.checkpoints.map(\.identity.device) == [local.identity.device])
        #expect(await second.collected.lastCheckpoints.map(\.identity.device) == [local.identity.device])
    }

    /// A checkpoint of another device whose inode here holds other content (another file
    /// got the inode) is not resumed: the file is read from its start.
    @Test func aCheckpointOfAnotherDeviceForOtherContentStartsAtZero() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        var other = try await Self.checkpointAfterReading(["A", "B"], at: path, in: folder)
        other.identity.device &+= 1

        Disk.overwrite(path, with: message("Y", patient: "555") + message("Z", patient: "555"))
        let second = FollowerRun(settings(folder), checkpoints: [other])
        #expect(await second.waitUntil { await $0.controlIDs == ["Y", "Z"] })
        await second.stop()
        #expect(await second.collected.messages.first?.offset == 0)
        #expect(await second.collected.batches.flatMap(\.released).map(\.identity).contains(other.identity))
    }

    @Test func truncationWhileFollowingIsDetected() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("A") + message("B"), to: path)
        let run = FollowerRun(settings(folder))
        #expect(await run.waitUntil { await $0.controlIDs == ["A", "B"] })

        Disk.overwrite(path, with: "")
        Disk.append(message("C"), to: path)
        #expect(await run.waitUntil { await $0.controlIDs == ["A", "B", "C"] })
        await run.stop()
        #expect(await run.collected.events.contains(.truncated(path: path)))
        let c = try #require(await run.collected.messages.last)
        #expect(c.offset == 0)
        #expect(await run.collected.lastCheckpoints.first?.offset == c.endOffset)
    }

    @Test func renameAndCreateDeliversTheOldTailThenTheNewFile() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        let writer = Writer(path)
        writer.write(message("OLD1"))
        let run = FollowerRun(settings(folder))
        #expect(await run.waitUntil { await $0.controlIDs == ["OLD1"] })

        // The writer appends its last message, the file is rotated, the writer moves on.
        writer.write(message("OLD2"))
        #expect(rename(path, folder.file("feed.hl7.1")) == 0)
        writer.close()
        Disk.append(message("NEW1") + message("NEW2"), to: path)

        #expect(await run.waitUntil { await $0.controlIDs == ["OLD1", "OLD2", "NEW1", "NEW2"] })
        await run.stop()
        let messages = await run.collected.messages
        #expect(messages.map(\.path) == [path, path, path, path])
        #expect(messages[0].identity.inode == messages[1].identity.inode)
        #expect(messages[1].identity.inode != messages[2].identity.inode)
        #expect(messages[2].offset == 0)
        // The new file is opened at once (it waits, unread, behind the old one), then the
        // old one is let go before the new one is read.
        let events = await run.collected.events
        let rotated = try #require(events.firstIndex(of: .rotated(path: path)))
        let closed = try #require(events.firstIndex(of: .closed(path: path)))
        #expect(rotated < closed)
        #expect(events.filter { $0 == .opened(path: path) }.count == 2)
        let batches = await run.collected.batches
        let closedBatch = try #require(batches.firstIndex { $0.events.contains(.closed(path: path)) })
        let firstNewBatch = try #require(
            batches.firstIndex { $0.messages.contains { $0.controlID == "NEW1" } })
        #expect(closedBatch <= firstNewBatch)
        let checkpoints = await run.collected.lastCheckpoints
        #expect(checkpoints.count == 1)
        #expect(checkpoints.first?.identity.inode == messages[2].identity.inode)
    }

    @Test func orphanSegmentsAfterASettledMessageAreReported() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        let writer = Writer(path)
        let run = FollowerRun(settings(folder))
        #expect(await run.waitForOpened(path))

        writer.write(message("A"))
        #expect(await run.waitUntil { await $0.controlIDs == ["A"] })  // by settle time
        let end = message("A").utf8.count
        #expect(await run.collected.lastCheckpoints.first?.offset == end)

        let late = "OBX|2|TX|SITE^Site^L||swelling||||||F\r"
        writer.write(late)
        #expect(await run.waitUntil { await !$0.orphans.isEmpty })
        let orphan = try #require(await run.collected.orphans.first)
        #expect(orphan.offset == end)
        #expect(orphan.bytes == Array(late.utf8))
        #expect(await run.collected.lastCheckpoints.first?.offset == end + late.utf8.count)

        // More orphan lines, then a new message: both come out, nothing twice.
        let later = "NTE|1||late note\r"
        writer.write(later + message("B"))
        writer.close()
        #expect(await run.waitUntil { await $0.controlIDs == ["A", "B"] })
        await run.stop()
        let orphans = await run.collected.orphans
        #expect(orphans.count == 2)
        #expect(orphans.last?.offset == end + late.utf8.count)
        #expect(orphans.last?.bytes == Array(later.utf8))
        let b = try #require(await run.collected.messages.last)
        #expect(b.offset == end + late.utf8.count + later.utf8.count)
    }

    @Test func blankLinesAndFramingAfterASettledMessageAreNotOrphans() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        let writer = Writer(path)
        let run = FollowerRun(settings(folder))
        #expect(await run.waitForOpened(path))
        writer.write(message("A"))
        #expect(await run.waitUntil { await $0.controlIDs == ["A"] })
        writer.write("\r\n\u{1C}\r")
        writer.write(message("B"))
        writer.close()
        #expect(await run.waitUntil { await $0.controlIDs == ["A", "B"] })
        await run.stop()
        #expect(await run.collected.orphans.isEmpty)
    }

    @Test func aDeletedFileIsReadToItsEndThenLetGo() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        let writer = Writer(path)
        let run = FollowerRun(settings(folder))
        #expect(await run.waitForOpened(path))
        writer.write(message("LAST"))
        #expect(unlink(path) == 0)
        #expect(await run.waitUntil { await $0.events.contains(.closed(path: path)) })
        writer.close()
        await run.stop()
        #expect(await run.collected.controlIDs == ["LAST"])
        #expect(await !run.collected.events.contains(.rotated(path: path)))
        #expect(await run.collected.lastCheckpoints.isEmpty)
    }

    @Test func aFileRotatedWhileStoppedIsReadFromItsCheckpointFirst() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("A"), to: path)
        let first = FollowerRun(settings(folder))
        #expect(await first.waitUntil { await $0.controlIDs == ["A"] })
        await first.stop()
        let checkpoints = await first.collected.lastCheckpoints

        // While stopped: the writer appends B, the file is rotated, C goes to a new file.
        Disk.append(message("B"), to: path)
        #expect(rename(path, folder.file("feed.hl7.1")) == 0)
        Disk.append(message("C"), to: path)

        let second = FollowerRun(settings(folder), checkpoints: checkpoints)
        #expect(await second.waitUntil { await $0.controlIDs == ["B", "C"] })
        try await Task.sleep(for: .milliseconds(300))
        await second.stop()
        let messages = await second.collected.messages
        #expect(messages.map(\.controlID) == ["B", "C"])
        #expect(messages[0].identity.inode == checkpoints[0].identity.inode)
        #expect(messages[0].offset == checkpoints[0].offset)
        #expect(messages[1].offset == 0)
    }
}
