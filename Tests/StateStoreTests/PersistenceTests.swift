import StateStore
import Testing

@Suite("Store persistence")
struct PersistenceTests {
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

    @Test func commitThenReopenReturnsTheSameCheckpointsEngineStateAndOutboxInCreationOrder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try StoreUnderTest.open(directory.path)
        try await first.commit(Self.batch)
        try await first.commit(StoreBatch(outbox: [Fixtures.alert("b-fourth")]))
        await first.close()

        let second = try StoreUnderTest.open(directory.path)
        try await expectEverything(in: second)
        #expect(try await second.undeliveredAlerts().last == Fixtures.alert("b-fourth"))
        await second.close()
    }

    @Test func aCommittedBatchIsVisibleToASecondStoreWithoutClosingTheFirst() async throws {
        // What a `kill -9` leaves: the first connection is never closed (no checkpoint of
        // the WAL into the database file), and another connection reads the files.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try StoreUnderTest.open(directory.path)
        try await first.commit(Self.batch)

        let second = try StoreUnderTest.open(directory.path)
        try await expectEverything(in: second)
        await second.close()
        await first.close()
    }

    @Test func theFilesLeftByAnUnclosedStoreHoldTheCommittedBatch() async throws {
        // Copy the database and its WAL while the store is still open, without the
        // shared-memory index (as a crash leaves them after a reboot), and open the copy:
        // SQLite recovers the committed transaction from the WAL file on disk.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try StoreUnderTest.open(directory.path)
        try await first.commit(Self.batch)
        let copy = try TemporaryDirectory()
        defer { copy.remove() }
        try copyFiles([directory.databasePath, directory.databasePath + "-wal"], to: copy.path)

        let recovered = try StoreUnderTest.open(copy.path)
        try await expectEverything(in: recovered)
        await recovered.close()
        await first.close()
    }

    @Test func aFreshStoreIsEmpty() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        #expect(try await store.checkpoints().isEmpty)
        #expect(try await store.engineState() == nil)
        #expect(try await store.undeliveredAlerts().isEmpty)
        await store.close()
    }

    @Test func concurrentCommitsFromManyTasksAllLand() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        let surveillanceStore: any SurveillanceStore = store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await surveillanceStore.commit(
                        StoreBatch(
                            checkpoints: [
                                Fixtures.checkpoint(UInt64(index), path: "/feeds/\(index)", offset: index)
                            ],
                            outbox: [Fixtures.alert("alert-\(index)")]))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.checkpoints().count == 50)
        #expect(try await store.undeliveredAlerts().count == 50)
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
