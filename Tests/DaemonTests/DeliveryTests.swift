import Foundation
import Journal
import Testing

/// Delivery to journald (DESIGN.md section 7, "Delivery retries while running"): the real
/// `extravasd run`, a real journald (a private one where it must stop), real state.
@Suite(
    "Delivery",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct DeliveryTests {
    static let alertMessageID = "751bbc47ee744393bc95affcf7ff9db6"

    /// Adds `text` (YAML) to the harness's configuration file.
    static func configure(_ harness: DaemonHarness, _ text: String) throws {
        let current = try String(contentsOfFile: harness.config, encoding: .utf8)
        try (current + text).write(toFile: harness.config, atomically: true, encoding: .utf8)
    }

    /// Whether a `STATUS=` datagram containing `text` was received.
    static func statusSaid(_ harness: DaemonHarness, _ text: String) -> Bool {
        harness.receivedNotifications().contains { $0.text.contains("STATUS=") && $0.text.contains(text) }
    }

    /// Fault 3: journald stops (its socket left behind, so sends fail with ECONNREFUSED)
    /// under a running daemon and comes back: the alert raised meanwhile arrives within
    /// 2 s of its return, exactly once, and the outage is on stderr and in `STATUS=`.
    @Test(.enabled(if: PrivateJournald.isPossible, "needs root, unshare, nsenter and systemd-journald"))
    func alertRaisedWhileJournaldIsDownArrivesOnceWithinTwoSecondsOfItsReturn() async throws {
        let harness = try DaemonHarness()
        try Self.configure(harness, "delivery:\n  confirm_ms: 2000\n")
        let journal = try PrivateJournald()
        try journal.start()
        let daemon = try LaunchedDaemon(harness: harness, launcher: journal.command([]))
        #expect(await harness.waitForNotification("READY=1"))

        journal.stop()
        #expect(
            JournalSocket.status(path: journal.socketPath) == .notListening(errno: ECONNREFUSED),
            "journald's socket is left behind: sends fail with ECONNREFUSED")
        let mrn = "D" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let pending = await eventually(timeout: .seconds(15)) {
            Self.statusSaid(harness, "undelivered 1") ? true : nil
        }
        #expect(pending == true, "STATUS= says undelivered 1 while journald is down")
        let failing = await eventually(timeout: .seconds(15)) {
            Self.statusSaid(harness, "journal send failing") ? true : nil
        }
        #expect(failing == true, "STATUS= says why")
        // A few retries while it is down.
        try await Task.sleep(for: .seconds(2))
        #expect(daemon.standardError.text.contains("journal send failed"), "\(daemon.standardError.text)")

        let back = try journal.start()
        let arrived = try await eventually(timeout: .seconds(15), every: .milliseconds(100)) {
            try journal.entries(["EXTRAVASD_PATIENT=\(mrn)", "MESSAGE_ID=\(Self.alertMessageID)"]).first
        }
        let entry = try #require(arrived, "the alert reached journald after its return")
        let receivedAt = Double(entry["__REALTIME_TIMESTAMP"] ?? "0").map { $0 / 1_000_000 } ?? 0
        let delay = receivedAt - back.timeIntervalSince1970
        #expect(delay < 2, "arrived \(delay) s after journald came back")
        #expect(entry["_PID"] == daemon.pid)

        // Confirmed by reading it back: no longer undelivered, and not sent again after
        // delivery.confirm_ms.
        let settledAt = ContinuousClock.now
        let settled = await eventually(timeout: .seconds(15)) { () -> Bool? in
            let last = harness.receivedNotifications().last { $0.text.contains("STATUS=") }
            guard let last, last.at > settledAt, !last.text.contains("undelivered") else { return nil }
            return true
        }
        #expect(settled == true, "STATUS= no longer counts it undelivered")
        try await Task.sleep(for: .seconds(3))
        #expect(daemon.stop() == 0)
        let copies = try journal.entries(["EXTRAVASD_PATIENT=\(mrn)", "MESSAGE_ID=\(Self.alertMessageID)"])
        #expect(copies.count == 1, "exactly once")
        let errors = daemon.standardError.text
        #expect(
            errors.components(separatedBy: "journal send failed:").count == 2,
            "one report per episode:\n\(errors)")
        #expect(errors.contains("journald accepts entries again"))
        journal.stop()
    }

    /// journald can accept an entry and drop it (here: it runs with `Storage=none` for a
    /// while): the alert is not marked delivered, it is sent again (same alert id) each
    /// `delivery.confirm_ms` until it is readable, and then stored exactly once.
    @Test(.enabled(if: PrivateJournald.isPossible, "needs root, unshare, nsenter and systemd-journald"))
    func anAlertJournaldAcceptsButDropsIsSentAgainUntilItIsReadable() async throws {
        let harness = try DaemonHarness()
        try Self.configure(harness, "delivery:\n  confirm_ms: 1500\n")
        let journal = try PrivateJournald()
        try journal.start()
        let daemon = try LaunchedDaemon(harness: harness, launcher: journal.command([]))
        #expect(await harness.waitForNotification("READY=1"))

        journal.stop()
        try journal.configure("[Journal]\nStorage=none\n", scratch: harness.directory)
        try journal.start()
        let mrn = "K" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let resent = await eventually(timeout: .seconds(20)) {
            daemon.standardError.text.contains("not readable back") ? true : nil
        }
        #expect(resent == true, "said on stderr: \(daemon.standardError.text)")
        #expect(Self.statusSaid(harness, "undelivered 1"))

        journal.stop()
        try journal.configure(nil, scratch: harness.directory)
        try journal.start()
        let stored = try await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
            try journal.entries(["EXTRAVASD_PATIENT=\(mrn)", "MESSAGE_ID=\(Self.alertMessageID)"]).first
        }
        #expect(stored?["_PID"] == daemon.pid, "a resend was stored")
        // Read back, so no more resends after delivery.confirm_ms.
        try await Task.sleep(for: .seconds(4))
        #expect(daemon.stop() == 0)
        let copies = try journal.entries(["EXTRAVASD_PATIENT=\(mrn)", "MESSAGE_ID=\(Self.alertMessageID)"])
        #expect(copies.count == 1, "stored exactly once")
        journal.stop()
    }

    /// Fault 4: at start, an undelivered alert counts as delivered only when an entry the
    /// daemon wrote carries its id. Look-alikes are planted first: the same alert from
    /// `extravasd replay --journal` (EXTRAVASD_REPLAY=1), one written by another user
    /// (`nobody`) and one by another program of the same user (`logger`).
    @Test(
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/logger"),
            "needs root, setpriv and logger to write entries as another user"))
    func lookAlikeEntriesDoNotCountAsDeliveredAtReconciliation() async throws {
        let harness = try DaemonHarness()
        let mrn = "L" + String(UInt32.random(in: 0...UInt32.max))
        // Committed but never sent: the outbox loop stalls (test hook), then kill -9.
        try harness.start(environment: ["EXTRAVASD_TEST_STALL_ON_SIGUSR1": "outbox"])
        #expect(await harness.waitForNotification("READY=1"))
        let first = try #require(harness.process)
        kill(first.processIdentifier, SIGUSR1)
        try await Task.sleep(for: .milliseconds(300))
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let committed = await eventually(timeout: .seconds(20)) {
            harness.lastStatusCounters()?.alerts == 1 ? true : nil
        }
        #expect(committed == true, "the alert is committed to the outbox")
        _ = harness.stop(signal: SIGKILL)
        #expect(try harness.journalAlerts().isEmpty, "never sent")

        // The look-alikes, with the same alert id.
        let replay = try DaemonHarness.shell(
            DaemonHarness.binary,
            ["replay", "--journal", "--config", harness.config, "--format", "jsonl", harness.feed])
        let object = try #require(
            replay.split(separator: "\n").first.flatMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            })
        let id = try #require(object["alert_id"] as? String)
        let planted = harness.directory + "/look-alike.txt"
        try """
        MESSAGE=Suspected extravasation (look-alike)
        MESSAGE_ID=\(Self.alertMessageID)
        PRIORITY=2
        SYSLOG_IDENTIFIER=extravasd
        EXTRAVASD_ALERT_ID=\(id)
        EXTRAVASD_PATIENT=\(mrn)

        """.write(toFile: planted, atomically: true, encoding: .utf8)
        chmod(planted, 0o644)
        _ = try DaemonHarness.shell(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/logger", "--journald=\(planted)"])
        _ = try DaemonHarness.shell("/usr/bin/logger", ["--journald=\(planted)"])
        let lookAlikes = try await eventually(timeout: .seconds(10)) { () -> [[String: String]]? in
            let found = try Self.journalEntries(["EXTRAVASD_ALERT_ID=\(id)"])
            return found.count == 3 ? found : nil
        }
        // (journald may leave `_COMM` out of logger's entries: it exits at once.)
        let kinds = Set(
            (lookAlikes ?? []).map { "uid \($0["_UID"] ?? "?") replay \($0["EXTRAVASD_REPLAY"] ?? "-")" })
        #expect(
            kinds == ["uid 0 replay 1", "uid 65534 replay -", "uid 0 replay -"],
            "the planted entries: \(kinds)")

        // The restarted daemon reconciles: none of those is its own, so it sends the alert.
        let daemon = try LaunchedDaemon(harness: harness)
        #expect(await harness.waitForNotification("READY=1"))
        let sent = try await eventually(timeout: .seconds(20)) {
            try Self.journalEntries(["EXTRAVASD_ALERT_ID=\(id)", "_PID=\(daemon.pid)"]).first
        }
        #expect(sent != nil, "the daemon sent the alert itself")
        #expect(sent?["EXTRAVASD_PATIENT"] == mrn)
        #expect(sent?["EXTRAVASD_REPLAY"] == nil)
        // Delivered (read back): a restart does not send it again.
        try await Task.sleep(for: .seconds(1))
        #expect(daemon.stop() == 0)
        let again = try LaunchedDaemon(harness: harness)
        #expect(await harness.waitForNotification("READY=1"))
        try await Task.sleep(for: .seconds(1))
        #expect(again.stop() == 0)
        let own = try Self.journalEntries(["EXTRAVASD_ALERT_ID=\(id)", "_UID=0", "_COMM=extravasd"])
            .filter { $0["EXTRAVASD_REPLAY"] == nil }
        #expect(own.count == 1, "the real alert exactly once")
    }

    /// When the daemon cannot read its own entries back (here: it runs as `nobody`, who
    /// may not read the journal files), it says so once (lifecycle `journal_unreadable`,
    /// PRIORITY 2, stderr, `STATUS=`) and still delivers its alerts.
    @Test(.enabled(if: nobodyCannotReadTheJournal, "needs root, and a journal the user nobody cannot read"))
    func withoutReadAccessToTheJournalItSaysSoAndStillDelivers() async throws {
        let harness = try DaemonHarness()
        try Self.configure(harness, "delivery:\n  confirm_ms: 1500\n")
        _ = try DaemonHarness.shell("/bin/chown", ["-R", "65534:65534", harness.directory])
        chmod(harness.notifySocket, 0o666)
        let daemon = try LaunchedDaemon(
            harness: harness,
            launcher: ("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--"]))
        #expect(await harness.waitForNotification("READY=1"))
        let said = try await eventually(timeout: .seconds(20)) {
            try Self.journalEntries(["EXTRAVASD_EVENT=journal_unreadable", "_PID=\(daemon.pid)"]).first
        }
        let entry = try #require(said, "the journal_unreadable lifecycle entry")
        #expect(entry["PRIORITY"] == "2")
        #expect(entry["MESSAGE_ID"] == "be6f9d17828147a5b4bdd75009a48485")
        #expect(entry["SYSLOG_IDENTIFIER"] == "extravasd")
        #expect(daemon.standardError.text.contains("cannot read its own journal entries back"))

        let mrn = "U" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let delivered = try await eventually(timeout: .seconds(20)) {
            try harness.journalAlerts().first { $0["EXTRAVASD_PATIENT"] == mrn }
        }
        #expect(delivered != nil, "the alert is delivered all the same")
        let unreadable = await eventually(timeout: .seconds(10)) {
            Self.statusSaid(harness, "journal unreadable") ? true : nil
        }
        #expect(unreadable == true, "STATUS= says it")
        try await Task.sleep(for: .seconds(2))
        #expect(daemon.stop() == 0)
        #expect(try harness.journalAlerts().filter { $0["EXTRAVASD_PATIENT"] == mrn }.count == 1, "once")
        let notices = try Self.journalEntries(["EXTRAVASD_EVENT=journal_unreadable", "_PID=\(daemon.pid)"])
        #expect(notices.count == 1, "said once")
    }

    /// Whether the user `nobody` reads no journal entry (run as root).
    static var nobodyCannotReadTheJournal: Bool {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            return false
        }
        let output = try? DaemonHarness.shell(
            "/usr/bin/setpriv",
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/journalctl", "-q", "-n", "1",
                "-o", "cat",
            ])
        return output?.isEmpty == true
    }

    /// Entries of the shared journal (after `journalctl --sync`) matching `matches`.
    static func journalEntries(_ matches: [String]) throws -> [[String: String]] {
        _ = try DaemonHarness.shell("/usr/bin/journalctl", ["--sync"])
        let output = try DaemonHarness.shell(
            "/usr/bin/journalctl", ["-o", "json", "--all", "--no-pager"] + matches)
        return output.split(separator: "\n").compactMap { line in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?
                .compactMapValues { $0 as? String }
        }
    }
}
