import StateStore
import Testing

/// A batch is stored whole or not at all, on both stores: a batch whose last statement
/// fails (a negative offset, refused by the table) leaves nothing, also after reopening,
/// and the store keeps working.
@Suite("Store contract: batch atomicity")
struct AtomicityContractTests {
    static let good = StoreBatch(
        checkpoints: [Fixtures.checkpoint(1, path: "/feeds/lab.hl7", offset: 100)],
        engineState: Array("state-1".utf8), engineStateVersion: 1,
        outbox: [Fixtures.alert("alert-1")])

    /// Every part of a batch, then a checkpoint with a negative offset (refused).
    static let failing = StoreBatch(
        checkpoints: [
            Fixtures.checkpoint(1, path: "/feeds/lab-renamed.hl7", offset: 900),
            Fixtures.checkpoint(2, path: "/feeds/adt.hl7", offset: -1),
        ],
        engineState: Array("state-2".utf8), engineStateVersion: 2,
        outbox: [Fixtures.alert("alert-2")],
        removedCheckpoints: [Fixtures.identity(1)],
        engineParts: [EnginePart(kind: 1, key: [1], value: [1])],
        firedReminders: ["alert-1"],
        suppressions: [
            EpisodeSuppression(episode: "e", until: 1, severityCeiling: 1, acknowledgedAlertID: "a")
        ],
        acknowledgementCursor: "s=9")

    @Test(arguments: StoreKind.allCases)
    func aBatchWhoseLastStatementFailsLeavesNothingAfterReopening(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(Self.good)
        let error = await #expect(throws: StateStoreError.self) { try await store.commit(Self.failing) }
        #expect(error?.code == .constraint)
        #expect(error?.step.hasPrefix("INSERT INTO file_checkpoint") == true)
        try await expectOnlyTheGoodBatch(in: store)
        await store.close()
        let reopened = try location.open()
        try await expectOnlyTheGoodBatch(in: reopened)
        await reopened.close()
    }

    @Test(arguments: StoreKind.allCases)
    func theStoreKeepsWorkingAfterAFailedBatch(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        await #expect(throws: StateStoreError.self) { try await store.commit(Self.failing) }
        var repaired = Self.failing
        repaired.checkpoints[1].offset = 0
        try await store.commit(repaired)
        #expect(try await store.engineState()?.bytes == Array("state-2".utf8))
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("alert-2")])
        #expect(try await store.checkpoints().map(\.offset) == [0, 900])
        #expect(try await store.storedReview().acknowledgementCursor == "s=9")
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aClosedStoreRefusesEveryCallAndStoresNothing(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(Self.good)
        await store.close()
        await store.close()
        for error in [
            await #expect(throws: StateStoreError.self) { try await store.commit(Self.failing) },
            await #expect(throws: StateStoreError.self) { try await store.commit(StoreBatch()) },
            await #expect(throws: StateStoreError.self) { try await store.checkpoints() },
            await #expect(throws: StateStoreError.self) { try await store.ping() },
        ] {
            #expect(error?.code == .closed)
        }
        let reopened = try location.open()
        try await expectOnlyTheGoodBatch(in: reopened)
        await reopened.close()
    }

    private func expectOnlyTheGoodBatch(in store: any SurveillanceStore) async throws {
        #expect(try await store.checkpoints() == Self.good.checkpoints)
        let state = try await store.engineState()
        #expect(state?.version == 1)
        #expect(state?.bytes == Array("state-1".utf8))
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("alert-1")])
        #expect(try await store.engineParts().isEmpty)
        #expect(try await store.storedReview() == StoredReview(acknowledgementCursor: nil, suppressions: []))
    }
}
