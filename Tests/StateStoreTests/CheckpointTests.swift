import StateStore
import Testing

@Suite("Store file checkpoints")
struct CheckpointTests {
    @Test func aNewOffsetReplacesTheOldOneForTheSameIdentity() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(checkpoints: [Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)]))
        try await store.commit(
            StoreBatch(checkpoints: [Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 2048)]))
        #expect(
            try await store.checkpoints() == [Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 2048)])
        await store.close()
    }

    @Test func aRenameUpdatesThePath() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(checkpoints: [Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)]))
        try await store.commit(
            StoreBatch(checkpoints: [Fixtures.checkpoint(7, path: "/feeds/lab.hl7.1", offset: 10)]))
        #expect(
            try await store.checkpoints() == [Fixtures.checkpoint(7, path: "/feeds/lab.hl7.1", offset: 10)])
        await store.close()
    }

    @Test func differentInodesOrDevicesAreDifferentFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        let checkpoints = [
            Fixtures.checkpoint(7, path: "/feeds/a.hl7", offset: 1),
            Fixtures.checkpoint(8, path: "/feeds/b.hl7", offset: 2),
            FileCheckpoint(identity: Fixtures.identity(7, device: 99), path: "/other/c.hl7", offset: 3),
        ]
        try await store.commit(StoreBatch(checkpoints: checkpoints))
        #expect(try await store.checkpoints() == checkpoints)
        await store.close()
    }

    @Test func aNewFingerprintOnTheSameInodeReplacesTheCheckpoint() async throws {
        // Truncate-and-rewrite, or an inode reused by a new file: one file per device and
        // inode exists at a time, so the old checkpoint is replaced, not kept beside it.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(checkpoints: [
                Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 5000, fingerprint: "MSH|old")
            ]))
        let rewritten = Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 120, fingerprint: "MSH|new")
        try await store.commit(StoreBatch(checkpoints: [rewritten]))
        #expect(try await store.checkpoints() == [rewritten])
        await store.close()
    }

    @Test func withinOneBatchTheLastCheckpointForAFileWins() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(checkpoints: [
                Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10),
                Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 20),
            ]))
        #expect(try await store.checkpoints().map(\.offset) == [20])
        await store.close()
    }

    @Test func aRemovedCheckpointWhoseFileGrewSinceItWasStoredIsForgotten() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(checkpoints: [
                FileCheckpoint(
                    identity: Fixtures.identity(7, fingerprint: "MSH|^~"), path: "/feeds/a.hl7", offset: 6)
            ]))
        try await store.commit(
            StoreBatch(removedCheckpoints: [Fixtures.identity(7, fingerprint: "MSH|^~\\&|LAB|")]))
        #expect(try await store.checkpoints().isEmpty)
        await store.close()
    }

    @Test func removedCheckpointsAreForgottenOnlyForTheExactIdentity() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(checkpoints: [
                Fixtures.checkpoint(7, path: "/feeds/lab.hl7.1", offset: 10),
                Fixtures.checkpoint(8, path: "/feeds/lab.hl7", offset: 20),
            ]))
        try await store.commit(
            StoreBatch(removedCheckpoints: [
                Fixtures.identity(7), Fixtures.identity(8, fingerprint: "MSH|other"),
            ]))
        #expect(try await store.checkpoints() == [Fixtures.checkpoint(8, path: "/feeds/lab.hl7", offset: 20)])
        await store.close()
    }

    @Test func aCheckpointRemovedAndStoredInOneBatchIsStored() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        let checkpoint = Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)
        try await store.commit(
            StoreBatch(checkpoints: [checkpoint], removedCheckpoints: [checkpoint.identity]))
        #expect(try await store.checkpoints() == [checkpoint])
        await store.close()
    }

    @Test func theTailIsStoredAndReplacedWithTheOffset() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        var checkpoint = Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)
        checkpoint.tail = Array("before offset 10".utf8)
        try await store.commit(StoreBatch(checkpoints: [checkpoint]))
        #expect(try await store.checkpoints() == [checkpoint])
        checkpoint.offset = 20
        checkpoint.tail = Array("before offset 20".utf8)
        try await store.commit(StoreBatch(checkpoints: [checkpoint]))
        await store.close()
        let reopened = try StoreUnderTest.open(directory.path)
        #expect(try await reopened.checkpoints() == [checkpoint])
        await reopened.close()
    }

    @Test func aTailOverSixtyFourBytesIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        var checkpoint = Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 10)
        checkpoint.tail = Array(repeating: 0x41, count: 65)
        let error = await #expect(throws: StateStoreError.self) {
            try await store.commit(StoreBatch(checkpoints: [checkpoint]))
        }
        #expect(error?.code == .constraint)
        #expect(try await store.checkpoints().isEmpty)
        await store.close()
    }
}
