import StateStore
import Testing

@Suite("Store engine state parts")
struct EnginePartTests {
    @Test func partsAreUpsertedByKindAndKeyAndRemovedInTheSameTransaction() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(
                engineState: [1], engineStateVersion: 1,
                engineParts: [
                    EnginePart(kind: 1, key: [0x61], value: [1]),
                    EnginePart(kind: 1, key: [0x62], value: [2]),
                    EnginePart(kind: 2, key: [0x61], value: [3]),
                ]))
        // Same kind and key: replaced; another kind with the same key: its own part.
        try await store.commit(
            StoreBatch(
                engineParts: [EnginePart(kind: 1, key: [0x61], value: [9])],
                removedEngineParts: [EnginePartKey(kind: 1, key: [0x62])]))
        #expect(
            try await store.engineParts() == [
                EnginePart(kind: 1, key: [0x61], value: [9]), EnginePart(kind: 2, key: [0x61], value: [3]),
            ])
        #expect(try await store.engineState()?.bytes == [1], "parts leave the stored remainder alone")
        await store.close()
        // Committed means durable: a new connection reads the same parts.
        let reopened = try StoreUnderTest.open(directory.path)
        #expect(try await reopened.engineParts().count == 2)
        await reopened.close()
    }

    @Test func aVersionTwoDatabaseIsMigratedKeepingItsState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(StoreBatch(engineState: [7, 7], engineStateVersion: 1))
        await store.close()
        // Make it a version 2 database (before engine_part existed, and on-call review).
        let raw = try RawDatabase(path: directory.databasePath)
        try raw.execute("DROP TABLE engine_part")
        try SchemaTests.undoVersionFive(raw)
        try raw.execute("PRAGMA user_version = 2")
        let migrated = try StoreUnderTest.open(directory.path)
        #expect(try await migrated.engineState()?.bytes == [7, 7])
        #expect(try await migrated.engineParts().isEmpty)
        try await migrated.commit(StoreBatch(engineParts: [EnginePart(kind: 1, key: [1], value: [1])]))
        #expect(try await migrated.engineParts().count == 1)
        await migrated.close()
        #expect(try RawDatabase(path: directory.databasePath).integer("PRAGMA user_version") == 6)
    }

    /// Paging: the reader finds one part by key, the parts due by a time through the
    /// index, counts a kind, and sees only what was committed.
    @Test func theReaderFindsPartsByKeyAndByDueTimeAndSeesOnlyCommittedParts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        let reader = try store.partReader()
        defer { reader.close() }
        #expect(try reader.value(kind: 3, key: [1]) == nil)
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
        #expect(try reader.keysDue(kind: 4, through: 100) == [[1]])
        #expect(try reader.count(kind: 3) == 4)
        // A new due time replaces the old one; a removed part is gone for the reader.
        try await store.commit(
            StoreBatch(
                engineParts: [EnginePart(kind: 3, key: [1], value: [11], due: 500)],
                removedEngineParts: [EnginePartKey(kind: 3, key: [3])]))
        #expect(try reader.keysDue(kind: 3, through: 499) == [])
        #expect(try reader.value(kind: 3, key: [1]) == [11])
        #expect(try reader.value(kind: 3, key: [3]) == nil)
        // Start-up reads only the kinds asked for and parts with no due time.
        let startup = try await store.engineParts(kinds: [4], unknownDueKinds: [3])
        #expect(startup.map(\.key) == [[4], [1]] && startup.map(\.kind) == [3, 4])
        await store.close()
        reader.close()
        #expect(throws: StateStoreError.self) { try reader.value(kind: 3, key: [1]) }
    }
}
