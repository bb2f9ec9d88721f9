import FeedGen
import Foundation
import Journal
import Testing

/// Issue 16, a corrupted state database (DESIGN.md section 2): after a stop that was not
/// clean the daemon runs `PRAGMA quick_check` and refuses a damaged store (exit 65, the
/// file named, nothing changed); `extravasd state check` says what is wrong (exit 65);
/// `extravasd state rebuild --from FEED` moves it aside and builds a new store from the
/// feed; the daemon then delivers every alert of `replay` exactly once, the ones it had
/// written before the damage not again, and the ones lost with the store at last.
@Suite(
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct StateRecoveryTests {
    /// Runs `extravasd ARGUMENTS`: exit status, stdout, stderr.
    static func extravasd(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        try DaemonHarness.command(arguments)
    }

    /// Overwrites `count` bytes of `path` from `offset` with 0xA5.
    static func scribble(_ path: String, at offset: Int, count: Int) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        let garbage = [UInt8](repeating: 0xA5, count: count)
        #expect(pwrite(descriptor, garbage, count, off_t(offset)) == count)
        fsync(descriptor)
    }

    @Test func aDamagedStoreIsRefusedCheckedAndRebuiltFromTheFeedWithEachAlertOnce() async throws {
        let harness = try DaemonHarness(settleMilliseconds: 50)
        let state = harness.directory + "/state"
        let database = state + "/extravasd.sqlite"
        let feed = try FaultFeed(harness, messages: 1500)
        let (seed, expected) = (feed.seed, feed.expected)

        // A clean stop leaves the marker; the next start takes it away.
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        #expect(harness.stop() == 0)
        #expect(FileManager.default.fileExists(atPath: state + "/extravasd.sqlite.clean-stop"))

        // The daemon reads part of the feed and dies (SIGKILL after its third commit).
        try harness.start(environment: ["EXTRAVASD_TEST_FAULT": "commit:3"])
        #expect(await harness.waitForNotification("READY=1"))
        #expect(!FileManager.default.fileExists(atPath: state + "/extravasd.sqlite.clean-stop"))
        try await feed.append(to: harness, in: 4, pause: .milliseconds(150))
        let first = try #require(harness.process)
        #expect(await FaultPointTests.diedOfTheFault(first))
        let before = Set(try harness.journalAlerts().compactMap { $0["EXTRAVASD_ALERT_ID"] })
        #expect(before.count < expected.count, "killed before every alert was written")

        // Then the disk damages the store: its WAL folded in (as SQLite's next writer
        // would), then garbage over pages 2 to 5.
        let fold = Process()
        fold.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fold.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()",
            database,
        ]
        try fold.run()
        fold.waitUntilExit()
        #expect(fold.terminationStatus == 0)
        try Self.scribble(database, at: 4096, count: 4 * 4096)

        // The daemon refuses it: exit 65, the file named, the store unchanged.
        let damagedBytes = try Data(contentsOf: URL(fileURLWithPath: database))
        let refused = try Self.extravasd(["run", "--config", harness.config])
        #expect(refused.status == 65, "\(refused.errors)")
        #expect(refused.errors.contains(database) && refused.errors.contains("damaged"), "\(refused.errors)")
        #expect(refused.errors.contains("extravasd state rebuild"), "\(refused.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == damagedBytes, "nothing changed")

        // `state check` names the damage; `state rebuild` replays the feed into a new store.
        let check = try Self.extravasd(["state", "check", "--config", harness.config])
        #expect(check.status == 65)
        #expect(check.errors.contains("\(database): damaged: "), "\(check.errors)")
        #expect(check.output.contains("last stop: not clean"), "\(check.output)")
        let rebuild = try Self.extravasd([
            "state", "rebuild", "--config", harness.config, "--from", harness.feed,
        ])
        #expect(rebuild.status == 0, "\(rebuild.errors)")
        #expect(rebuild.output.contains("moved aside to \(database).damaged-"), "\(rebuild.output)")
        #expect(rebuild.output.contains("\(expected.count) alert(s) in the outbox"), "\(rebuild.output)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: state).filter {
            $0.hasPrefix("extravasd.sqlite.damaged-")
        }
        #expect(aside.count == 1, "the damaged store is kept: \(aside)")
        let healthy = try Self.extravasd(["state", "check", "--config", harness.config])
        #expect(healthy.status == 0, "\(healthy.errors)")
        #expect(healthy.output.contains("healthy"))
        let again = try Self.extravasd([
            "state", "rebuild", "--config", harness.config, "--from", harness.feed,
        ])
        #expect(again.status == 65, "a healthy store is not rebuilt without --force: \(again.errors)")

        // The daemon on the rebuilt store: every alert of the replay once, none again.
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let settled = try await eventually(timeout: .seconds(60)) { () -> Bool? in
            Set(try harness.journalAlerts().compactMap { $0["EXTRAVASD_ALERT_ID"] }) == Set(expected)
                ? true : nil
        }
        // A file appended after the rebuild is read from the checkpoint at the old end.
        let mrn = "R" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try BoundedMemoryTests.freshSeedCase(mrn: mrn))
        let late = try await eventually(timeout: .seconds(30)) {
            try harness.journalAlerts().first { $0["EXTRAVASD_PATIENT"] == mrn }
        }
        #expect(harness.stop() == 0)
        let ids = try harness.journalAlerts().compactMap { $0["EXTRAVASD_ALERT_ID"] }
        #expect(settled == true, "every alert of the replay reached the journal (seed \(seed))")
        #expect(late != nil, "a message appended after the rebuild alerts")
        #expect(Set(ids) == Set(expected).union(late.flatMap { $0["EXTRAVASD_ALERT_ID"] }.map { [$0] } ?? []))
        #expect(ids.count == expected.count + 1, "each exactly once (seed \(seed)): \(ids.count) entries")
    }

    /// `SQL` answered by Python's sqlite3 on `database` (its first column, first row).
    static func query(_ database: String, _ sql: String) throws -> Int? {
        let output = try DaemonHarness.shell(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=10); print(c.execute(sys.argv[2]).fetchone()[0]); c.close()",
                database, sql,
            ])
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func aDamagedWALTailStepsTheStoreBackAndTheJournalStillHoldsEachAlertOnce() async throws {
        let harness = try DaemonHarness(settleMilliseconds: 50)
        let database = harness.directory + "/state/extravasd.sqlite"
        let feed = try FaultFeed(harness, messages: 2000)
        let (seed, expected) = (feed.seed, feed.expected)

        // Every alert written and marked delivered, in several commits; then kill -9.
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        try await feed.append(to: harness, in: 8, pause: .milliseconds(250))
        let delivered = try await eventually(timeout: .seconds(60)) { () -> Bool? in
            try Self.query(database, "SELECT count(*) FROM alert_outbox WHERE delivered = 1")
                == expected.count
                ? true : nil
        }
        #expect(delivered == true, "every alert marked delivered before the kill")
        #expect(harness.stop(signal: SIGKILL) == SIGKILL)

        // Garbage in the middle of the WAL: SQLite drops that frame and every later one,
        // so the store steps back to an earlier commit (fewer alerts, fewer marks).
        let wal = database + "-wal"
        let size = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        let frames = (size - 32) / (24 + 4096)
        #expect(frames >= 4, "the WAL holds the last commits: \(frames) frames")
        try Self.scribble(wal, at: 32 + (frames / 2) * (24 + 4096) + 24 + 100, count: 64)
        let kept = try Self.query(database, "SELECT count(*) FROM alert_outbox WHERE delivered = 1") ?? 0
        #expect(kept < expected.count, "the store stepped back: \(kept) of \(expected.count) marks left")

        // The daemon reads again from the earlier checkpoints and raises the same alerts:
        // those already in the journal are not written again.
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let caughtUp = try await eventually(timeout: .seconds(60)) { () -> Bool? in
            try Self.query(database, "SELECT count(*) FROM alert_outbox WHERE delivered = 1")
                == expected.count
                ? true : nil
        }
        #expect(caughtUp == true, "the alerts of the lost commits are raised and delivered again")
        #expect(harness.stop() == 0)
        let ids = try harness.journalAlerts().compactMap { $0["EXTRAVASD_ALERT_ID"] }
        #expect(Set(ids) == Set(expected))
        #expect(ids.count == expected.count, "each exactly once (seed \(seed)): \(ids.count) entries")
    }
}
