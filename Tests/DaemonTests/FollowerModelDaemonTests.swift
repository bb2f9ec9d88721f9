import FeedGen
import Foundation
import Journal
import Testing

/// Issue 16, proof of the guarantees: a sample of the follower's property test against the
/// real daemon (the in-process test, `FollowerModelTests`, runs hundreds of sequences
/// against the follower alone).
///
/// Each sample is a seeded random sequence of the operations that destroy nothing —
/// appends, split writes, rotation by rename, copytruncate, restarts (SIGTERM) and
/// `kill -9` — on the daemon's feed, ending with a sentinel. The model is `extravasd
/// replay` of every byte written, in the order written: the journal must hold exactly its
/// alerts, each once, and, when no run was killed, the daemon's counters summed over its
/// runs must match replay's messages, resends and malformed (a message lost shows as fewer
/// messages, one read twice as a resend).
///
/// `EXTRAVASD_PROPERTY_SEED` (decimal or `0x` hex) chooses the sequences, as in the
/// in-process test.
@Suite(
    "Follower model against the daemon (property test sample)",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct FollowerModelDaemonTests {
    /// One step of a sample, printed as a Swift literal.
    enum Step: Equatable, Sendable, CustomStringConvertible {
        /// The next `messages` messages of the feed, appended (open, write, close).
        case append(messages: Int)
        /// The next `messages` messages written by a writer holding the file, the last one
        /// cut inside a segment and finished `pauseMS` later.
        case splitWrite(messages: Int, pauseMS: Int)
        /// The feed renamed `feed.hl7.1` (older rotations moved up); the next write creates it.
        case renameRotate
        /// The feed copied to `feed.hl7.1` (older rotations moved up) and truncated.
        case copyTruncate
        /// SIGTERM, then the daemon started again.
        case restart
        /// SIGKILL, then the daemon started again.
        case kill

        var description: String {
            switch self {
            case .append(let messages): ".append(messages: \(messages))"
            case .splitWrite(let messages, let pause): ".splitWrite(messages: \(messages), pauseMS: \(pause))"
            case .renameRotate: ".renameRotate"
            case .copyTruncate: ".copyTruncate"
            case .restart: ".restart"
            case .kill: ".kill"
            }
        }
    }

    /// The seed when `EXTRAVASD_PROPERTY_SEED` is not set.
    static let defaultSeed: UInt64 = 0x16_DAE0
    /// Samples per run.
    static let samples = 12

    static var seed: UInt64 {
        guard let text = ProcessInfo.processInfo.environment["EXTRAVASD_PROPERTY_SEED"], !text.isEmpty else {
            return defaultSeed
        }
        if text.lowercased().hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) ?? defaultSeed }
        return UInt64(text) ?? defaultSeed
    }

    /// A sample of 3 to 8 steps (an append first, so the feed exists when the first
    /// rotation comes).
    static func steps(_ random: inout SeededRandom) -> [Step] {
        let length = Int.random(in: 3...8, using: &random)
        var steps: [Step] = (0..<length).map { _ in
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<30: .append(messages: Int.random(in: 5...30, using: &random))
            case 30..<45:
                .splitWrite(
                    messages: Int.random(in: 1...10, using: &random),
                    pauseMS: Int.random(in: 0...400, using: &random))
            case 45..<62: .renameRotate
            case 62..<79: .copyTruncate
            case 79..<90: .restart
            default: .kill
            }
        }
        if case .append = steps.first {} else { steps.insert(.append(messages: 10), at: 0) }
        return steps
    }

    /// Rows of the store's checkpoint table: inode, offset, fingerprint (via python3's
    /// sqlite3, read-only, as ``ManyFilesTests`` reads it).
    static func storedCheckpoints(_ harness: DaemonHarness) throws -> [(
        inode: UInt64, offset: Int, head: [UInt8]
    )] {
        let output = try DaemonHarness.shell(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True); "
                    + "[print(i, o, f.hex()) for i, o, f in "
                    + "c.execute('select inode, byte_offset, fingerprint from file_checkpoint')]",
                harness.directory + "/state/extravasd.sqlite",
            ])
        return output.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: false)
            guard words.count == 3, let inode = UInt64(words[0]), let offset = Int(words[1]) else {
                return nil
            }
            let hex = Array(words[2].utf8)
            let head = stride(from: 0, to: hex.count - 1, by: 2).compactMap {
                UInt8(String(decoding: hex[$0...$0 + 1], as: UTF8.self), radix: 16)
            }
            return (inode, offset, head)
        }
    }

    /// A seeded sample of steps against the daemon loses and repeats no alert: the journal
    /// holds exactly the alerts of `extravasd replay` of every byte written, each once
    /// (and the counters match replay's when no run was killed).
    @Test(arguments: 0..<samples)
    func aSampleOfRandomStepsGivesTheAlertsOfReplayEachOnce(sample: Int) async throws {
        let seed = Self.seed
        var random = SeededRandom(seed: seed ^ (UInt64(sample + 1) &* 0xD1B5_4A32_D192_ED03))
        let steps = Self.steps(&random)
        let sequence = "[" + steps.map(\.description).joined(separator: ", ") + "]"
        print("FollowerModelDaemonTests: seed \(seed) sample \(sample): \(sequence)")

        let messages = steps.reduce(0) {
            switch $1 {
            case .append(let count), .splitWrite(let count, _): $0 + count
            default: $0
            }
        }
        let feed = RotationFeed.generated(seed: random.next() % 1_000_000, messages: messages + 1)
        let starts = RotationFeed.messageStarts(feed) + [feed.count]
        var next = 0
        func take(_ count: Int) -> [UInt8] {
            let end = min(next + count, starts.count - 1)
            defer { next = end }
            return Array(feed[starts[next]..<starts[end]])
        }

        let harness = try DaemonHarness()
        try await harness.startAndWaitUntilReady()
        let log = WrittenBytes()
        var counted = StatusCounters(messages: 0, resends: 0, malformed: 0, alerts: 0)
        var killed = false
        var rotations = 0
        // The bytes of the file at the feed path since it was made or truncated (nil: none).
        var current: [UInt8]? = nil

        /// Waits until the daemon committed a checkpoint inside the current file's content:
        /// a file renamed away before the daemon opened it cannot be followed, and a copy
        /// is recognised by bytes read before the truncation (README, "Rotation").
        func waitUntilRead() async throws {
            guard let bytes = current, !bytes.isEmpty else { return }
            let inode = FileWriting.inode(harness.feed)
            let read = try await harness.waitFor(timeout: .seconds(20)) {
                try Self.storedCheckpoints(harness).contains {
                    $0.inode == inode && $0.offset > 0 && !$0.head.isEmpty && bytes.starts(with: $0.head)
                }
            }
            #expect(read, "the daemon read the feed before it was rotated (\(sequence))")
        }

        func shiftRotations() {
            for generation in stride(from: rotations, through: 1, by: -1) {
                _ = rename(harness.feed + ".\(generation)", harness.feed + ".\(generation + 1)")
            }
            rotations += 1
        }

        for step in steps {
            switch step {
            case .append(let count):
                let bytes = take(count)
                log.append(bytes, to: harness.feed)
                current = (current ?? []) + bytes
            case .splitWrite(let count, let pause):
                let bytes = take(count)
                let cuts = (max(1, bytes.count - 120)..<bytes.count).filter {
                    bytes[$0 - 1] != 0x0D && bytes[$0 - 1] != 0x0A
                }
                let cut = cuts.isEmpty ? bytes.count : cuts[Int.random(in: 0..<cuts.count, using: &random)]
                let writer = HeldWriter(harness.feed, log: log)
                writer.write(Array(bytes[..<cut]))
                try await Task.sleep(for: .milliseconds(pause))
                writer.write(Array(bytes[cut...]))
                writer.close()
                current = (current ?? []) + bytes
            case .renameRotate:
                guard current != nil else { continue }
                try await waitUntilRead()
                shiftRotations()
                #expect(rename(harness.feed, harness.feed + ".1") == 0)
                current = nil
            case .copyTruncate:
                guard current != nil else { continue }
                try await waitUntilRead()
                shiftRotations()
                FileWriting.overwrite(harness.feed + ".1", with: FileWriting.contents(harness.feed))
                #expect(truncate(harness.feed, 0) == 0)
                current = []
            case .restart:
                counted = counted + (try await harness.stopAndCount())
                try await harness.startAndWaitUntilReady()
            case .kill:
                _ = harness.stop(signal: SIGKILL)
                killed = true
                try await harness.startAndWaitUntilReady()
            }
        }
        // The sentinel's alert comes from its last message: everything before it was read.
        log.append(RotationFeed.sentinel(String(format: "PM%02d", sample % 100)), to: harness.feed)

        let expected = try harness.replay(log.bytes)
        #expect(
            try await harness.waitForAlerts(expected.alertIDs, timeout: .seconds(60)),
            "every alert of replay in the journal (\(sequence))")
        let last = try await harness.stopAndCount()
        if killed {
            // A killed run's counters are lost with it: the alerts are the proof.
            let ids = try harness.journalAlertIDs()
            #expect(ids.sorted() == expected.alertIDs.sorted(), "each alert of replay once (\(sequence))")
        } else {
            try harness.expectSameAsReplay(expected, counted: counted + last)
        }
    }
}
