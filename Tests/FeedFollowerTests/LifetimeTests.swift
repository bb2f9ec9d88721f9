import FeedFollower
import Testing

@Suite("Follower lifetime")
struct LifetimeTests {
    @Test func cancellingTheConsumerStopsTheFollowerAndClosesItsFiles() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("A"), to: path)
        let run = FollowerRun(settings(folder))
        #expect(await run.waitUntil { await $0.controlIDs == ["A"] })
        #expect(descriptorsOpen(on: path) == 1)
        await run.stop()
        #expect(await eventually { descriptorsOpen(on: path) == 0 })
    }

    @Test func droppingTheSequenceStopsTheFollower() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("feed.hl7")
        Disk.append(message("A") + message("B"), to: path)
        let follower = FeedFollower(settings: settings(folder))
        do {
            var iterator = follower.batches().makeAsyncIterator()
            let first = await iterator.next()
            #expect(first?.events.contains(.opened(path: path)) == true)
            #expect(descriptorsOpen(on: path) == 1)
        }
        #expect(await eventually { descriptorsOpen(on: path) == 0 })
    }

    @Test func aBacklogArrivesInBoundedBatches() async {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("big.hl7")
        Disk.append((0..<1000).map { message("M\($0)") }.joined(), to: path)
        var settings = settings(folder)
        settings.maximumBatchMessages = 100
        settings.chunkSize = 4096
        let run = FollowerRun(settings)
        #expect(await run.waitUntil(timeout: .seconds(60)) { await $0.messages.count == 1000 })
        await run.stop()
        let batches = await run.collected.batches
        #expect(batches.allSatisfy { $0.messages.count <= 100 })
        // In order, each once: batches reach the consumer in the order they were cut.
        #expect(await run.collected.controlIDs == (0..<1000).map { "M\($0)" })
        // Every batch's checkpoint is the end of its last message.
        for batch in batches {
            guard let last = batch.messages.last else { continue }
            #expect(batch.checkpoints.first?.offset == last.endOffset)
        }
    }
}
