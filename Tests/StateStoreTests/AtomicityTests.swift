import StateStore
import Testing

@Suite("Store batch atomicity")
struct AtomicityTests {
    static let good = StoreBatch(
        checkpoints: [Fixtures.checkpoint(1, path: "/feeds/lab.hl7", offset: 100)],
        engineState: Array("state-1".utf8), engineStateVersion: 1,
        outbox: [Fixtures.alert("alert-1")])

    /// Writes the engine state, an outbox entry and a valid checkpoint, then fails on a
    /// checkpoint with a negative offset (the table's CHECK constraint): the last statement.
    static let failing = StoreBatch(
        checkpoints: [
            Fixtures.checkpoint(1, path: "/feeds/lab-renamed.hl7", offset: 900),
            Fixtures.checkpoint(2, path: "/feeds/adt.hl7", offset: -1),
        ],
        engineState: Array("state-2".utf8), engineStateVersion: 2,
        outbox: [Fixtures.alert("alert-2")])

    @Test func aBatchWhoseLastStatementFailsLeavesNothingAfterReopening() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(Self.good)
        let error = await #expect(throws: StateStoreError.self) { try await store.commit(Self.failing) }
        #expect(error?.code == .constraint)
        #expect(error?.step.hasPrefix("INSERT INTO file_checkpoint") == true)
        #expect(error?.reason.contains("CHECK constraint failed") == true)
        #expect(error?.file == directory.databasePath)
        await store.close()

        let reopened = try StoreUnderTest.open(directory.path)
        try await expectOnlyTheGoodBatch(in: reopened)
        await reopened.close()
    }

    @Test func aFingerprintOverSixtyFourBytesFailsTheWholeBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(Self.good)
        let tooLong = FileCheckpoint(
            identity: FileIdentity(device: 1, inode: 5, fingerprint: Array(repeating: 0x41, count: 65)),
            path: "/feeds/x.hl7", offset: 0)
        let error = await #expect(throws: StateStoreError.self) {
            try await store.commit(
                StoreBatch(
                    checkpoints: [tooLong], engineState: Array("state-2".utf8), engineStateVersion: 2,
                    outbox: [Fixtures.alert("alert-2")]))
        }
        #expect(error?.code == .constraint)
        try await expectOnlyTheGoodBatch(in: store)
        await store.close()
    }

    @Test func theStoreKeepsWorkingAfterAFailedBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        await #expect(throws: StateStoreError.self) { try await store.commit(Self.failing) }
        var repaired = Self.failing
        repaired.checkpoints[1].offset = 0
        try await store.commit(repaired)
        #expect(try await store.engineState()?.bytes == Array("state-2".utf8))
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("alert-2")])
        #expect(try await store.checkpoints().map(\.offset) == [0, 900])
        await store.close()
    }

    private func expectOnlyTheGoodBatch(in store: any SurveillanceStore) async throws {
        #expect(try await store.checkpoints() == Self.good.checkpoints)
        let state = try await store.engineState()
        #expect(state?.version == 1)
        #expect(state?.bytes == Array("state-1".utf8))
        #expect(try await store.undeliveredAlerts() == [Fixtures.alert("alert-1")])
    }
}
