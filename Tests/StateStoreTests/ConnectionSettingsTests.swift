import Foundation
import StateStore
import Testing

@Suite("SQLiteStore connection settings")
struct ConnectionSettingsTests {
    @Test func synchronousIsFullAndJournalModeIsWALAfterOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        #expect(try await store.synchronousMode() == 2)
        #expect(try await store.journalMode() == "wal")
        await store.close()
    }

    @Test func synchronousIsFullAndJournalModeIsWALAfterReopeningAnExistingDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try SQLiteStore(directory: directory.path)
        try await first.commit(StoreBatch(engineState: [1], engineStateVersion: 1))
        await first.close()

        let second = try SQLiteStore(directory: directory.path)
        #expect(try await second.synchronousMode() == 2)
        #expect(try await second.journalMode() == "wal")
        await second.close()
    }

    @Test func theFileStaysInWALModeForOtherConnections() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        await store.close()
        // WAL mode is persistent: it is recorded in the file itself.
        let raw = try RawDatabase(path: directory.databasePath)
        #expect(try raw.integer("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1)
    }

    @Test func trailingSlashesOfTheDirectoryAreIgnored() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path + "//")
        #expect(store.path == directory.databasePath)
        await store.close()
    }

    @Test func aMissingDirectoryIsAFileSystemError() throws {
        let error = #expect(throws: StateStoreError.self) {
            try SQLiteStore(directory: "/nonexistent/extravasd-state")
        }
        #expect(error?.code == .fileSystem)
        #expect(error?.file == "/nonexistent/extravasd-state/extravasd.sqlite")
        #expect(error?.errno == ENOENT)
    }

    @Test func usingAClosedStoreThrowsClosed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        await store.close()
        await store.close()  // twice is fine
        let read = await #expect(throws: StateStoreError.self) { try await store.checkpoints() }
        #expect(read?.code == .closed)
        let write = await #expect(throws: StateStoreError.self) {
            try await store.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        }
        #expect(write?.code == .closed)
        let empty = await #expect(throws: StateStoreError.self) { try await store.commit(StoreBatch()) }
        #expect(empty?.code == .closed)
    }
}
