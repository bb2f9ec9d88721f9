import StateStore
import Testing

@Suite("Store engine state")
struct EngineStateTests {
    @Test func aTwoMegabyteEngineStateCommitCompletes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        let clock = ContinuousClock()
        for round in 1...5 {
            let state = Fixtures.bytes(count: 2 * 1024 * 1024, seed: UInt64(round))
            let batch = StoreBatch(
                checkpoints: [Fixtures.checkpoint(1, path: "/feeds/lab.hl7", offset: round * 1000)],
                engineState: state, engineStateVersion: round, outbox: [Fixtures.alert("alert-\(round)")])
            let elapsed = try await clock.measure { try await store.commit(batch) }
            print("StateStore: commit of a 2 MiB engine state (round \(round)) took \(elapsed)")
            let stored = try await store.engineState()
            #expect(stored?.version == round)
            #expect(stored?.bytes == state)
        }
        await store.close()
    }

    @Test func aBatchWithoutEngineStateKeepsTheStoredOne() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(engineState: [1, 2, 3], engineStateVersion: 4))
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("a")], removedCheckpoints: []))
        let stored = try await store.engineState()
        #expect(stored?.version == 4)
        #expect(stored?.bytes == [1, 2, 3])
        await store.close()
    }

    @Test func anEmptyEngineStateIsStoredAsEmptyNotAbsent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(engineState: [], engineStateVersion: 1))
        let stored = try await store.engineState()
        #expect(stored?.version == 1)
        #expect(stored?.bytes == [])
        await store.close()
    }
}
