import Foundation
import PostgresStore
import StateStore
import Testing

/// What only the PostgreSQL store has: its settings (URL, password file, schema name), the
/// versioned schema created at open and reopened, and clear errors for a server that
/// cannot be reached or refuses the login (never quoting the password).
@Suite("PostgreSQL store")
struct PostgreSQLStoreTests {
    @Test func aURLGivesUserHostPortAndDatabase() throws {
        let settings = try PostgreSQLStoreSettings(url: "postgresql://extravasd@db.example:6432/state")
        #expect(settings.user == "extravasd")
        #expect(settings.host == "db.example")
        #expect(settings.port == 6432)
        #expect(settings.database == "state")
        #expect(settings.tls == .require)
        #expect(settings.schema == "extravasd")
        let v6 = try PostgreSQLStoreSettings(url: "postgresql://a%40b@[::1]/d", tls: .disable, schema: "s_1")
        #expect(v6.user == "a@b" && v6.host == "::1" && v6.port == 5432 && v6.database == "d")
        #expect(v6.displayName == "postgresql://a@b@[::1]:5432/d (schema s_1)")
    }

    @Test(arguments: [
        ("postgres://u@h/d", "must begin with postgresql://"),
        ("postgresql://u:secret@h/d", "must not hold a password"),
        ("postgresql://h/d", "names no user"),
        ("postgresql://u@h", "names no database"),
        ("postgresql://u@h:0/d", "port must be a number"),
        ("postgresql://u@h/d?sslmode=disable", "no query"),
    ])
    func aBadURLIsRefusedSayingWhy(url: String, reason: String) throws {
        let error = #expect(throws: StateStoreError.self) { try PostgreSQLStoreSettings(url: url) }
        #expect(error?.code == .setting)
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("secret") == false)
    }

    @Test func aSchemaNameMustBeAPlainIdentifier() {
        for name in ["", "Upper", "1abc", "pg_catalog", "a-b", "a\"b", String(repeating: "a", count: 64)] {
            #expect(throws: StateStoreError.self) {
                try PostgreSQLStoreSettings(url: "postgresql://u@h/d", schema: name)
            }
        }
        #expect(PostgreSQLStoreSettings.isValidSchemaName("extravasd_test_1"))
    }

    @Test func anUnreachableServerIsACannotConnectErrorNamingTheServer() throws {
        // Port 1 on the loopback address: nothing listens there.
        let settings = try PostgreSQLStoreSettings(
            url: "postgresql://extravasd@127.0.0.1:1/extravasd", tls: .disable, schema: "unreachable")
        let error = #expect(throws: StateStoreError.self) { try PostgreSQLStore(settings: settings) }
        #expect(error?.code == .cannotConnect)
        #expect(error?.step == "connect")
        #expect(error?.file == "postgresql://extravasd@127.0.0.1:1/extravasd (schema unreachable)")
        #expect(error?.reason.contains("cannot connect") == true, "\(String(describing: error))")
    }

    @Test func anUnreadablePasswordFileIsAFileSystemError() throws {
        let settings = try PostgreSQLStoreSettings(
            url: "postgresql://extravasd@127.0.0.1:1/extravasd", passwordFile: "/nonexistent/pgpass",
            tls: .disable)
        let error = #expect(throws: StateStoreError.self) { try PostgreSQLStore(settings: settings) }
        #expect(error?.code == .fileSystem)
        #expect(error?.file == "/nonexistent/pgpass")
        #expect(error?.step.contains("store.password_file") == true)
    }

    @Test func aWrongPasswordIsACannotConnectErrorThatDoesNotQuoteIt() throws {
        var settings = try TestServer.freshSettings()
        guard settings.passwordFile != nil else {
            try Test.cancel(
                "EXTRAVASD_TEST_POSTGRESQL_PASSWORD_FILE is not set: the server may not ask for one")
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wrong = directory.path + "/pgpass"
        try "not-the-password-4711\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        settings.passwordFile = wrong
        let error = #expect(throws: StateStoreError.self) { try PostgreSQLStore(settings: settings) }
        #expect(error?.code == .cannotConnect)
        #expect(error?.sqlState == "28P01", "\(String(describing: error))")
        #expect(error?.description.contains("4711") == false)
    }

    @Test func theSchemaIsCreatedVersionedAndReopened() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let store = try PostgreSQLStore(settings: settings)
        #expect(try await store.schemaVersion() == 4)
        try await store.commit(StoreBatch(engineState: [1], engineStateVersion: 1))
        // A second store on the same schema while the first is open: no migration again.
        let second = try PostgreSQLStore(settings: settings)
        #expect(try await second.schemaVersion() == 4)
        #expect(try await second.engineState()?.bytes == [1])
        await second.close()
        await store.close()
        let reopened = try PostgreSQLStore(settings: settings)
        #expect(try await reopened.schemaVersion() == 4)
        #expect(try await reopened.engineState()?.bytes == [1])
        await reopened.close()
    }

    @Test func storesInTwoSchemasOfOneDatabaseAreSeparate() async throws {
        let first = try TestServer.freshSettings()
        let second = try TestServer.freshSettings()
        defer {
            try? PostgreSQLStore.dropSchema(settings: first)
            try? PostgreSQLStore.dropSchema(settings: second)
        }
        let one = try PostgreSQLStore(settings: first)
        let other = try PostgreSQLStore(settings: second)
        try await one.commit(StoreBatch(outbox: [Fixtures.alert("a")]))
        #expect(try await other.undeliveredAlerts().isEmpty)
        await one.close()
        await other.close()
    }

    @Test func openingTheSameNewSchemaTwiceAtOnceMigratesItOnce() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        // The schema does not exist yet: four stores create and migrate it at once.
        let stores = try await withThrowingTaskGroup(of: PostgreSQLStore.self) { group in
            for _ in 0..<4 {
                group.addTask { try await Task.detached { try PostgreSQLStore(settings: settings) }.value }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for store in stores {
            #expect(try await store.schemaVersion() == 4)
            await store.close()
        }
    }
}
