import PostgresNIO
import StateStore
import Testing

@testable import PostgresStore

/// The PostgreSQL store's schema and connection, from outside the store: a schema of a
/// newer extravasd or of another application is refused, and a connection the server
/// drops is a clear error (never a hang, never `closed`).
@Suite("PostgreSQL store schema and connection")
struct PostgreSQLSchemaTests {
    @Test func aSchemaOfANewerExtravasdIsRefused() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let store = try PostgreSQLStore(settings: settings)
        await store.close()
        let raw = try PostgreSQLConnection.open(settings)
        defer { raw.close() }
        try raw.execute("UPDATE schema_version SET version = 99")
        let error = #expect(throws: StateStoreError.self) { try PostgreSQLStore(settings: settings) }
        #expect(error?.code == .schemaTooNew)
        #expect(error?.reason == "schema version 99 is newer than this extravasd's (4)")
    }

    @Test func aSchemaHoldingOtherTablesIsRefusedAndLeftAlone() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let raw = try PostgreSQLConnection.open(settings)
        defer { raw.close() }
        try raw.execute("CREATE TABLE patients (id bigint)")
        let error = #expect(throws: StateStoreError.self) { try PostgreSQLStore(settings: settings) }
        #expect(error?.code == .foreignDatabase)
        let tables = try raw.firstRow(
            "SELECT count(*)::bigint FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
        ) { try $0.decode(Int64.self) }
        #expect(tables == 1, "nothing created beside it")
    }

    @Test func aConnectionTheServerDropsIsACannotConnectError() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let store = try PostgreSQLStore(settings: settings)
        try await store.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        let raw = try PostgreSQLConnection.open(settings)
        defer { raw.close() }
        let terminated = try raw.firstRow(
            """
            SELECT count(pg_terminate_backend(pid))::bigint FROM pg_stat_activity
            WHERE application_name = \("extravasd/" + settings.schema) AND pid <> pg_backend_pid()
            """
        ) { try $0.decode(Int64.self) }
        #expect(terminated == 1)
        // The termination reaches the store's connection asynchronously: the next calls fail.
        var lastError: StateStoreError?
        for _ in 0..<50 where lastError == nil {
            do {
                try await store.ping()
                try await Task.sleep(for: .milliseconds(20))
            } catch let error as StateStoreError {
                lastError = error
            }
        }
        #expect(lastError?.code == .cannotConnect, "\(String(describing: lastError))")
        #expect(lastError?.file == settings.displayName)
        await store.close()
        let reopened = try PostgreSQLStore(settings: settings)
        #expect(try await reopened.undeliveredAlerts() == [Fixtures.alert("a")])
        await reopened.close()
    }

    @Test func aPartReaderDoesNotSeeATransactionInProgress() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let store = try PostgreSQLStore(settings: settings)
        let reader = try store.partReader()
        defer { reader.close() }
        let writer = try PostgreSQLConnection.open(settings)
        defer { writer.close() }
        try writer.execute("BEGIN")
        try writer.execute(
            "INSERT INTO engine_part (kind, key, value, due) VALUES (5, '\\x01'::bytea, '\\x02'::bytea, 10)")
        #expect(try reader.value(kind: 5, key: [1]) == nil)
        #expect(try reader.count(kind: 5) == 0)
        #expect(try reader.keysDue(kind: 5, through: 10).isEmpty)
        var keys: [[UInt8]] = []
        try reader.forEachKey(kind: 5) { keys.append($0) }
        #expect(keys.isEmpty)
        try writer.execute("COMMIT")
        #expect(try reader.value(kind: 5, key: [1]) == [2])
        #expect(try reader.keysDue(kind: 5, through: 10) == [[1]])
        #expect(try await store.engineParts() == [EnginePart(kind: 5, key: [1], value: [2], due: 10)])
        await store.close()
    }
}
