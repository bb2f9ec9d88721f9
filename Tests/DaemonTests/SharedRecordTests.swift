import Foundation
import Testing

/// Issue 17, the shared record (DESIGN.md section 10): with the PostgreSQL store, `ack`
/// writes a row beside the journal entry, `alerts` reads alerts and acknowledgements from
/// the store, and the leader's reminders stop for an acknowledgement recorded on any host.
/// Two "hosts" are two configurations and state folders on one database; they share this
/// machine's journal, so what only another host's journal would hold is written to the
/// store directly (`psql`), as that host's `ack` or daemon would have.
@Suite(
    "Shared record of alerts and acknowledgements (PostgreSQL)", .serialized,
    .enabled(if: TestPostgreSQL.unavailable == nil, "\(TestPostgreSQL.unavailable ?? "")"))
struct SharedRecordTests {
    /// Runs `extravasd ARGUMENTS`: exit status, stdout, stderr.
    static func extravasd(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        try DaemonHarness.command(arguments)
    }

    /// `extravasd alerts --format json --config CONFIG`, one object per line.
    static func alertsJSON(config: String) throws -> [[String: Any]] {
        let result = try extravasd(["alerts", "--format", "json", "--config", config])
        #expect(result.status == 0, "\(result.errors)")
        return result.output.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Two harnesses on one fresh database and one spool (the first's), reminders
    /// `afterMinutes` after an alert was written.
    static func hosts(afterMinutes: Double) throws -> (
        url: String, first: DaemonHarness, second: DaemonHarness
    ) {
        let url = try TestPostgreSQL.freshDatabase()
        let first = try DaemonHarness()
        let second = try DaemonHarness()
        let spool = first.directory + "/spool"
        for harness in [first, second] {
            try harness.useSharedStore(url: url, spool: spool, takeoverMilliseconds: 1500)
            try DeliveryTests.configure(harness, "reminders:\n  after_minutes: \(afterMinutes)\n")
        }
        return (url, first, second)
    }

    /// Waits until the store marks alert `id` delivered.
    static func delivered(_ url: String, _ id: String) async -> Bool {
        await eventually(timeout: .seconds(20)) {
            let text = try? TestPostgreSQL.psql(
                url, "SELECT count(*) FROM extravasd.alert_outbox WHERE alert_id = '\(id)' AND delivered")
            return text?.trimmingCharacters(in: .whitespacesAndNewlines) == "1" ? true : nil
        } == true
    }

    /// An alert raised by the leader, acknowledged with the other host's configuration:
    /// the row names the alert, the person and the host; `alerts` with the leader's
    /// configuration shows the acknowledgement; no reminder is written for it.
    @Test func anAlertAcknowledgedFromTheOtherHostIsShownAcknowledgedAndNotReminded() async throws {
        let (url, first, second) = try Self.hosts(afterMinutes: 0.1)
        try await first.startAndWaitUntilReady()
        #expect(try await first.waitFor { try first.lifecycleEvents().contains("leader_acquired") })
        let mrn = OnCallReviewTests.newMRN("S")
        try first.append(OnCallReviewTests.criticalAlertFeed(mrn: mrn))
        let alert = try #require(try await eventually { try OnCallReviewTests.alerts(first, mrn: mrn).first })
        let id = try #require(alert["EXTRAVASD_ALERT_ID"])
        #expect(await Self.delivered(url, id))

        let ack = try Self.extravasd([
            "ack", id, "--by", "RN Other Host", "--disposition", "confirmed", "--note", "line removed",
            "--config", second.config,
        ])
        #expect(ack.status == 0, "\(ack.errors)")
        #expect(ack.output.contains("acknowledged alert \(id) by RN Other Host"))
        let row = try TestPostgreSQL.psql(
            url,
            "SELECT acknowledged_by || '|' || disposition || '|' || note || '|' || (host <> '')::text "
                + "FROM extravasd.acknowledgement WHERE alert_id = '\(id)'")
        #expect(
            row.trimmingCharacters(in: .whitespacesAndNewlines) == "RN Other Host|confirmed|line removed|true"
        )

        let listed = try Self.alertsJSON(config: first.config).filter { $0["alert_id"] as? String == id }
        #expect(listed.count == 1, "each alert id once")
        #expect(listed.first?["acknowledged"] as? Bool == true)
        #expect(listed.first?["ack_by"] as? String == "RN Other Host")
        #expect(listed.first?["disposition"] as? String == "confirmed")
        #expect(listed.first?["patient"] as? String == mrn)

        try await Task.sleep(for: .seconds(9))
        #expect(first.stop() == 0)
        #expect(try OnCallReviewTests.reminders(first).isEmpty, "no reminder for the acknowledged alert")
    }

    /// An acknowledgement only the store holds (written by `ack` on another host, whose
    /// journal is not this one's) stops the reminder of that alert, and `alerts` shows it;
    /// the other critical alert, acknowledged nowhere, is reminded.
    @Test func anAcknowledgementRecordedOnlyInTheStoreStopsTheReminder() async throws {
        let (url, first, _) = try Self.hosts(afterMinutes: 0.1)
        try await first.startAndWaitUntilReady()
        #expect(try await first.waitFor { try first.lifecycleEvents().contains("leader_acquired") })
        let acknowledged = OnCallReviewTests.newMRN("R")
        let forgotten = OnCallReviewTests.newMRN("F")
        try first.append(
            OnCallReviewTests.criticalAlertFeed(mrn: acknowledged)
                + OnCallReviewTests.criticalAlertFeed(mrn: forgotten))
        let alert = try #require(
            try await eventually { try OnCallReviewTests.alerts(first, mrn: acknowledged).first })
        let other = try #require(
            try await eventually { try OnCallReviewTests.alerts(first, mrn: forgotten).first })
        let id = try #require(alert["EXTRAVASD_ALERT_ID"])
        try TestPostgreSQL.psql(
            url,
            """
            INSERT INTO extravasd.acknowledgement (alert_id, acknowledged_by, disposition, note, acknowledged_at,
                host, writer_uid)
            VALUES ('\(id)', 'RN Elsewhere', 'infusion-stopped', NULL,
                (extract(epoch FROM now()) * 1000000)::bigint, 'host-b', 0)
            """)

        let reminder = try #require(
            try await eventually(timeout: .seconds(20)) { try OnCallReviewTests.reminders(first).first },
            "the alert nobody acknowledged is reminded")
        #expect(reminder["EXTRAVASD_ALERT_ID"] == other["EXTRAVASD_ALERT_ID"])
        try await Task.sleep(for: .seconds(1.5))
        let reminded = try OnCallReviewTests.reminders(first).compactMap { $0["EXTRAVASD_ALERT_ID"] }
        #expect(reminded == [other["EXTRAVASD_ALERT_ID"]].compactMap { $0 }, "none for the acknowledged one")

        let listed = try Self.alertsJSON(config: first.config)
        let row = listed.first { $0["alert_id"] as? String == id }
        #expect(row?["acknowledged"] as? Bool == true)
        #expect(row?["ack_by"] as? String == "RN Elsewhere")
        #expect(row?["disposition"] as? String == "infusion-stopped")
        let otherRow = listed.first { $0["alert_id"] as? String == other["EXTRAVASD_ALERT_ID"] }
        #expect(otherRow?["acknowledged"] as? Bool == false)
        #expect(otherRow?["reminded"] as? Bool == true)
        #expect(first.stop() == 0)
    }

    /// An alert the store holds but this host's journal does not (the other host raised
    /// it): `ack` accepts it (today's journal check alone would exit 65), `alerts` lists
    /// it with the acknowledgement; an id neither holds still exits 65 naming it.
    @Test func anAlertOnlyTheStoreHoldsIsListedAndCanBeAcknowledged() async throws {
        let (url, first, second) = try Self.hosts(afterMinutes: 10)
        // Any command on the store creates its schema.
        #expect(try Self.alertsJSON(config: first.config).isEmpty)
        let id = "feed" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(28).lowercased()
        let mrn = OnCallReviewTests.newMRN("O")
        let fields: [(String, String)] = [
            ("MESSAGE", "Suspected extravasation at left-heel"),
            ("MESSAGE_ID", "751bbc47ee744393bc95affcf7ff9db6"),
            ("PRIORITY", "2"), ("SYSLOG_IDENTIFIER", "extravasd"), ("EXTRAVASD_ALERT_ID", id),
            ("EXTRAVASD_KIND", "extravasation_suspected"), ("EXTRAVASD_SEVERITY", "critical"),
            ("EXTRAVASD_PATIENT", mrn), ("EXTRAVASD_SITE", "left-heel"), ("EXTRAVASD_SITE_MATCH", "exact"),
            ("EXTRAVASD_SIGNS", "erythema,swelling"), ("EXTRAVASD_DRUG", "Calcium Gluconate 10% inj"),
            ("EXTRAVASD_INFUSION_ACTIVE", "1"), ("EXTRAVASD_RISK_FACTORS", ""),
            ("EXTRAVASD_OBSERVED_AT", "2026-03-03T10:00:00+00:00"),
            ("EXTRAVASD_SOURCE", "file:/other/host.hl7:0"),
        ]
        var payload = ""
        for (name, value) in fields { payload += "\(name)=\(value.utf8.count)\n\(value)\n" }
        let hex = Data(payload.utf8).map { String(format: "%02x", $0) }.joined()
        try TestPostgreSQL.psql(
            url,
            """
            INSERT INTO extravasd.alert_outbox (alert_id, payload, delivered, written_at, reminder)
            VALUES ('\(id)', decode('\(hex)', 'hex'), true, (extract(epoch FROM now()) * 1000000)::bigint, 0)
            """)

        let ack = try Self.extravasd(["ack", id, "--by", "PharmD A. Roe", "--config", second.config])
        #expect(ack.status == 0, "\(ack.errors)")
        let listed = try Self.alertsJSON(config: first.config)
        #expect(listed.count == 1)
        #expect(listed.first?["alert_id"] as? String == id)
        #expect(listed.first?["patient"] as? String == mrn)
        #expect(listed.first?["severity"] as? String == "critical")
        #expect(listed.first?["acknowledged"] as? Bool == true)
        #expect(listed.first?["ack_by"] as? String == "PharmD A. Roe")

        // report reads the same record: the alert (no feed raised it here) and its acknowledgement.
        let feed = first.directory + "/empty.hl7"
        FileManager.default.createFile(atPath: feed, contents: Data())
        let page = first.directory + "/report.html"
        let report = try Self.extravasd(["report", "--html", page, "--config", first.config, "--feeds", feed])
        #expect(report.status == 0, "\(report.errors)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains(id), "the store's alert is in the report")
        #expect(html.contains("PharmD A. Roe"), "with its acknowledgement")
        #expect(html.contains("the PostgreSQL state store"))

        let unknown = try Self.extravasd([
            "ack", "0123456789abcdef", "--by", "RN X", "--config", second.config,
        ])
        #expect(unknown.status == 65)
        #expect(unknown.errors.contains("0123456789abcdef"))
    }
}
