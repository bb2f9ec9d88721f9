import StateStore
import Testing

/// The engine state and its parts on both stores, and the part reader: the remainder
/// replaced or kept, parts upserted and removed by kind and key with due times, start-up's
/// selection of kinds, and a reader that sees committed data only.
@Suite("Store contract: engine state and parts")
struct EngineContractTests {
    @Test(arguments: StoreKind.allCases)
    func theEngineStateIsReplacedKeptOrStoredEmptyNotAbsent(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        #expect(try await store.engineState() == nil)
        try await store.commit(StoreBatch(engineState: [], engineStateVersion: 1))
        #expect(try await store.engineState()?.bytes == [])
        try await store.commit(StoreBatch(engineState: [1, 2, 3], engineStateVersion: 4))
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        let stored = try await store.engineState()
        #expect(stored?.version == 4)
        #expect(stored?.bytes == [1, 2, 3])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aTwoMegabyteEngineStateRoundTrips(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let state = Fixtures.bytes(count: 2 * 1024 * 1024)
        try await store.commit(StoreBatch(engineState: state, engineStateVersion: 9))
        await store.close()
        let reopened = try location.open()
        #expect(try await reopened.engineState()?.bytes == state)
        await reopened.close()
    }

    @Test(arguments: StoreKind.allCases)
    func partsAreUpsertedByKindAndKeyAndRemovedInTheSameTransaction(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(
            StoreBatch(
                engineState: [1], engineStateVersion: 1,
                engineParts: [
                    EnginePart(kind: 2, key: [0x61], value: [3]),
                    EnginePart(kind: 1, key: [0x62], value: [2]),
                    EnginePart(kind: 1, key: [0x61], value: [1], due: 5),
                    EnginePart(kind: 1, key: [0x61], value: [4], due: 6),
                ]))
        #expect(try await store.engineParts().first == EnginePart(kind: 1, key: [0x61], value: [4], due: 6))
        try await store.commit(
            StoreBatch(
                engineParts: [
                    EnginePart(kind: 1, key: [0x61], value: [9]),
                    EnginePart(kind: 1, key: [0xFF, 0], value: []),
                ],
                removedEngineParts: [
                    EnginePartKey(kind: 1, key: [0x62]), EnginePartKey(kind: 1, key: [0x61]),
                ]))
        #expect(
            try await store.engineParts() == [
                EnginePart(kind: 1, key: [0x61], value: [9]), EnginePart(kind: 1, key: [0xFF, 0], value: []),
                EnginePart(kind: 2, key: [0x61], value: [3]),
            ])
        #expect(try await store.engineState()?.bytes == [1], "parts leave the stored remainder alone")
        await store.close()
        let reopened = try location.open()
        #expect(try await reopened.engineParts().count == 3)
        await reopened.close()
    }

    /// Paging: the reader finds one part by key, the parts due by a time, counts a kind,
    /// streams keys in order, and sees only what was committed.
    @Test(arguments: StoreKind.allCases)
    func theReaderFindsPartsByKeyAndByDueTimeAndSeesOnlyCommittedParts(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let reader = try store.partReader()
        defer { reader.close() }
        #expect(try reader.value(kind: 3, key: [1]) == nil)
        #expect(try reader.count(kind: 3) == 0)
        try await store.commit(
            StoreBatch(engineParts: [
                EnginePart(kind: 3, key: [1], value: [10], due: 100),
                EnginePart(kind: 3, key: [2], value: [20], due: .max),
                EnginePart(kind: 3, key: [3], value: [30], due: .min),
                EnginePart(kind: 3, key: [4], value: [40], due: nil),
                EnginePart(kind: 4, key: [1], value: [50], due: 50),
            ]))
        #expect(try reader.value(kind: 3, key: [1]) == [10])
        #expect(try reader.value(kind: 4, key: [1]) == [50])
        #expect(try reader.keysDue(kind: 3, through: 99) == [[3]])
        #expect(try reader.keysDue(kind: 3, through: 100) == [[1], [3]])
        #expect(try reader.keysDue(kind: 3, through: .max) == [[1], [2], [3]])
        #expect(try reader.keysDue(kind: 4, through: 100) == [[1]])
        #expect(try reader.count(kind: 3) == 4)
        try await store.commit(
            StoreBatch(
                engineParts: [EnginePart(kind: 3, key: [1], value: [11], due: 500)],
                removedEngineParts: [EnginePartKey(kind: 3, key: [3])]))
        #expect(try reader.keysDue(kind: 3, through: 499) == [])
        #expect(try reader.value(kind: 3, key: [1]) == [11])
        #expect(try reader.value(kind: 3, key: [3]) == nil)
        let startup = try await store.engineParts(kinds: [4], unknownDueKinds: [3])
        #expect(startup.map(\.key) == [[4], [1]] && startup.map(\.kind) == [3, 4])
        #expect(try await store.engineParts(kinds: [], unknownDueKinds: []).isEmpty)
        await store.close()
        reader.close()
        reader.close()
        #expect(throws: StateStoreError.self) { try reader.value(kind: 3, key: [1]) }
        #expect(throws: StateStoreError.self) { try reader.count(kind: 3) }
    }

    /// Paging many records at once: the values of the keys asked for that are stored, of
    /// that kind only, each once however often asked for; committed data only.
    @Test(arguments: StoreKind.allCases)
    func theReaderReadsTheStoredValuesOfManyKeysAtOnce(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let reader = try store.partReader()
        defer { reader.close() }
        #expect(reader.readsManyAtOnce == (kind == .postgresql), "a round trip per read only on a server")
        #expect(try reader.values(kind: 3, keys: [[1], [2]]).isEmpty)
        #expect(try reader.values(kind: 3, keys: []).isEmpty)
        try await store.commit(
            StoreBatch(engineParts: [
                EnginePart(kind: 3, key: [1], value: [10], due: 100),
                EnginePart(kind: 3, key: [2], value: [], due: nil),
                EnginePart(kind: 3, key: [0xFF, 0], value: [30]),
                EnginePart(kind: 4, key: [4], value: [40]),
            ]))
        let found = try reader.values(kind: 3, keys: [[1], [2], [4], [0xFF, 0], [1], [9]])
        #expect(found == [[1]: [10], [2]: [], [0xFF, 0]: [30]], "an empty value is stored, not absent")
        try await store.commit(
            StoreBatch(
                engineParts: [EnginePart(kind: 3, key: [1], value: [11])],
                removedEngineParts: [EnginePartKey(kind: 3, key: [2])]))
        #expect(try reader.values(kind: 3, keys: [[1], [2]]) == [[1]: [11]])
        await store.close()
        reader.close()
        #expect(throws: StateStoreError.self) { try reader.values(kind: 3, keys: [[1]]) }
    }

    @Test(arguments: StoreKind.allCases)
    func forEachKeyStreamsEveryKeyOfAKindInKeyOrder(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        // More keys than one fetch of the PostgreSQL reader's cursor.
        let keys = (0..<2_500).map { index -> [UInt8] in [UInt8(index >> 8), UInt8(index & 0xFF)] }
        try await store.commit(
            StoreBatch(
                engineParts: keys.shuffled().map { EnginePart(kind: 7, key: $0, value: [1]) }
                    + [EnginePart(kind: 8, key: [0], value: [2])]))
        let reader = try store.partReader()
        defer { reader.close() }
        var seen: [[UInt8]] = []
        try reader.forEachKey(kind: 7) { seen.append($0) }
        #expect(seen == keys)
        #expect(try reader.count(kind: 7) == 2_500)
        // A body that throws stops the walk; the reader keeps working.
        struct Stop: Error {}
        var calls = 0
        #expect(throws: Stop.self) {
            try reader.forEachKey(kind: 7) { _ in
                calls += 1
                if calls == 3 { throw Stop() }
            }
        }
        #expect(calls == 3)
        var other: [[UInt8]] = []
        try reader.forEachKey(kind: 8) { other.append($0) }
        #expect(other == [[0]])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aReaderDoesNotSeeABatchThatFailed(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let reader = try store.partReader()
        defer { reader.close() }
        await #expect(throws: StateStoreError.self) {
            try await store.commit(
                StoreBatch(
                    checkpoints: [Fixtures.checkpoint(1, path: "/feeds/a.hl7", offset: -1)],
                    engineParts: [EnginePart(kind: 1, key: [1], value: [1], due: 1)]))
        }
        #expect(try reader.value(kind: 1, key: [1]) == nil)
        #expect(try reader.count(kind: 1) == 0)
        #expect(try reader.keysDue(kind: 1, through: 10).isEmpty)
        await store.close()
    }
}
