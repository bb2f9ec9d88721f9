import FeedGen
import Foundation
import Journal
import Testing

/// Many feed files (an interface engine writing one file per message) and a long backlog,
/// against the real daemon under a low `ulimit -n`, the real journal and real files:
/// every message is read exactly once (the daemon's counters and alerts equal
/// `extravasd replay` of the same messages), the open descriptors stay under the limit,
/// `after_read: move:DIR` moves each file once, and the watchdog keeps pinging while a
/// backlog drains.
@Suite(
    "Many files and a long backlog (daemon)",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct ManyFilesTests {
    /// A generated feed cut into one message per file (most raise nothing, some alert).
    static func oneMessageFiles(seed: UInt64, count: Int) -> [[UInt8]] {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: seed, patients: 40, terminator: .cr, signShare: 0.1),
            messageCount: count)
        let starts = RotationFeed.messageStarts(feed) + [feed.count]
        return (0..<(starts.count - 1)).map { Array(feed[starts[$0]..<starts[$0 + 1]]) }
    }

    /// The name of the `index`th file: names sort in writing order.
    static func name(_ index: Int) -> String {
        "msg-" + String(repeating: "0", count: max(0, 6 - String(index).count)) + String(index) + ".hl7"
    }

    /// Writes the configuration: the spool's `*.hl7`, with `extra` lines under `feeds:`.
    static func configure(_ harness: DaemonHarness, feeds extra: String) throws {
        try """
        feeds:
          files: ["\(harness.directory)/spool/*.hl7"]
          settle_ms: 100
        \(extra)
        state_directory: \(harness.directory)/state

        """.write(toFile: harness.config, atomically: true, encoding: .utf8)
    }

    /// The names in `folder` (none when it cannot be read).
    static func names(in folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }

    /// Rows of the store's checkpoint table (via python3's sqlite3, read-only).
    static func storedCheckpoints(_ harness: DaemonHarness) throws -> Int? {
        let output = try DaemonHarness.shell(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True); "
                    + "print(c.execute('select count(*) from file_checkpoint').fetchone()[0])",
                harness.directory + "/state/extravasd.sqlite",
            ])
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `inotifyQueue`: the daemon's inotify queue (`max_queued_events`), `nil` for the
    /// host's (16,384 by default: events are lost once in a while); 1,000 loses them again
    /// and again, so that the scans that make up for lost events run while files are being
    /// written, and while descriptors run short (each scan must find the files whose events
    /// were lost before any later file is opened).
    @Test(arguments: [nil, 1000] as [Int?])
    func twentyThousandOneMessageFilesUnderUlimit256AreEachReadOnceAndMovedOnce(inotifyQueue: Int?)
        async throws
    {
        let count = 20_000
        let harness = try DaemonHarness()
        let processed = harness.directory + "/processed"
        try FileManager.default.createDirectory(atPath: processed, withIntermediateDirectories: true)
        try Self.configure(harness, feeds: "  after_read: \"move:\(processed)\"")
        let messages = Self.oneMessageFiles(seed: 1010, count: count)
        #expect(messages.count == count)
        let expected = try harness.replay(messages.flatMap { $0 })
        #expect(expected.alertIDs.count > 10, "some files alert")

        let started = ContinuousClock.now
        // The limit is read when an inotify instance is made: lowered for the daemon's start.
        let queueLimit = try inotifyQueue.map { try InotifyQueueLimit(lowered: $0) }
        defer { queueLimit?.restore() }
        try harness.start(openFileLimit: 256)
        let process = try #require(harness.process)
        let sampler = DescriptorSampler(pid: process.processIdentifier)
        let ready = try await harness.waitFor(timeout: .seconds(20)) {
            harness.receivedNotifications().contains { $0.at >= started && $0.text.contains("READY=1") }
        }
        #expect(ready, "READY=1")
        queueLimit?.restore()
        // The interface engine writes one file per message, as fast as it can.
        let spool = harness.directory + "/spool/"
        for (index, message) in messages.enumerated() {
            FileWriting.overwrite(spool + Self.name(index), with: message)
        }
        let written = ContinuousClock.now
        let moved = try await harness.waitFor(timeout: .seconds(120)) {
            Self.names(in: processed).count >= count && Self.names(in: harness.directory + "/spool").isEmpty
        }
        #expect(moved, "every file moved: \(Self.names(in: processed).count) of \(count)")
        let read = await eventually(timeout: .seconds(30), every: .milliseconds(200)) { () -> Bool? in
            harness.lastStatusCounters()?.messages == count ? true : nil
        }
        #expect(read == true, "\(String(describing: harness.lastStatusCounters()))")
        let drained = ContinuousClock.now
        // (The journal holds 40,000 feed events besides the alerts: polled sparingly.)
        let alerted = await eventually(timeout: .seconds(30), every: .seconds(1)) { () -> Bool? in
            (try? harness.journalAlertIDs().count) ?? 0 >= expected.alertIDs.count ? true : nil
        }
        #expect(alerted == true)
        print("20,000 files: written in \(written - started), read and moved in \(drained - written)")
        let counted = try await harness.stopAndCount()
        sampler.stop()
        // Exactly once: every message counted once, none read twice, none lost.
        #expect(counted.messages == expected.counters.messages, "messages (fewer: lost)")
        #expect(counted.resends == expected.counters.resends, "resends (more: read twice)")
        #expect(counted.malformed == expected.counters.malformed, "malformed")
        let ids = try harness.journalAlertIDs()
        #expect(Set(ids).count == ids.count, "no alert twice")
        // The same alerts as replay: the files were read in the order they were written
        // (a rescan reading the folder while files are created leaves the files its
        // events name to them; see OneMessageFilesOrderTests in FeedFollowerTests).
        try harness.expectSameAsReplay(expected, counted: counted)

        // Each file moved exactly once: the same names (no `-1` copies), the same bytes.
        let names = Self.names(in: processed).sorted()
        #expect(names == (0..<count).map(Self.name), "no file missing, none twice")
        for index in stride(from: 0, to: count, by: 997) {
            #expect(FileWriting.contents(processed + "/" + Self.name(index)) == messages[index])
        }
        #expect(Self.names(in: harness.directory + "/spool").isEmpty, "nothing left in the spool")
        #expect(try Self.storedCheckpoints(harness) == 0, "moved files' checkpoints released")
        #expect(sampler.samples > 10, "descriptors sampled")
        #expect(sampler.maximum <= 256, "open descriptors \(sampler.maximum) stay under the limit")
    }

    /// `/proc/sys/fs/inotify/max_queued_events` lowered until ``restore()`` (the test is
    /// cancelled, saying why, when it cannot be written: root only).
    final class InotifyQueueLimit: Sendable {
        static let path = "/proc/sys/fs/inotify/max_queued_events"
        let saved: String

        init(lowered events: Int) throws {
            guard let saved = try? String(contentsOfFile: Self.path, encoding: .utf8),
                access(Self.path, W_OK) == 0
            else {
                try Test.cancel("\(Self.path) cannot be written (root only): the lowered queue is not tried")
            }
            self.saved = saved.trimmingCharacters(in: .whitespacesAndNewlines)
            try "\(events)\n".write(toFile: Self.path, atomically: false, encoding: .utf8)
        }

        /// Puts the host's limit back (again: nothing changes).
        func restore() {
            try? "\(saved)\n".write(toFile: Self.path, atomically: false, encoding: .utf8)
        }
    }

    @Test func elevenHundredFilesUnderUlimit1024AreAllReadOnceAndIdleOnesClosed() async throws {
        let count = 1_100
        let harness = try DaemonHarness()
        try Self.configure(harness, feeds: "")
        let messages = Self.oneMessageFiles(seed: 1011, count: count)
        // Written before the daemon starts (a folder that filled during an outage).
        let spool = harness.directory + "/spool/"
        for (index, message) in messages.dropLast().enumerated() {
            FileWriting.overwrite(spool + Self.name(index), with: message)
        }
        let expected = try harness.replay(messages.flatMap { $0 })
        try harness.start(openFileLimit: 1024)
        let process = try #require(harness.process)
        let sampler = DescriptorSampler(pid: process.processIdentifier)
        #expect(await harness.waitForNotification("READY=1"))
        // One more while it runs: new files are still picked up.
        FileWriting.overwrite(spool + Self.name(count - 1), with: messages[count - 1])
        #expect(try await harness.waitForAlerts(expected.alertIDs, timeout: .seconds(60)))
        let done = await eventually(timeout: .seconds(60)) { () -> Bool? in
            harness.lastStatusCounters()?.messages == expected.counters.messages ? true : nil
        }
        #expect(done == true, "every message read: \(String(describing: harness.lastStatusCounters()))")
        // Files fully read are closed once idle (feeds.close_idle_ms, 10 s by default): a few
        // stay open. (Only the spool's files are counted: the journal reader holds one
        // descriptor per journal file, as many as the host's journal has.)
        let settled = await eventually(timeout: .seconds(40)) { () -> Int? in
            let open = DescriptorSampler.count(pid: process.processIdentifier, in: spool)
            return open < 20 ? open : nil
        }
        #expect(
            settled != nil,
            "idle files closed: \(DescriptorSampler.count(pid: process.processIdentifier, in: spool)) open")
        let counted = try await harness.stopAndCount()
        sampler.stop()
        try harness.expectSameAsReplay(expected, counted: counted)
        #expect(sampler.maximum <= 1024)
        // No file was taken for rotated or truncated (what a failed scan used to do).
        let events = try harness.journalEntries(["MESSAGE_ID=f91e211ae96a48ccb4061ab8fe7b7dc5"])
            .filter { $0["EXTRAVASD_SOURCE"]?.hasPrefix("file:\(spool)") == true }
            .compactMap { $0["EXTRAVASD_EVENT"] }
        #expect(events.filter { $0 == "opened" }.count == count, "each file opened once")
        #expect(
            !events.contains("rotated") && !events.contains("truncated") && !events.contains("closed"),
            "\(Set(events))")
    }

    @Test func aBacklogOfManyWatchdogIntervalsDrainsWithWatchdogPingsNeverPausingLongerThanHalfOfIt()
        async throws
    {
        let harness = try DaemonHarness()
        // A backlog written before the start (an outage of the interface engine link).
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 1012, patients: 60, terminator: .cr, signShare: 0.05),
            messageCount: 40_000)
        try Data(feed).write(to: URL(fileURLWithPath: harness.feed))
        let messages = RotationFeed.messageStarts(feed).count
        let watchdog = Duration.seconds(1)
        let started = ContinuousClock.now
        try harness.start(environment: ["WATCHDOG_USEC": "1000000"])
        defer { _ = harness.stop(signal: SIGKILL) }
        #expect(await harness.waitForNotification("READY=1"))
        let drained = await eventually(timeout: .seconds(120)) { () -> ContinuousClock.Instant? in
            harness.lastStatusCounters()?.messages == messages ? ContinuousClock.now : nil
        }
        let end = try #require(
            drained, "the backlog drains: \(String(describing: harness.lastStatusCounters()))")
        // Several watchdog intervals of work (on a fast machine: more messages make it so).
        #expect(end - started >= watchdog * 3, "the backlog took \(end - started)")
        let pings = harness.receivedNotifications().filter {
            $0.text.split(separator: "\n").contains("WATCHDOG=1")
        }.map(\.at).filter { $0 >= started && $0 <= end }
        #expect(pings.count >= 4)
        let longest = zip(pings, pings.dropFirst()).map { $1 - $0 }.max() ?? .zero
        let firstPing = pings.first.map { $0 - started } ?? .seconds(999)
        #expect(firstPing <= watchdog, "first WATCHDOG=1 after \(firstPing)")
        #expect(longest <= watchdog / 2, "WATCHDOG=1 paused for \(longest) while the backlog drained")
        let process = try #require(harness.process)
        #expect(process.isRunning)
    }
}

/// Samples how many descriptors a process has open (`/proc/PID/fd`) every 20 ms on a
/// thread of its own, until stopped.
final class DescriptorSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var highest = 0
    private var taken = 0
    private var stopping = false

    init(pid: Int32) {
        let thread = Thread { [self] in
            while !lock.withLock({ stopping }) {
                let open = Self.count(pid: pid)
                lock.withLock {
                    highest = max(highest, open)
                    taken += 1
                }
                usleep(20_000)
            }
        }
        thread.start()
    }

    /// The most descriptors seen open.
    var maximum: Int { lock.withLock { highest } }
    /// How many samples were taken.
    var samples: Int { lock.withLock { taken } }

    func stop() { lock.withLock { stopping = true } }

    /// The descriptors `pid` has open now (0 when it is gone).
    static func count(pid: Int32) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }

    /// How many of the process's descriptors are open on files in `folder`.
    static func count(pid: Int32, in folder: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return descriptors.count { descriptor in
            let target = try? FileManager.default.destinationOfSymbolicLink(
                atPath: "/proc/\(pid)/fd/" + descriptor)
            return target?.hasPrefix(folder) == true
        }
    }
}
