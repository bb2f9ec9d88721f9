import Daemon
import Foundation
import Journal
import Testing

/// SIGHUP reload, the watchdog and STATUS= of the real `extravasd run`, seen on the
/// notify socket the test binds and in the journal.
@Suite(
    "Reload and watchdog",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct ReloadAndWatchdogTests {
    /// Lifecycle entries of `process` with `EXTRAVASD_EVENT` = `event`.
    func lifecycleEntries(_ event: String, process: Process, harness: DaemonHarness) throws -> [[String:
        String]]
    {
        try entries(of: process, "EXTRAVASD_EVENT", event, harness: harness)
    }

    /// Journal entries of `process` with `field` = `value`.
    func entries(of process: Process, _ field: String, _ value: String, harness: DaemonHarness) throws
        -> [[String: String]]
    {
        _ = try DaemonHarness.shell("/usr/bin/journalctl", ["--sync"])
        let output = try DaemonHarness.shell(
            "/usr/bin/journalctl",
            [
                "-o", "json", "--all", "--since", "@\(harness.createdAt)", "--no-pager",
                "_PID=\(process.processIdentifier)", "\(field)=\(value)",
            ])
        return output.split(separator: "\n").compactMap { line in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?.compactMapValues {
                $0 as? String
            }
        }
    }

    func writeConfig(_ harness: DaemonHarness, pattern: String, extra: String = "") throws {
        try """
        feeds:
          files: ["\(harness.directory)/spool/\(pattern)"]
          settle_ms: 100
        state_directory: \(harness.directory)/state
        \(extra)
        """.write(toFile: harness.config, atomically: true, encoding: .utf8)
    }

    func appendSeedCase(to path: String, mrn: String) throws {
        let bytes = try DaemonTests.seedCaseFeed(mrn: mrn)
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    // MARK: - Reload

    @Test func sighupWithAGoodConfigurationReloadsItBetweenReloadingAndReady() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        let process = try #require(harness.process)
        #expect(await harness.waitForNotification("READY=1"))
        // The new configuration follows *.txt files, which the running one does not.
        try writeConfig(harness, pattern: "*.txt")
        try harness.reload()
        #expect(await harness.waitForNotification("RELOADING=1"))
        #expect(await harness.waitForNotification("READY=1"), "READY=1 again once the new configuration runs")
        let reloaded = try #require(
            try await eventually {
                try lifecycleEntries("reloaded", process: process, harness: harness).first
            })
        #expect(reloaded["MESSAGE_ID"] == "be6f9d17828147a5b4bdd75009a48485")
        #expect(reloaded["PRIORITY"] == "6")
        #expect(reloaded["EXTRAVASD_CONFIG"] == harness.config)
        let mrn = "H" + String(UInt32.random(in: 0...UInt32.max))
        let text = harness.directory + "/spool/feed.txt"
        try appendSeedCase(to: text, mrn: mrn)
        let alert = try #require(
            try await eventually { try harness.journalAlerts().first },
            "only the new pattern follows feed.txt")
        #expect(alert["EXTRAVASD_PATIENT"] == mrn)
        #expect(alert["EXTRAVASD_SOURCE"]?.hasPrefix("file:\(text):") == true)
        #expect(process.isRunning)
        #expect(harness.stop() == 0)
        #expect(try harness.journalAlerts().count == 1)
    }

    @Test func aReloadThatRestartsTheFollowerReadsNothingTwiceAndLosesNothing() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        let process = try #require(harness.process)
        #expect(await harness.waitForNotification("READY=1"))
        let first = try DaemonTests.seedCaseFeed(mrn: "F" + String(UInt32.random(in: 0...UInt32.max)))
        try harness.append(first)
        #expect(try await eventually { try harness.journalAlerts().count == 1 ? true : nil } == true)
        // A new settle time: the follower starts again from the stored checkpoints.
        try writeConfig(harness, pattern: "*.hl7", extra: "")
        try String(contentsOfFile: harness.config, encoding: .utf8).replacingOccurrences(
            of: "settle_ms: 100", with: "settle_ms: 150"
        ).write(toFile: harness.config, atomically: true, encoding: .utf8)
        try harness.reload()
        #expect(await harness.waitForNotification("RELOADING=1"))
        #expect(await harness.waitForNotification("READY=1"))
        let reloaded = try #require(
            try await eventually {
                try lifecycleEntries("reloaded", process: process, harness: harness).first
            })
        #expect(reloaded["MESSAGE"]?.contains("feeds are followed anew") == true)
        // Other control ids too: the same MSH-3, MSH-4, MSH-10 would be a resend.
        let second = Array(
            String(
                decoding: try DaemonTests.seedCaseFeed(mrn: "G" + String(UInt32.random(in: 0...UInt32.max))),
                as: UTF8.self
            )
            .replacingOccurrences(of: "|SEED", with: "|SEEG").utf8)
        try harness.append(second)
        #expect(try await eventually { try harness.journalAlerts().count == 2 ? true : nil } == true)
        #expect(harness.stop() == 0)
        let messages = (first + second).split(separator: 0x0D).filter { $0.starts(with: Array("MSH".utf8)) }
            .count
        #expect(
            harness.lastStatusCounters()
                == StatusCounters(messages: messages, resends: 0, malformed: 0, alerts: 2),
            "each message read once, before and after the reload")
        #expect(try harness.journalAlerts().count == 2)
    }

    @Test func sighupWithABrokenConfigurationKeepsTheRunningOneAndSaysWhy() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        let process = try #require(harness.process)
        #expect(await harness.waitForNotification("READY=1"))
        // A misspelt key on line 3: the reload must fail and name FILE:LINE:COLUMN.
        try """
        feeds:
          files: ["\(harness.directory)/spool/*.txt"]
          setle_ms: 100
        state_directory: \(harness.directory)/state

        """.write(toFile: harness.config, atomically: true, encoding: .utf8)
        try harness.reload()
        #expect(await harness.waitForNotification("RELOADING=1"))
        #expect(await harness.waitForNotification("READY=1"))
        let failed = try #require(
            try await eventually {
                try lifecycleEntries("reload_failed", process: process, harness: harness).first
            })
        #expect(failed["MESSAGE_ID"] == "be6f9d17828147a5b4bdd75009a48485")
        #expect(
            failed["EXTRAVASD_REASON"]?.contains("\(harness.config):3:3") == true,
            "\(failed["EXTRAVASD_REASON"] ?? "")")
        #expect(failed["EXTRAVASD_REASON"]?.contains("setle_ms") == true)
        #expect(failed["MESSAGE"]?.contains("running configuration stays") == true)
        #expect(try lifecycleEntries("reloaded", process: process, harness: harness).isEmpty)
        // The old configuration still runs: *.hl7 is followed.
        let mrn = "B" + String(UInt32.random(in: 0...UInt32.max))
        try appendSeedCase(to: harness.feed, mrn: mrn)
        let alert = try #require(try await eventually { try harness.journalAlerts().first })
        #expect(alert["EXTRAVASD_PATIENT"] == mrn)
        #expect(process.isRunning)
        #expect(harness.stop() == 0)
    }

    @Test func sighupIsIgnoredFromTheStartUntilTheHandlerListens() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        let process = try #require(harness.process)
        let pid = process.processIdentifier
        // Once the process shows SIGHUP ignored or caught (bit 1 of SigIgn or SigCgt in
        // /proc/PID/status: ignored from the first line of `run`, caught once the reload
        // handler listens), SIGHUPs all through start-up must neither kill it nor keep it
        // from becoming ready.
        func mask(_ name: String) -> UInt64? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") })
            else { return nil }
            return UInt64(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16)
        }
        let ignored = await eventually(timeout: .seconds(20)) { () -> Bool? in
            guard let ignoredMask = mask("SigIgn"), let caughtMask = mask("SigCgt") else { return nil }
            return (ignoredMask | caughtMask) & (1 << (UInt64(SIGHUP) - 1)) != 0 ? true : nil
        }
        #expect(ignored == true, "SIGHUP ignored or caught early")
        var sent = 0
        let ready = await eventually(timeout: .seconds(20)) { () -> Bool? in
            kill(pid, SIGHUP)
            sent += 1
            return harness.receivedNotifications().contains { $0.text.contains("READY=1") } ? true : nil
        }
        #expect(ready == true)
        #expect(process.isRunning, "still running after \(sent) SIGHUPs")
        #expect(harness.stop() == 0)
    }

    // MARK: - Watchdog

    /// Times of the WATCHDOG=1 datagrams received.
    func pings(_ harness: DaemonHarness) -> [ContinuousClock.Instant] {
        harness.receivedNotifications().filter { $0.text.split(separator: "\n").contains("WATCHDOG=1") }.map(
            \.at)
    }

    /// Waits until no ping came for `quiet`; returns whether that happened within `timeout`.
    func waitForPingsToStop(_ harness: DaemonHarness, quiet: Duration, timeout: Duration) async -> Bool {
        await eventually(timeout: timeout) { () -> Bool? in
            let last = pings(harness).last ?? .now
            return ContinuousClock.now - last >= quiet ? true : nil
        } ?? false
    }

    @Test(arguments: ["follower", "engine", "outbox", "review"])
    func watchdogPingsWhileIdleAndStopsWhenALoopHangs(loop: String) async throws {
        let harness = try DaemonHarness()
        try harness.start(environment: ["WATCHDOG_USEC": "1000000", "EXTRAVASD_TEST_STALL_ON_SIGUSR1": loop])
        let process = try #require(harness.process)
        defer { _ = harness.stop(signal: SIGKILL) }
        #expect(await harness.waitForNotification("READY=1"))
        // Idle: nothing is written, yet the pings come (every quarter of WatchdogSec).
        let idleStart = ContinuousClock.now
        let idlePings = await eventually(timeout: .seconds(10)) { () -> Int? in
            let count = pings(harness).filter { $0 > idleStart }.count
            return count >= 4 ? count : nil
        }
        #expect(idlePings != nil, "WATCHDOG=1 while idle")
        kill(process.processIdentifier, SIGUSR1)
        if loop == "outbox" {
            // The outbox loop hangs on its next delivery: give it one.
            try appendSeedCase(to: harness.feed, mrn: "W" + String(UInt32.random(in: 0...UInt32.max)))
        }
        // Pings stop within half of WatchdogSec (plus a check interval); none for 2 s.
        #expect(
            await waitForPingsToStop(harness, quiet: .seconds(2), timeout: .seconds(15)),
            "pings stop for the \(loop) loop")
        let warning = try await eventually {
            try entries(of: process, "EXTRAVASD_LOOP", loop, harness: harness).first
        }
        #expect(warning?["PRIORITY"] == "4")
        #expect(warning?["MESSAGE"]?.contains("the \(loop) loop has made no progress") == true)
        #expect(process.isRunning)
    }

    /// (SQLite's own lock: the PostgreSQL counterpart, a store that stops answering under a
    /// running leader, is HighAvailabilityTests' PostgreSQL restart.)
    @Test(
        .disabled(
            if: DaemonHarness.usesPostgreSQL,
            "holds the SQLite file's write lock; with PostgreSQL, HighAvailabilityTests restarts the server instead"
        ))
    func watchdogPingsStopWhileAnotherProcessHoldsTheStoreAndResumeAfter() async throws {
        let harness = try DaemonHarness()
        try harness.start(environment: ["WATCHDOG_USEC": "1000000"])
        let process = try #require(harness.process)
        defer { _ = harness.stop(signal: SIGKILL) }
        #expect(await harness.waitForNotification("READY=1"))
        let start = ContinuousClock.now
        #expect(
            await eventually(timeout: .seconds(10)) {
                pings(harness).filter { $0 > start }.count >= 4 ? true : nil
            } == true)
        // Another process takes the database's write lock for 4 s (a real SQLite lock).
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        locker.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            c.execute('BEGIN EXCLUSIVE')
            print('locked', flush=True)
            time.sleep(4)
            c.execute('COMMIT')
            """,
            harness.directory + "/state/extravasd.sqlite",
        ]
        let pipe = Pipe()
        locker.standardOutput = pipe
        try locker.run()
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        #expect(line.contains("locked"))
        let locked = ContinuousClock.now
        #expect(
            await waitForPingsToStop(harness, quiet: .seconds(1.5), timeout: .seconds(4)),
            "no ping while the store is held")
        let warning = try await eventually {
            try entries(of: process, "EXTRAVASD_LOOP", "store", harness: harness).first
        }
        #expect(warning?["MESSAGE"]?.contains("the store loop has made no progress") == true)
        locker.waitUntilExit()
        let released = ContinuousClock.now
        #expect(released - locked >= .seconds(3))
        let resumed = await eventually(timeout: .seconds(10)) {
            pings(harness).contains { $0 > released } ? true : nil
        }
        #expect(resumed == true, "pings resume once the store answers")
        #expect(process.isRunning)
    }

    // MARK: - STATUS

    @Test func statusNamesEachFeedFileWithItsOffsetAndLag() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let mrn = "S" + String(UInt32.random(in: 0...UInt32.max))
        let bytes = try DaemonTests.seedCaseFeed(mrn: mrn)
        try harness.append(bytes)
        let status = await eventually { () -> String? in
            harness.receivedNotifications().reversed().lazy.compactMap { notification -> String? in
                notification.text.split(separator: "\n").first { $0.hasPrefix("STATUS=") }.map(String.init)
            }.first { $0.contains("\(harness.feed) offset \(bytes.count) lag 0") }
        }
        #expect(status != nil, "STATUS= names the file, the offset read to and the lag")
        #expect(status?.contains("alerts 1") == true)
        #expect(harness.stop() == 0)
    }
}
