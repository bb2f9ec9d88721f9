import Foundation
import Journal
import Testing

/// Alert storms (DESIGN.md section 7, "every alert reaches the journal exactly once"):
/// thousands of alerts in seconds, against a journald that drops what its rate limit
/// refuses, and against one stopped and started again in the middle. The real
/// `extravasd run`, a private journald, each alert of `extravasd replay` exactly once.
@Suite("Alert storm", .serialized)
struct AlertStormTests {
    static let alertMessageID = "751bbc47ee744393bc95affcf7ff9db6"

    /// The cgroup v2 hierarchy journald reads a sender's unit from (the `0::` line of
    /// `/proc/PID/cgroup`): `/sys/fs/cgroup/unified` on a hybrid host, else `/sys/fs/cgroup`.
    static var unifiedHierarchy: String? {
        ["/sys/fs/cgroup/unified", "/sys/fs/cgroup"].first {
            getuid() == 0 && FileManager.default.isWritableFile(atPath: $0 + "/cgroup.procs")
        }
    }

    /// journald limits the rate of a sender only when it belongs to a unit: the daemon runs
    /// in a cgroup named like a service, as under systemd.
    static var canRateLimit: Bool { PrivateJournald.isPossible && unifiedHierarchy != nil }

    /// 20,000 alerts, raised as fast as the daemon reads their messages (about 27 s for the
    /// debug build on 2 busy cores), against a private journald with
    /// `RateLimitBurst=1000` (per 10 s; journald scales the burst up with free space,
    /// about 3.5 times here): journald drops most of the first sends (and says
    /// so), the daemon finds them missing when reading back and sends them again, and in
    /// the end the journal holds every alert of `replay` exactly once.
    @Test(
        .enabled(
            if: canRateLimit, "needs root, unshare, nsenter, journald and a writable cgroup v2 hierarchy"))
    func anAlertStormAgainstJournaldsRateLimitEndsWithEveryAlertInTheJournalExactlyOnce() async throws {
        let harness = try DaemonHarness()
        try DeliveryTests.configure(harness, "delivery:\n  confirm_ms: 1000\n")
        let journal = try PrivateJournald()
        try journal.configure(
            "[Journal]\nRateLimitIntervalSec=10s\nRateLimitBurst=1000\n", scratch: harness.directory)
        try journal.start()
        let unit = try ServiceCgroup()
        let daemon = try LaunchedDaemon(harness: harness, launcher: journal.command(unit.launcher))
        #expect(await harness.waitForNotification("READY=1"))

        let feed = StormFeed.make(patients: 20_000)
        let started = ContinuousClock.now
        try harness.append(feed)
        let expected = try harness.replay(feed)
        #expect(expected.alertIDs.count == 20_000, "replay raises one alert per patient")
        let raised = await eventually(timeout: .seconds(60), every: .milliseconds(200)) {
            harness.lastStatusCounters().flatMap { $0.alerts >= 20_000 ? ContinuousClock.now : nil }
        }
        // How fast is for `make bench`; printed here with what journald dropped.
        let writtenIn = try #require(raised, "the daemon raised 20,000 alerts") - started

        let stored = try await eventually(timeout: .seconds(240), every: .seconds(2)) {
            try Self.storedAlertIDs(journal, pid: daemon.pid).count >= 20_000 ? true : nil
        }
        #expect(stored == true, "every alert reached the journal")
        let deliveredIn = ContinuousClock.now - started
        let suppressed = try journal.run([
            "/usr/bin/journalctl", "--no-pager", "-o", "cat", "SYSLOG_IDENTIFIER=systemd-journald",
        ])
        #expect(
            suppressed.contains("Suppressed") && suppressed.contains(unit.name),
            "journald's rate limit dropped some of the daemon's entries: \(suppressed.suffix(400))")
        #expect(
            daemon.standardError.text.contains("not readable back"), "the daemon sent the dropped ones again")
        let drops = suppressed.split(separator: "\n").filter { $0.contains("Suppressed") }
        print(
            "alert storm: 20,000 alerts raised in \(writtenIn), all in the journal after \(deliveredIn); \(drops)"
        )
        // Confirmed, so not sent again after delivery.confirm_ms.
        try await Task.sleep(for: .seconds(3))
        #expect(daemon.stop() == 0)
        try Self.expectEachOnce(expected.alertIDs, in: journal, pid: daemon.pid)
        journal.stop()
    }

    /// journald stopped under the daemon in the middle of a storm of 5,000 alerts, and
    /// started again a second later: what was refused meanwhile is sent again, and the
    /// journal holds every alert of `replay` exactly once.
    @Test(.enabled(if: PrivateJournald.isPossible, "needs root, unshare, nsenter and systemd-journald"))
    func journaldRestartedDuringAnAlertStormLosesAndRepeatsNoAlert() async throws {
        let harness = try DaemonHarness()
        try DeliveryTests.configure(harness, "delivery:\n  confirm_ms: 1000\n")
        let journal = try PrivateJournald()
        try journal.start()
        let daemon = try LaunchedDaemon(harness: harness, launcher: journal.command([]))
        #expect(await harness.waitForNotification("READY=1"))

        let feed = StormFeed.make(patients: 5_000)
        try harness.append(feed)
        let some = try await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
            try Self.storedAlertIDs(journal, pid: daemon.pid).count >= 500 ? true : nil
        }
        #expect(some == true, "the storm reached journald")
        journal.stop()
        try await Task.sleep(for: .seconds(1))
        try journal.start()
        let expected = try harness.replay(feed)
        let stored = try await eventually(timeout: .seconds(120), every: .seconds(1)) {
            try Self.storedAlertIDs(journal, pid: daemon.pid).count >= 5_000 ? true : nil
        }
        #expect(stored == true, "every alert reached the journal")
        try await Task.sleep(for: .seconds(3))
        #expect(daemon.stop() == 0)
        try Self.expectEachOnce(expected.alertIDs, in: journal, pid: daemon.pid)
        #expect(daemon.standardError.text.contains("journal send failed"), "the outage was seen")
        journal.stop()
    }

    /// The journal holds each of `expected` exactly once, from process `pid`, and no other alert.
    static func expectEachOnce(
        _ expected: [String], in journal: PrivateJournald, pid: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let ids = try storedAlertIDs(journal, pid: pid)
        #expect(
            ids.count == expected.count, "no alert twice (\(ids.count) entries)",
            sourceLocation: sourceLocation)
        let missing = Set(expected).subtracting(ids)
        #expect(
            missing.isEmpty, "\(missing.count) alerts of the replay missing, e.g. \(missing.prefix(3))",
            sourceLocation: sourceLocation)
        #expect(
            Set(ids).isSubset(of: Set(expected)), "no alert replay did not raise",
            sourceLocation: sourceLocation)
    }

    /// The alert ids of the alert entries process `pid` wrote to `journal` (one per entry).
    static func storedAlertIDs(_ journal: PrivateJournald, pid: String) throws -> [String] {
        _ = try journal.run(["/usr/bin/journalctl", "--sync"])
        let output = try journal.run([
            "/usr/bin/journalctl", "--all", "--no-pager", "-o", "cat", "--output-fields=EXTRAVASD_ALERT_ID",
            "MESSAGE_ID=\(alertMessageID)", "_PID=\(pid)",
        ])
        return output.split(separator: "\n").map(String.init)
    }
}

/// A cgroup named like a service unit, so that journald applies its rate limit to the
/// processes in it; removed when the test is done.
final class ServiceCgroup: @unchecked Sendable {
    let name = "extravasd-storm-\(UInt32.random(in: 0...UInt32.max)).service"
    let path: String

    init() throws {
        guard let hierarchy = AlertStormTests.unifiedHierarchy else {
            throw PrivateJournald.Failure(reason: "no writable cgroup v2 hierarchy")
        }
        path = hierarchy + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit { rmdir(path) }

    /// A launcher that moves itself into the cgroup, then execs the command after it.
    var launcher: [String] {
        ["/bin/sh", "-c", "echo $$ > \(path)/cgroup.procs && exec \"$0\" \"$@\""]
    }
}

/// Feeds that raise one critical alert per patient: three messages of the seed case (the
/// admission, the calcium gluconate order, the inflamed site assessment), for `patients`
/// fresh MRNs with control ids of their own.
enum StormFeed {
    static func make(patients: Int) -> [UInt8] {
        let text = (try? String(contentsOfFile: DaemonTests.seedCase, encoding: .utf8)) ?? ""
        let all = text.components(separatedBy: "MSH|").filter { !$0.isEmpty }.map { "MSH|" + $0 }
        let messages = [all[0], all[2], all[4]]
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        var feed: [UInt8] = []
        feed.reserveCapacity(patients * messages.reduce(0) { $0 + $1.utf8.count })
        for patient in 0..<patients {
            let tag = "\(run)-\(patient)"
            for message in messages {
                feed += Array(
                    message.replacingOccurrences(of: "4455^^^CHILDRENS^MR", with: "S\(tag)^^^CHILDRENS^MR")
                        .replacingOccurrences(of: "|SEED000", with: "|S\(tag)-").utf8)
            }
        }
        return feed
    }
}
