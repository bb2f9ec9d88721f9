import FeedGen
import Foundation
import Testing

/// A feedgen feed with a random seed for a fault test, and the alert ids `extravasd
/// replay` gives for it (the test's expected set): fresh ids each run, so entries an
/// earlier run left in this machine's journal never count.
struct FaultFeed {
    let seed: UInt64
    let bytes: [UInt8]
    let expected: [String]

    /// `messages` messages of 6 patients, a third with signs, segments ended by
    /// `terminator`; replayed with `harness`'s configuration (written to `expected.hl7`
    /// in its folder).
    init(_ harness: DaemonHarness, messages: Int, terminator: SegmentTerminatorStyle = .cr) throws {
        seed = UInt64.random(in: 1...UInt64(UInt32.max))
        bytes = FeedGenerator.feed(
            options: FeedOptions(seed: seed, patients: 6, terminator: terminator, signShare: 0.35),
            messageCount: messages)
        expected = try harness.replay(bytes).alertIDs
        #expect(expected.count >= 8, "alerts (seed \(seed)): \(expected.count)")
    }

    /// Appends the feed to `harness`'s followed file in `parts` appends cut at message
    /// starts, `pause` apart (several batches and commits).
    func append(to harness: DaemonHarness, in parts: Int, pause: Duration) async throws {
        let share = bytes.count / parts
        var written = 0
        for part in 0..<parts {
            var end = part == parts - 1 ? bytes.count : written + share
            while end < bytes.count && !DaemonTests.startsMessage(bytes, at: end) { end += 1 }
            try harness.append(Array(bytes[written..<end]))
            written = end
            try await Task.sleep(for: pause)
        }
    }
}
