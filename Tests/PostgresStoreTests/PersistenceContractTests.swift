import StateStore
import Testing

/// Durability and concurrency on both stores: a committed batch read back after reopening
/// and by a second store while the first is open, extreme values, many concurrent commits,
/// the durability level and the liveness check.
@Suite("Store contract: persistence")
struct PersistenceContractTests {
    static let batch = StoreBatch(
        checkpoints: [
            Fixtures.checkpoint(11, path: "/var/spool/hl7/lab.hl7", offset: 4096),
            Fixtures.checkpoint(12, path: "/var/spool/hl7/adt.hl7", offset: 0, fingerprint: ""),
            FileCheckpoint(
                identity: FileIdentity(
                    device: .max, inode: UInt64(Int64.max) + 7, fingerprint: Array(repeating: 0xFF, count: 64)
                ),
                path: "/var/spool/hl7/pharmacy.hl7", offset: Int(Int32.max) + 1),
        ],
        engineState: Array(#"{"version":3,"episodes":[]}"#.utf8),
        engineStateVersion: 3,
        outbox: [Fixtures.alert("z-first"), Fixtures.alert("a-second"), Fixtures.alert("m-third")])

    @Test(arguments: StoreKind.allCases)
    func commitThenReopenReturnsTheSameState(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let first = try location.open()
        #expect(try await first.checkpoints().isEmpty)
        #expect(try await first.undeliveredAlerts().isEmpty)
        try await first.commit(Self.batch)
        try await first.commit(StoreBatch(outbox: [Fixtures.alert("b-fourth")]))
        await first.close()
        let second = try location.open()
        try await expectEverything(in: second)
        #expect(try await second.undeliveredAlerts().last == Fixtures.alert("b-fourth"))
        await second.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aCommittedBatchIsVisibleToASecondStoreWithoutClosingTheFirst(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let first = try location.open()
        try await first.commit(Self.batch)
        let second = try location.open()
        try await expectEverything(in: second)
        await second.close()
        await first.close()
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentCommitsFromManyTasksAllLand(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await store.commit(
                        StoreBatch(
                            checkpoints: [
                                Fixtures.checkpoint(UInt64(index), path: "/feeds/\(index)", offset: index)
                            ],
                            outbox: [Fixtures.alert("alert-\(index)")]))
                    if index % 5 == 0 { try await store.markDelivered(["alert-\(index)"], writtenAt: 1) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.checkpoints().count == 50)
        #expect(try await store.undeliveredAlerts().count == 40)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func theStoreIsDurableAndAnswersThePing(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        #expect(try await store.synchronousMode() == 2)
        try await store.ping()
        await store.close()
    }

    private func expectEverything(in store: any SurveillanceStore) async throws {
        #expect(try await store.checkpoints() == Self.batch.checkpoints.sorted { $0.path < $1.path })
        let state = try await store.engineState()
        #expect(state?.version == 3)
        #expect(state?.bytes == Self.batch.engineState)
        #expect(try await store.undeliveredAlerts().prefix(3) == Self.batch.outbox[...])
    }
}
