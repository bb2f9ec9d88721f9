import Foundation
import Journal
import Testing

/// On-call review in the daemon (DESIGN.md section 5, issue 14): the real `extravasd run`
/// against the real journald, acknowledgements written by the real `extravasd ack` (as
/// root: trusted) or by `logger` as the user nobody (untrusted), reminders with a short
/// `reminders.after_minutes`.
@Suite(
    "On-call review",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct OnCallReviewTests {
    static let reminderID = "38645c32a78b44dd9deb93a9e58354d3"
    static let acknowledgementID = "b58e71387e6848038cc9bd8d4082be8e"
    static let escalatedID = "a853b3db45a349329c8f566d2399b128"

    /// A harness whose reminders fire `afterMinutes` after an alert was written.
    static func harness(afterMinutes: Double) throws -> DaemonHarness {
        let harness = try DaemonHarness()
        try DeliveryTests.configure(harness, "reminders:\n  after_minutes: \(afterMinutes)\n")
        return harness
    }

    /// The reminder entries of the harness's alerts.
    static func reminders(_ harness: DaemonHarness) throws -> [[String: String]] {
        try harness.journalAlerts().filter { $0["MESSAGE_ID"] == reminderID }
    }

    /// The alert entries (not reminders) of patient `mrn`.
    static func alerts(_ harness: DaemonHarness, mrn: String) throws -> [[String: String]] {
        try harness.journalAlerts().filter {
            $0["MESSAGE_ID"] != reminderID && $0["EXTRAVASD_PATIENT"] == mrn
        }
    }

    /// `extravasd ack ID --by "RN Test" [--disposition D]` as this (root) user; its stdout.
    static func acknowledge(_ id: String, disposition: String? = nil) throws -> String {
        try DaemonHarness.shell(
            DaemonHarness.binary,
            ["ack", id, "--by", "RN Test"] + (disposition.map { ["--disposition", $0] } ?? []))
    }

    /// Journal time of an entry, in microseconds.
    static func writtenAt(_ entry: [String: String]) -> Int64 {
        entry["__REALTIME_TIMESTAMP"].flatMap { Int64($0) } ?? 0
    }

    static func newMRN(_ prefix: String) -> String {
        prefix + String(UInt32.random(in: 0...UInt32.max))
    }

    /// A critical alert (erythema and swelling at a calcium gluconate site) for `mrn`.
    static func criticalAlertFeed(mrn: String) -> [UInt8] {
        var feed = ReviewFeed(mrn: mrn)
        return Array(
            (feed.admission() + feed.calciumOrder(number: "7001", site: "L heel")
                + feed.assessment(of: "Left heel", at: "20260303100000", erythema: true, swelling: true)).utf8
        )
    }

    @Test func anUnacknowledgedCriticalAlertIsRemindedOnceAlsoWhenKilledRightAfterTheReminder() async throws {
        let harness = try Self.harness(afterMinutes: 0.05)
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let pid = try #require(harness.process).processIdentifier
        let mrn = Self.newMRN("M")
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let alert = try #require(try await eventually { try Self.alerts(harness, mrn: mrn).first })
        let reminder = try #require(
            try await eventually(timeout: .seconds(20)) { try Self.reminders(harness).first })
        // kill -9 the moment the reminder is readable (it may not be marked delivered yet).
        _ = harness.stop(signal: SIGKILL)

        #expect(reminder["MESSAGE_ID"] == Self.reminderID)
        #expect(reminder["PRIORITY"] == "1")
        #expect(reminder["EXTRAVASD_REMINDER"] == "1")
        #expect(reminder["EXTRAVASD_ALERT_ID"] == alert["EXTRAVASD_ALERT_ID"])
        #expect(reminder["EXTRAVASD_PATIENT"] == mrn, "the alert's fields")
        #expect(reminder["EXTRAVASD_SITE"] == "left-heel")
        #expect(reminder["EXTRAVASD_SEVERITY"] == "critical")
        #expect(reminder["SYSLOG_IDENTIFIER"] == "extravasd")
        #expect(reminder["_PID"] == String(pid))
        let message = reminder["MESSAGE"] ?? ""
        #expect(message.contains("not acknowledged within 0.05 minutes"), "\(message)")
        #expect(message.contains("Suspected extravasation at left-heel"), "\(message)")
        let delay = Self.writtenAt(reminder) - Self.writtenAt(alert)
        #expect(delay >= 3_000_000, "due after_minutes after the alert was written: \(delay) µs")
        #expect(delay < 8_000_000, "\(delay) µs")

        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        try await Task.sleep(for: .seconds(1.5))
        #expect(harness.stop() == 0)
        #expect(try Self.reminders(harness).count == 1, "exactly once across kill -9")
        #expect(try Self.alerts(harness, mrn: mrn).count == 1)
    }

    /// More reminders due at once than one transaction fires (``OnCallReview`` fires at most
    /// 1,000 a turn): the rest follow at the next turns, each exactly once.
    @Test func moreRemindersDueThanOneTurnFiresAreEachFiredOnce() async throws {
        let harness = try Self.harness(afterMinutes: 0.05)
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let mrns = (0..<1_250).map { _ in Self.newMRN("S") }
        try harness.append(mrns.flatMap { Self.criticalAlertFeed(mrn: $0) })
        let remindedAll = try await eventually(timeout: .seconds(120)) {
            let reminders = try Self.reminders(harness)
            return reminders.count >= mrns.count ? reminders : nil
        }
        let reminders = try #require(remindedAll, "1,250 reminders within 120 s")
        try await Task.sleep(for: .seconds(1.5))
        #expect(harness.stop() == 0)
        let ids = try Self.reminders(harness).compactMap { $0["EXTRAVASD_ALERT_ID"] }
        #expect(ids.count == mrns.count, "each exactly once")
        #expect(Set(ids).count == mrns.count)
        #expect(Set(reminders.compactMap { $0["EXTRAVASD_PATIENT"] }) == Set(mrns))
    }

    @Test func killNineBetweenTheAlertAndItsDueTimeStillRemindsOnce() async throws {
        let harness = try Self.harness(afterMinutes: 0.05)
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let mrn = Self.newMRN("N")
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let alert = try #require(try await eventually { try Self.alerts(harness, mrn: mrn).first })
        _ = harness.stop(signal: SIGKILL)
        #expect(try Self.reminders(harness).isEmpty, "killed before the due time")

        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let reminder = try #require(
            try await eventually(timeout: .seconds(20)) { try Self.reminders(harness).first },
            "the restarted daemon remembers the reminder")
        #expect(reminder["EXTRAVASD_ALERT_ID"] == alert["EXTRAVASD_ALERT_ID"])
        #expect(Self.writtenAt(reminder) - Self.writtenAt(alert) >= 3_000_000)
        try await Task.sleep(for: .seconds(1.5))
        #expect(harness.stop() == 0)
        #expect(try Self.reminders(harness).count == 1)
    }

    /// The reminder is committed to the outbox (the outbox loop stalled by the test hook,
    /// so it is never sent), then kill -9: the next start reconciles it on MESSAGE_ID and
    /// alert id (the alert's own entry carries the same id and must not count) and sends it.
    @Test func killNineRightAfterTheReminderIsCommittedStillRemindsOnce() async throws {
        let harness = try Self.harness(afterMinutes: 0.05)
        try harness.start(environment: ["EXTRAVASD_TEST_STALL_ON_SIGUSR1": "outbox"])
        #expect(await harness.waitForNotification("READY=1"))
        let mrn = Self.newMRN("C")
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let alert = try #require(try await eventually { try Self.alerts(harness, mrn: mrn).first })
        kill(try #require(harness.process).processIdentifier, SIGUSR1)
        let committed = await eventually(timeout: .seconds(20)) {
            DeliveryTests.statusSaid(harness, "reminders 1") ? true : nil
        }
        #expect(committed == true, "STATUS= counts the reminder committed")
        try await Task.sleep(for: .milliseconds(300))
        _ = harness.stop(signal: SIGKILL)
        #expect(try Self.reminders(harness).isEmpty, "committed, never sent")

        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let reminder = try #require(
            try await eventually(timeout: .seconds(20)) { try Self.reminders(harness).first })
        #expect(reminder["EXTRAVASD_ALERT_ID"] == alert["EXTRAVASD_ALERT_ID"])
        try await Task.sleep(for: .seconds(1.5))
        #expect(harness.stop() == 0)
        #expect(try Self.reminders(harness).count == 1)
        #expect(try Self.alerts(harness, mrn: mrn).count == 1)
    }

    @Test func anAlertAcknowledgedInTimeGetsNoReminderWhileAnotherOneDoes() async throws {
        let harness = try Self.harness(afterMinutes: 0.1)
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let acknowledged = Self.newMRN("A")
        let forgotten = Self.newMRN("F")
        try harness.append(Self.criticalAlertFeed(mrn: acknowledged) + Self.criticalAlertFeed(mrn: forgotten))
        let alert = try #require(try await eventually { try Self.alerts(harness, mrn: acknowledged).first })
        let other = try #require(try await eventually { try Self.alerts(harness, mrn: forgotten).first })
        let id = try #require(alert["EXTRAVASD_ALERT_ID"])
        #expect(try Self.acknowledge(id).contains("acknowledged alert \(id) by RN Test"))

        let reminder = try #require(
            try await eventually(timeout: .seconds(20)) { try Self.reminders(harness).first },
            "the alert nobody acknowledged is reminded")
        #expect(reminder["EXTRAVASD_ALERT_ID"] == other["EXTRAVASD_ALERT_ID"])
        try await Task.sleep(for: .seconds(1.5))
        #expect(harness.stop() == 0)
        let reminded = try Self.reminders(harness).compactMap { $0["EXTRAVASD_ALERT_ID"] }
        #expect(reminded == [other["EXTRAVASD_ALERT_ID"]].compactMap { $0 }, "none for the acknowledged one")
    }

    /// An acknowledgement written by the user nobody (`_UID` 65534, not in review.group)
    /// stops no reminder and suppresses no escalation, even with `not-extravasation`.
    @Test(
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/logger"),
            "needs root, setpriv and logger to write an acknowledgement as another user"))
    func anUntrustedAcknowledgementStopsNoReminderAndSuppressesNothing() async throws {
        let harness = try Self.harness(afterMinutes: 0.1)
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let pid = try #require(harness.process).processIdentifier
        let mrn = Self.newMRN("U")
        var feed = ReviewFeed(mrn: mrn)
        try harness.append(
            Array(
                (feed.admission() + feed.calciumOrder(number: "7001", site: "L heel")
                    + feed.assessment(of: "Left heel", at: "20260303100000", erythema: true, swelling: true))
                    .utf8))
        let alert = try #require(try await eventually { try Self.alerts(harness, mrn: mrn).first })
        let id = try #require(alert["EXTRAVASD_ALERT_ID"])

        let planted = harness.directory + "/untrusted-ack.txt"
        try """
        MESSAGE=extravasd: alert \(id) acknowledged by Intruder: not-extravasation
        MESSAGE_ID=\(Self.acknowledgementID)
        PRIORITY=5
        SYSLOG_IDENTIFIER=extravasd
        EXTRAVASD_ALERT_ID=\(id)
        EXTRAVASD_ACK_BY=Intruder
        EXTRAVASD_DISPOSITION=not-extravasation

        """.write(toFile: planted, atomically: true, encoding: .utf8)
        chmod(planted, 0o644)
        _ = try DaemonHarness.shell(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/logger", "--journald=\(planted)"])
        let written = try #require(
            try await eventually(timeout: .seconds(10)) {
                try DeliveryTests.journalEntries([
                    "MESSAGE_ID=\(Self.acknowledgementID)", "EXTRAVASD_ALERT_ID=\(id)",
                ])
                .first
            })
        #expect(written["_UID"] == "65534", "written by nobody")
        let judged = try await eventually(timeout: .seconds(10)) {
            try DeliveryTests.journalEntries(["EXTRAVASD_ACKNOWLEDGED_ALERT=\(id)", "_PID=\(pid)"]).first
        }
        #expect(judged?["EXTRAVASD_WRITER_UID"] == "65534", "the daemon says it changes nothing")
        #expect(judged?["PRIORITY"] == "4")

        // Not suppressed: the next escalation of the episode is written.
        try harness.append(
            Array(
                feed.assessment(
                    of: "Left heel", at: "20260303120000", erythema: true, swelling: true, pain: 6
                ).utf8))
        let escalation = try await eventually(timeout: .seconds(20)) {
            try Self.alerts(harness, mrn: mrn).first { $0["MESSAGE_ID"] == Self.escalatedID }
        }
        #expect(escalation != nil, "an untrusted not-extravasation suppresses nothing")
        // Not stopped: the reminder comes.
        let reminded = try await eventually(timeout: .seconds(20)) {
            try Self.reminders(harness).first { $0["EXTRAVASD_ALERT_ID"] == id }
        }
        #expect(reminded != nil, "an untrusted acknowledgement stops no reminder")
        #expect(harness.stop() == 0)
    }

    /// A trusted `not-extravasation` acknowledgement suppresses the next escalation of its
    /// episode (not written; a lifecycle note and `STATUS=` say so), but a higher severity
    /// in another acknowledged episode still alerts, and so does a new episode.
    @Test func notExtravasationSuppressesTheNextEscalationButNotAHigherSeverityOrANewEpisode() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let pid = try #require(harness.process).processIdentifier
        let mrn = Self.newMRN("S")
        var feed = ReviewFeed(mrn: mrn)
        let first =
            feed.admission() + feed.calciumOrder(number: "7001", site: "L heel")
            + feed.calciumOrder(number: "7002", site: "R hand")
            + feed.calciumOrder(number: "7003", site: "L hand")
            // Critical (two signs at a high-risk drug's site).
            + feed.assessment(of: "Left heel", at: "20260303100000", erythema: true, swelling: true)
            // High (one sign).
            + feed.assessment(of: "Right hand", at: "20260303100500", erythema: true)
        try harness.append(Array(first.utf8))
        let firstAlerts = try #require(
            try await eventually { () -> [[String: String]]? in
                let found = try Self.alerts(harness, mrn: mrn)
                return found.count == 2 ? found : nil
            })
        let heel = try #require(
            firstAlerts.first { $0["EXTRAVASD_SITE"] == "left-heel" }?["EXTRAVASD_ALERT_ID"])
        let hand = try #require(
            firstAlerts.first { $0["EXTRAVASD_SITE"] == "right-hand" }?["EXTRAVASD_ALERT_ID"])
        for id in [heel, hand] {
            #expect(try Self.acknowledge(id, disposition: "not-extravasation").contains("not-extravasation"))
        }
        let taken = try await eventually(timeout: .seconds(10)) { () -> Bool? in
            let notices = try DeliveryTests.journalEntries(["_PID=\(pid)", "PRIORITY=5"])
                .compactMap { $0["EXTRAVASD_ACKNOWLEDGED_ALERT"] }
            return Set(notices).isSuperset(of: [heel, hand]) ? true : nil
        }
        #expect(taken == true, "the daemon took both acknowledgements up")

        let second =
            // The heel again, one sign more, still critical: suppressed.
            feed.assessment(of: "Left heel", at: "20260303120000", erythema: true, swelling: true, pain: 6)
            // The hand: high to critical, higher than any alert of that episode: written.
            + feed.assessment(of: "Right hand", at: "20260303120500", erythema: true, pain: 6)
            // Another site: a new episode, written.
            + feed.assessment(of: "Left hand", at: "20260303121000", erythema: true)
        try harness.append(Array(second.utf8))
        let all = try await eventually(timeout: .seconds(20)) { () -> [[String: String]]? in
            let found = try Self.alerts(harness, mrn: mrn)
            return found.count >= 4 ? found : nil
        }
        let note = try await eventually(timeout: .seconds(10)) {
            try DeliveryTests.journalEntries(["EXTRAVASD_EVENT=escalation_suppressed", "_PID=\(pid)"]).first
        }
        let counted = await eventually(timeout: .seconds(10)) {
            DeliveryTests.statusSaid(harness, "suppressed 1") ? true : nil
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(harness.stop() == 0)

        let written = try Self.alerts(harness, mrn: mrn)
        let summary = written.map {
            "\($0["EXTRAVASD_KIND"] ?? "?") \($0["EXTRAVASD_SITE"] ?? "?") \($0["EXTRAVASD_SEVERITY"] ?? "?")"
        }
        #expect(all?.count == 4, "\(summary)")
        #expect(
            Set(summary) == [
                "extravasation_suspected left-heel critical", "extravasation_suspected right-hand high",
                "extravasation_escalated right-hand critical", "extravasation_suspected left-hand high",
            ], "\(summary)")

        // The note names the suppressed escalation (the id replay gives it) and no patient.
        let feedFile = harness.directory + "/whole-feed.hl7"
        try Data((first + second).utf8).write(to: URL(fileURLWithPath: feedFile))
        let replayed = try DaemonHarness.shell(
            DaemonHarness.binary, ["replay", "--config", harness.config, "--format", "jsonl", feedFile])
        let escalations = replayed.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }.filter {
            $0["kind"] as? String == "extravasation_escalated" && $0["site"] as? String == "left-heel"
        }
        let suppressedID = try #require(escalations.first?["alert_id"] as? String)
        #expect(note?["EXTRAVASD_SUPPRESSED_ALERT_ID"] == suppressedID)
        #expect(note?["EXTRAVASD_ACKNOWLEDGED_ALERT_ID"] == heel)
        #expect(note?["EXTRAVASD_EPISODE"] == heel, "the episode is named by its first alert's id")
        #expect(note?["MESSAGE_ID"] == "be6f9d17828147a5b4bdd75009a48485")
        #expect(note?["PRIORITY"] == "6")
        #expect(note?["MESSAGE"]?.contains(mrn) == false, "no PHI")
        #expect(counted == true, "STATUS= counts it")
    }

    /// An acknowledgement written while the daemon is stopped is taken up at the next
    /// start (it follows from the cursor saved in the store, not from the journal's end):
    /// its reminder does not fire and its episode's next escalation is suppressed.
    @Test func anAcknowledgementWrittenWhileTheDaemonWasStoppedIsTakenUpAtTheNextStart() async throws {
        let harness = try Self.harness(afterMinutes: 0.1)
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let mrn = Self.newMRN("W")
        var feed = ReviewFeed(mrn: mrn)
        try harness.append(
            Array(
                (feed.admission() + feed.calciumOrder(number: "7001", site: "L heel")
                    + feed.assessment(of: "Left heel", at: "20260303100000", erythema: true, swelling: true))
                    .utf8))
        let alert = try #require(try await eventually { try Self.alerts(harness, mrn: mrn).first })
        let id = try #require(alert["EXTRAVASD_ALERT_ID"])
        #expect(harness.stop() == 0)

        #expect(try Self.acknowledge(id, disposition: "not-extravasation").contains("not-extravasation"))
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let pid = try #require(harness.process).processIdentifier
        try harness.append(
            Array(
                feed.assessment(
                    of: "Left heel", at: "20260303120000", erythema: true, swelling: true, pain: 6
                ).utf8))
        let note = try await eventually(timeout: .seconds(60)) {
            try DeliveryTests.journalEntries(["EXTRAVASD_EVENT=escalation_suppressed", "_PID=\(pid)"]).first
        }
        #expect(note?["EXTRAVASD_ACKNOWLEDGED_ALERT_ID"] == id, "the escalation was suppressed")
        // Past the reminder's due time (6 s after the alert was written): none came.
        let due = Self.writtenAt(alert) + 6_000_000 + 1_500_000
        let wait = Double(due - Int64(Date().timeIntervalSince1970 * 1_000_000)) / 1_000_000
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        #expect(harness.stop() == 0)
        #expect(try Self.reminders(harness).isEmpty, "the acknowledgement stopped the reminder")
        #expect(try Self.alerts(harness, mrn: mrn).count == 1, "the escalation was not written")
    }
}
