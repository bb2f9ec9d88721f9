import Foundation
import PostgresNIO
import StateStore
import Testing

@testable import PostgresStore

/// The PostgreSQL store as the shared record of alerts and acknowledgements (DESIGN.md
/// section 10, schema version 3): acknowledgement rows in commit order, delivered alerts
/// by the time written, retention by days, and the migration of a version 2 store.
@Suite("PostgreSQL store: the shared record")
struct SharedRecordStoreTests {
    static let now: Int64 = 1_780_000_000_000_000

    static func acknowledgement(_ id: String, by: String = "RN A", at: Int64 = now) -> SharedAcknowledgement {
        SharedAcknowledgement(
            alertID: id, by: by, disposition: "confirmed", note: "a note\nwith a newline", acknowledgedAt: at,
            host: "host-a", uid: 1000)
    }

    @Test func acknowledgementsAreNumberedAndReadBackAfterASequence() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let store = try PostgreSQLStore(settings: settings)
        let first = try await store.recordAcknowledgement(Self.acknowledgement("a"))
        var bare = Self.acknowledgement("b", by: "PharmD B")
        bare.disposition = nil
        bare.note = nil
        bare.uid = nil
        let second = try await store.recordAcknowledgement(bare)
        #expect(first.sequence > 0 && second.sequence > first.sequence)
        var expected = Self.acknowledgement("a")
        expected.sequence = first.sequence
        #expect(try await store.acknowledgements(after: 0) == [expected, second])
        #expect(try await store.acknowledgements(after: first.sequence) == [second])
        #expect(try await store.acknowledgements(after: second.sequence).isEmpty)
        // Another host's store on the same schema sees them.
        let other = try PostgreSQLStore(settings: settings)
        #expect(try await other.acknowledgements(after: 0).count == 2)
        await other.close()
        await store.close()
    }

    @Test func deliveredAlertsAreTheSharedRecordAndAnyOutboxAlertExists() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let store = try PostgreSQLStore(settings: settings)
        let critical = OutboxEntry(
            alertID: "c", payload: [1, 2],
            review: OutboxReviewFacts(episode: "e", severityRank: 3, remindsIfUnacknowledged: true))
        try await store.commit(
            StoreBatch(outbox: [Fixtures.alert("a"), Fixtures.alert("b"), critical, Fixtures.alert("u")]))
        try await store.markDelivered(["b"], writtenAt: 200)
        try await store.markDelivered(["a"], writtenAt: 100)
        try await store.markDelivered(["c"], writtenAt: 300)
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("c:reminder")], firedReminders: ["c"]))
        try await store.markDelivered(["c:reminder"], writtenAt: 400)

        let all = try await store.deliveredAlerts(since: nil, until: nil)
        #expect(
            all.map(\.alertID) == ["a", "b", "c"],
            "by the time written; no reminder entry, no undelivered one")
        #expect(all.map(\.writtenAt) == [100, 200, 300])
        #expect(all.map(\.reminded) == [false, false, true])
        #expect(all.first?.payload == Fixtures.alert("a").payload)
        #expect(try await store.deliveredAlerts(since: 150, until: 300).map(\.alertID) == ["b", "c"])
        #expect(try await store.deliveredAlerts(since: nil, until: 100).map(\.alertID) == ["a"])

        #expect(try await store.alertExists("a"))
        #expect(try await store.alertExists("u"), "undelivered: raised, perhaps written, not yet marked")
        #expect(try await store.alertExists("c:reminder") == false)
        #expect(try await store.alertExists("nope") == false)
        await store.close()
    }

    @Test func retentionDaysKeepRecentDeliveredAlertsAndPruneOldOnesAndOldAcknowledgements() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let store = try PostgreSQLStore(settings: settings, retentionDays: 2)
        let wallClock = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let day: Int64 = 86_400_000_000
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("old"), Fixtures.alert("recent")]))
        try await store.markDelivered(["old"], writtenAt: wallClock - 3 * day)
        try await store.markDelivered(["recent"], writtenAt: wallClock - day)
        _ = try await store.recordAcknowledgement(Self.acknowledgement("old", at: wallClock - 3 * day))
        _ = try await store.recordAcknowledgement(Self.acknowledgement("recent", at: wallClock - day))

        #expect(try await store.pruneDelivered(keepingLast: 0) == 1, "only the one past two days")
        #expect(try await store.deliveredAlerts(since: nil, until: nil).map(\.alertID) == ["recent"])
        #expect(try await store.acknowledgements(after: 0).map(\.alertID) == ["recent"])
        await store.close()

        // Without retention days (SQLite's rule), the count alone decides.
        let byCount = try PostgreSQLStore(settings: settings)
        #expect(try await byCount.pruneDelivered(keepingLast: 0) == 1)
        await byCount.close()
    }

    @Test func aVersionTwoStoreIsMigratedToThreeKeepingItsRows() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        // A version 2 store, as the previous build left it: its tables, a delivered alert
        // (opening the connection creates the schema).
        let raw = try PostgreSQLConnection.open(settings)
        defer { raw.close() }
        try raw.transaction {
            for steps in PostgreSQLSchema.migrations.prefix(2) {
                for sql in steps { try raw.execute(PostgresQuery(unsafeSQL: sql)) }
            }
            try raw.execute(
                "INSERT INTO schema_version (id, version, application) VALUES (1, 2, 'extravasd')")
            try raw.execute(
                """
                INSERT INTO alert_outbox (alert_id, payload, delivered, written_at, reminder)
                VALUES ('kept', '\\x01'::bytea, true, 42, 0)
                """)
        }
        #expect(
            try raw.firstRow("SELECT to_regclass('acknowledgement') IS NULL") { try $0.decode(Bool.self) }
                == true)

        let store = try PostgreSQLStore(settings: settings)
        #expect(try await store.schemaVersion() == 4)
        #expect(try await store.deliveredAlerts(since: nil, until: nil).map(\.alertID) == ["kept"])
        let stored = try await store.recordAcknowledgement(Self.acknowledgement("kept"))
        #expect(try await store.acknowledgements(after: 0).map(\.sequence) == [stored.sequence])
        await store.close()
    }
}
