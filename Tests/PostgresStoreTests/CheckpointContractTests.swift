import StateStore
import Testing

/// ``StoreBatch/checkpoints`` and ``StoreBatch/removedCheckpoints`` on both stores:
/// replacement by device and inode, the last of a batch winning, removal only when the
/// stored fingerprint is a prefix of the given one, the tail, the length limits.
@Suite("Store contract: file checkpoints")
struct CheckpointContractTests {
    @Test(arguments: StoreKind.allCases)
    func aNewOffsetPathOrFingerprintReplacesTheCheckpointOfTheSameDeviceAndInode(kind: StoreKind) async throws
    {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(
            StoreBatch(checkpoints: [Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)]))
        try await store.commit(
            StoreBatch(checkpoints: [Fixtures.checkpoint(7, path: "/feeds/lab.hl7.1", offset: 2048)]))
        #expect(
            try await store.checkpoints() == [Fixtures.checkpoint(7, path: "/feeds/lab.hl7.1", offset: 2048)])
        let rewritten = Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 120, fingerprint: "MSH|new")
        try await store.commit(StoreBatch(checkpoints: [rewritten]))
        #expect(try await store.checkpoints() == [rewritten])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func differentInodesOrDevicesAreDifferentFilesOrderedByPath(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let checkpoints = [
            Fixtures.checkpoint(8, path: "/feeds/b.hl7", offset: 2),
            FileCheckpoint(identity: Fixtures.identity(7, device: 99), path: "/other/c.hl7", offset: 3),
            Fixtures.checkpoint(7, path: "/feeds/a.hl7", offset: 1),
            Fixtures.checkpoint(9, path: "/feeds/B.hl7", offset: 4),
            Fixtures.checkpoint(10, path: "/feeds/_x.hl7", offset: 5),
        ]
        try await store.commit(StoreBatch(checkpoints: checkpoints))
        // Byte order of the path (upper case before `_` before lower case), as SQLite's.
        #expect(
            try await store.checkpoints().map(\.path) == [
                "/feeds/B.hl7", "/feeds/_x.hl7", "/feeds/a.hl7", "/feeds/b.hl7", "/other/c.hl7",
            ])
        #expect(Set(try await store.checkpoints()) == Set(checkpoints))
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func withinOneBatchTheLastCheckpointForAFileWins(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(
            StoreBatch(checkpoints: [
                Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10),
                Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 20),
            ]))
        #expect(try await store.checkpoints().map(\.offset) == [20])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aRemovedCheckpointIsForgottenWhenItsFingerprintIsAPrefixOnly(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(
            StoreBatch(checkpoints: [
                FileCheckpoint(
                    identity: Fixtures.identity(7, fingerprint: "MSH|^~"), path: "/feeds/a.hl7", offset: 6),
                Fixtures.checkpoint(8, path: "/feeds/lab.hl7", offset: 20),
                Fixtures.checkpoint(9, path: "/feeds/lab.hl7.1", offset: 30),
            ]))
        try await store.commit(
            StoreBatch(removedCheckpoints: [
                // The file grew since it was stored: its stored fingerprint is a prefix.
                Fixtures.identity(7, fingerprint: "MSH|^~\\&|LAB|"),
                // Other content on the inode: kept.
                Fixtures.identity(8, fingerprint: "MSH|other"),
                // The exact identity: forgotten.
                Fixtures.identity(9),
                // Another device: nothing.
                Fixtures.identity(8, device: 1),
            ]))
        #expect(try await store.checkpoints() == [Fixtures.checkpoint(8, path: "/feeds/lab.hl7", offset: 20)])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aCheckpointRemovedAndStoredInOneBatchIsStored(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let checkpoint = Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)
        try await store.commit(
            StoreBatch(checkpoints: [checkpoint], removedCheckpoints: [checkpoint.identity]))
        #expect(try await store.checkpoints() == [checkpoint])
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func theTailIsStoredAndReplacedWithTheOffset(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        var checkpoint = Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)
        checkpoint.tail = Array("before offset 10".utf8)
        try await store.commit(StoreBatch(checkpoints: [checkpoint]))
        #expect(try await store.checkpoints() == [checkpoint])
        checkpoint.offset = 20
        checkpoint.tail = Array("before offset 20".utf8)
        try await store.commit(StoreBatch(checkpoints: [checkpoint]))
        await store.close()
        let reopened = try location.open()
        #expect(try await reopened.checkpoints() == [checkpoint])
        await reopened.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aTailOrFingerprintOverSixtyFourBytesOrANegativeOffsetIsRefused(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        var longTail = Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)
        longTail.tail = Array(repeating: 0x41, count: 65)
        let longFingerprint = FileCheckpoint(
            identity: FileIdentity(device: 1, inode: 5, fingerprint: Array(repeating: 0x41, count: 65)),
            path: "/feeds/x.hl7", offset: 0)
        let negative = Fixtures.checkpoint(8, path: "/feeds/adt.hl7", offset: -1)
        for refused in [longTail, longFingerprint, negative] {
            let error = await #expect(throws: StateStoreError.self) {
                try await store.commit(StoreBatch(checkpoints: [refused]))
            }
            #expect(error?.code == .constraint)
            #expect(error?.step.hasPrefix("INSERT INTO file_checkpoint") == true)
            // Errors name tables and statements, never stored values (PHI).
            #expect(error?.description.contains(refused.path) == false)
            #expect(error?.description.contains("AAAA") == false)
        }
        var exactly64 = Fixtures.checkpoint(9, path: "/feeds/ok.hl7", offset: 0)
        exactly64.tail = Array(repeating: 0x42, count: 64)
        exactly64.identity.fingerprint = Array(repeating: 0x43, count: 64)
        try await store.commit(StoreBatch(checkpoints: [exactly64]))
        #expect(try await store.checkpoints() == [exactly64])
        await store.close()
    }
}
