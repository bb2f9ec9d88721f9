import StateStore
import Testing

/// The outbox on both stores: insert-if-absent by alert id in creation order,
/// `markDelivered` with `writtenAt`, `latestDeliveryTime`, `pruneDelivered` keeping the
/// newest delivered entries, the retention applied by `markDelivered`.
@Suite("Store contract: alert outbox")
struct OutboxContractTests {
    @Test(arguments: StoreKind.allCases)
    func insertIsIdempotentByAlertIDAndKeepsCreationOrder(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("z"), Fixtures.alert("b")]))
        let changed = OutboxEntry(alertID: "z", payload: Array("other".utf8))
        try await store.commit(StoreBatch(outbox: [changed, Fixtures.alert("a"), changed]))
        #expect(
            try await store.undeliveredAlerts() == [
                Fixtures.alert("z"), Fixtures.alert("b"), Fixtures.alert("a"),
            ])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func markDeliveredRemovesEntriesFromUndeliveredAlertsDurably(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        #expect(try await store.latestDeliveryTime() == nil)
        try await store.commit(StoreBatch(outbox: ["a", "b", "c", "d"].map(Fixtures.alert)))
        try await store.markDelivered(["c", "a", "unknown"], writtenAt: Fixtures.writtenAt)
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("b"), Fixtures.alert("d")])
        try await store.markDelivered([], writtenAt: Fixtures.writtenAt + 1)
        #expect(try await store.latestDeliveryTime() == Fixtures.writtenAt)
        try await store.markDelivered(["b"], writtenAt: Fixtures.writtenAt + 7)
        // Delivered already: left as it is.
        try await store.markDelivered(["a"], writtenAt: Fixtures.writtenAt + 100)
        #expect(try await store.latestDeliveryTime() == Fixtures.writtenAt + 7)
        await store.close()

        let reopened = try location.open()
        #expect(try await reopened.undeliveredAlerts() == [Fixtures.alert("d")])
        #expect(try await reopened.latestDeliveryTime() == Fixtures.writtenAt + 7)
        await reopened.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aDeliveredAlertCommittedAgainIsNotDeliveredAgain(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        try await store.markDelivered(["a"], writtenAt: Fixtures.writtenAt)
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        #expect(try await store.undeliveredAlerts().isEmpty)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func pruningKeepsTheNewestDeliveredEntriesAndEveryUndeliveredOne(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let ids = (0..<10).map { "alert-\($0)" }
        try await store.commit(StoreBatch(outbox: ids.map(Fixtures.alert)))
        try await store.markDelivered(Array(ids[0..<8]), writtenAt: Fixtures.writtenAt)
        #expect(try await store.pruneDelivered(keepingLast: 3) == 5)
        #expect(try await store.pruneDelivered(keepingLast: 3) == 0)
        #expect(try await store.undeliveredAlerts() == ids[8...].map(Fixtures.alert))
        // The kept ones (the newest three) still keep their ids from being delivered again;
        // the pruned ones are new entries when committed again.
        try await store.commit(StoreBatch(outbox: ids[0..<8].map(Fixtures.alert)))
        #expect(try await store.undeliveredAlerts().map(\.alertID) == Array(ids[8...] + ids[0..<5]))
        #expect(try await store.pruneDelivered(keepingLast: -1) == 3)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func pruningEverythingDeliveredWithZero(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(StoreBatch(outbox: ["a", "b", "c"].map(Fixtures.alert)))
        try await store.markDelivered(["a", "b"], writtenAt: Fixtures.writtenAt)
        #expect(try await store.pruneDelivered(keepingLast: 0) == 2)
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("c")])
        #expect(try await store.latestDeliveryTime() == nil)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func markDeliveredPrunesBeyondTheRetention(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open(deliveredRetention: 2)
        let ids = (0..<6).map { "alert-\($0)" }
        try await store.commit(StoreBatch(outbox: ids.map(Fixtures.alert)))
        for id in ids.prefix(5) { try await store.markDelivered([id], writtenAt: Fixtures.writtenAt) }
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("alert-5")])
        #expect(try await store.pruneDelivered(keepingLast: 0) == 2, "two delivered entries were kept")
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func creationOrderSurvivesPruning(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(StoreBatch(outbox: ["a", "b", "c"].map(Fixtures.alert)))
        try await store.markDelivered(["c"], writtenAt: Fixtures.writtenAt)
        try await store.pruneDelivered(keepingLast: 0)
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("d")]))
        #expect(try await store.undeliveredAlerts().map(\.alertID) == ["a", "b", "d"])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func emptyAndBinaryPayloadsRoundTrip(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let binary = OutboxEntry(alertID: "ünïcode-✓", payload: Array(0...255))
        try await store.commit(StoreBatch(outbox: [OutboxEntry(alertID: "", payload: []), binary]))
        #expect(try await store.undeliveredAlerts() == [OutboxEntry(alertID: "", payload: []), binary])
        await store.close()
    }
}
