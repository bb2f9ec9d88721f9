import Foundation
import StateStore
import Testing

@Suite("SQLiteStore file permissions")
struct FilePermissionsTests {
    @Test func databaseAndWALAndSHMFilesAreMode0600() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        #expect(TemporaryDirectory.mode(of: directory.databasePath) == 0o600)
        // WAL mode and the schema transaction create both companions while the store is open.
        #expect(TemporaryDirectory.mode(of: directory.databasePath + "-wal") == 0o600)
        #expect(TemporaryDirectory.mode(of: directory.databasePath + "-shm") == 0o600)

        try await store.commit(StoreBatch(engineState: Fixtures.bytes(count: 100_000), engineStateVersion: 1))
        #expect(TemporaryDirectory.mode(of: directory.databasePath) == 0o600)
        #expect(TemporaryDirectory.mode(of: directory.databasePath + "-wal") == 0o600)
        #expect(TemporaryDirectory.mode(of: directory.databasePath + "-shm") == 0o600)
        await store.close()
        #expect(TemporaryDirectory.mode(of: directory.databasePath) == 0o600)
    }

    @Test func anExistingDatabaseAndCompanionsAreTightenedTo0600() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try SQLiteStore(directory: directory.path)
        try await first.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        // Copy the files as they are while the store is open (as after a crash), in a
        // child process so that no descriptor of this process touches SQLite's locks.
        let copy = try TemporaryDirectory()
        defer { copy.remove() }
        try copyFiles(
            [directory.databasePath, directory.databasePath + "-wal"], to: copy.path)
        await first.close()
        #expect(chmod(copy.databasePath, 0o644) == 0)
        #expect(chmod(copy.databasePath + "-wal", 0o666) == 0)

        let second = try SQLiteStore(directory: copy.path)
        #expect(TemporaryDirectory.mode(of: copy.databasePath) == 0o600)
        #expect(TemporaryDirectory.mode(of: copy.databasePath + "-wal") == 0o600)
        #expect(TemporaryDirectory.mode(of: copy.databasePath + "-shm") == 0o600)
        #expect(try await second.undeliveredAlerts() == [Fixtures.alert("a")])
        await second.close()
    }

    @Test func aSymbolicLinkInPlaceOfTheDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.path + "/elsewhere.sqlite"
        #expect(FileManager.default.createFile(atPath: target, contents: Data()))
        #expect(symlink(target, directory.databasePath) == 0)
        let error = #expect(throws: StateStoreError.self) { try SQLiteStore(directory: directory.path) }
        #expect(error?.code == .notARegularFile)
        #expect(error?.file == directory.databasePath)
    }
}

/// Copies files with `/bin/cp` in a child process.
func copyFiles(_ paths: [String], to directory: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/cp")
    process.arguments = paths + [directory]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
}
