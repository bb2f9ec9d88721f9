import Foundation
import StateStore
import Testing

@Suite("SQLiteStore schema")
struct SchemaTests {
    @Test func theSchemaVersionAndApplicationIDAreRecorded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await SQLiteStore(directory: directory.path).close()
        let raw = try RawDatabase(path: directory.databasePath)
        #expect(try raw.integer("PRAGMA user_version") == 2)
        #expect(try raw.integer("PRAGMA application_id") == 0x4558_5456)
    }

    @Test func aDatabaseOfANewerSchemaIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await SQLiteStore(directory: directory.path).close()
        try RawDatabase(path: directory.databasePath).execute("PRAGMA user_version = 99")
        let error = #expect(throws: StateStoreError.self) { try SQLiteStore(directory: directory.path) }
        #expect(error?.code == .schemaTooNew)
        #expect(error?.step == "PRAGMA user_version")
    }

    @Test func anotherApplicationsDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try RawDatabase(path: directory.databasePath).execute("CREATE TABLE notes (text TEXT)")
        let error = #expect(throws: StateStoreError.self) { try SQLiteStore(directory: directory.path) }
        #expect(error?.code == .foreignDatabase)
    }

    @Test func aFileThatIsNotADatabaseIsCorrupt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = Array(String(repeating: "MSH|^~\\&|not a database\r", count: 200).utf8)
        #expect(
            FileManager.default.createFile(
                atPath: directory.databasePath, contents: Data(text), attributes: [.posixPermissions: 0o600]))
        let error = #expect(throws: StateStoreError.self) { try SQLiteStore(directory: directory.path) }
        #expect(error?.code == .corrupt)
        #expect(error?.description.contains("file is not a database") == true)
    }
}
