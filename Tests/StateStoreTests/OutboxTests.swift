import StateStore
import Testing

@Suite("Store alert outbox")
struct OutboxTests {
    @Test func insertIsIdempotentByAlertID() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("a"), Fixtures.alert("b")]))
        // The same id again, in a later batch and twice within one batch, with another
        // payload: the first entry stays, in its place.
        let changed = OutboxEntry(alertID: "a", payload: Array("other".utf8))
        try await store.commit(StoreBatch(outbox: [changed, Fixtures.alert("c"), changed]))
        #expect(
            try await store.undeliveredAlerts() == [
                Fixtures.alert("a"), Fixtures.alert("b"), Fixtures.alert("c"),
            ])
        await store.close()
    }

    @Test func markDeliveredRemovesEntriesFromUndeliveredAlerts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(outbox: ["a", "b", "c", "d"].map(Fixtures.alert)))
        try await store.markDelivered(["c", "a", "unknown"], writtenAt: Fixtures.writtenAt)
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("b"), Fixtures.alert("d")])
        try await store.markDelivered([], writtenAt: Fixtures.writtenAt)
        await store.close()

        let reopened = try StoreUnderTest.open(directory.path)
        #expect(try await reopened.undeliveredAlerts() == [Fixtures.alert("b"), Fixtures.alert("d")])
        await reopened.close()
    }

    @Test func aDeliveredAlertCommittedAgainIsNotDeliveredAgain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        try await store.markDelivered(["a"], writtenAt: Fixtures.writtenAt)
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        #expect(try await store.undeliveredAlerts().isEmpty)
        await store.close()
    }

    @Test func pruningKeepsTheNewestDeliveredEntriesAndEveryUndeliveredOne() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        let ids = (0..<10).map { "alert-\($0)" }
        try await store.commit(StoreBatch(outbox: ids.map(Fixtures.alert)))
        try await store.markDelivered(Array(ids[0..<8]), writtenAt: Fixtures.writtenAt)

        #expect(try await store.pruneDelivered(keepingLast: 3) == 5)
        #expect(try await store.pruneDelivered(keepingLast: 3) == 0)
        #expect(try await store.undeliveredAlerts() == ids[8...].map(Fixtures.alert))
        await store.close()
        let raw = try RawDatabase(path: directory.databasePath)
        #expect(try raw.integer("SELECT count(*) FROM alert_outbox WHERE delivered = 1") == 3)
        #expect(
            try raw.integer(
                "SELECT count(*) FROM alert_outbox WHERE delivered = 1 AND alert_id IN ('alert-5', 'alert-6', 'alert-7')"
            )
                == 3)
    }

    @Test func pruningEverythingDeliveredWithZero() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(outbox: ["a", "b", "c"].map(Fixtures.alert)))
        try await store.markDelivered(["a", "b"], writtenAt: Fixtures.writtenAt)
        #expect(try await store.pruneDelivered(keepingLast: 0) == 2)
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("c")])
        await store.close()
    }

    @Test func markDeliveredPrunesBeyondTheRetention() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path, deliveredRetention: 2)
        let ids = (0..<6).map { "alert-\($0)" }
        try await store.commit(StoreBatch(outbox: ids.map(Fixtures.alert)))
        for id in ids.prefix(5) { try await store.markDelivered([id], writtenAt: Fixtures.writtenAt) }
        await store.close()
        let raw = try RawDatabase(path: directory.databasePath)
        #expect(try raw.integer("SELECT count(*) FROM alert_outbox WHERE delivered = 1") == 2)
        #expect(try raw.integer("SELECT count(*) FROM alert_outbox WHERE delivered = 0") == 1)
    }

    @Test func creationOrderSurvivesPruning() async throws {
        // AUTOINCREMENT: sequence numbers are never reused, so an entry created after a
        // prune still comes after the older undelivered ones.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(outbox: ["a", "b", "c"].map(Fixtures.alert)))
        try await store.markDelivered(["c"], writtenAt: Fixtures.writtenAt)
        try await store.pruneDelivered(keepingLast: 0)
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("d")]))
        #expect(try await store.undeliveredAlerts().map(\.alertID) == ["a", "b", "d"])
        await store.close()
    }

    @Test func emptyPayloadRoundTrips() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(outbox: [OutboxEntry(alertID: "", payload: [])]))
        #expect(try await store.undeliveredAlerts() == [OutboxEntry(alertID: "", payload: [])])
        await store.close()
    }
}
