import Foundation
import PostgresStore
import StateStore
import Testing

/// The implementations the contract suites run against: every case runs once per kind.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// ``SQLiteStore`` in a fresh temporary directory (always runs).
    case sqlite
    /// ``PostgreSQLStore`` in a fresh schema of the server named by
    /// `EXTRAVASD_TEST_POSTGRESQL_URL` (cancelled, with the reason, when none is set or it
    /// cannot be reached).
    case postgresql

    var testDescription: String { rawValue }
}

/// The PostgreSQL server of the tests: `EXTRAVASD_TEST_POSTGRESQL_URL`
/// (`postgresql://USER@HOST:PORT/DB`), `EXTRAVASD_TEST_POSTGRESQL_PASSWORD_FILE`
/// (optional), `EXTRAVASD_TEST_POSTGRESQL_TLS` (`disable` or `require`; default `disable`).
enum TestServer {
    /// Why the PostgreSQL cases cannot run, or `nil` when they can.
    static let unavailableReason: String? = {
        guard let settings = try? settings(schema: "extravasd_probe") else {
            return "EXTRAVASD_TEST_POSTGRESQL_URL is not set (or not a postgresql:// URL): "
                + "the PostgreSQL cases are skipped"
        }
        do {
            try PostgreSQLStore.dropSchema(settings: settings)
            return nil
        } catch let error as StateStoreError where error.code == .cannotConnect && error.sqlState == nil {
            return "the PostgreSQL server \(settings.displayName) cannot be reached (\(error.reason)): "
                + "the PostgreSQL cases are skipped"
        } catch {
            // A server that answers but refuses (wrong password, no database): the cases
            // run and fail with the error.
            return nil
        }
    }()

    /// The settings of the test server with `schema`.
    ///
    /// - Throws: when the environment names no server.
    static func settings(schema: String) throws -> PostgreSQLStoreSettings {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["EXTRAVASD_TEST_POSTGRESQL_URL"], !url.isEmpty else {
            throw StateStoreError(
                code: .setting, step: "EXTRAVASD_TEST_POSTGRESQL_URL", file: "environment", reason: "not set")
        }
        let passwordFile = environment["EXTRAVASD_TEST_POSTGRESQL_PASSWORD_FILE"].flatMap {
            $0.isEmpty ? nil : $0
        }
        let tls =
            environment["EXTRAVASD_TEST_POSTGRESQL_TLS"].flatMap(PostgreSQLStoreSettings.TLS.init) ?? .disable
        return try PostgreSQLStoreSettings(url: url, passwordFile: passwordFile, tls: tls, schema: schema)
    }

    /// Settings of a schema no other test uses.
    static func freshSettings() throws -> PostgreSQLStoreSettings {
        if let unavailableReason {
            // The console shows a cancelled test case as passed: say it here as well.
            let name = Test.current?.name ?? "a test"
            FileHandle.standardError.write(
                Data("PostgresStoreTests: \(name) skipped on PostgreSQL: \(unavailableReason)\n".utf8))
            try Test.cancel(Comment(rawValue: unavailableReason))
        }
        let suffix = UInt64.random(in: 0...UInt64.max)
        return try settings(schema: "extravasd_test_" + String(suffix, radix: 36))
    }
}

/// Where one test's store lives (a temporary directory, or a fresh schema), opened and
/// reopened through ``SurveillanceStore`` only, and removed by ``remove()``.
struct StoreLocation: Sendable {
    let kind: StoreKind
    private let directory: TemporaryDirectory?
    let settings: PostgreSQLStoreSettings?

    /// A fresh place for a store of `kind` (cancels the test case when it is PostgreSQL
    /// and no server is available).
    init(_ kind: StoreKind) throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            directory = try TemporaryDirectory()
            settings = nil
        case .postgresql:
            directory = nil
            settings = try TestServer.freshSettings()
        }
    }

    /// Opens (or reopens) the store.
    func open(deliveredRetention: Int? = nil) throws -> any SurveillanceStore {
        switch kind {
        case .sqlite:
            return try SQLiteStore(
                directory: directory!.path,
                deliveredRetention: deliveredRetention ?? SQLiteStore.defaultDeliveredRetention)
        case .postgresql:
            return try PostgreSQLStore(
                settings: settings!,
                deliveredRetention: deliveredRetention ?? PostgreSQLStore.defaultDeliveredRetention)
        }
    }

    /// Removes the directory or drops the schema.
    func remove() {
        directory?.remove()
        if let settings { try? PostgreSQLStore.dropSchema(settings: settings) }
    }
}

/// Shows in the test run whether the PostgreSQL cases run: skipped, with the reason, when
/// no server is configured or reachable.
@Suite("PostgreSQL test server")
struct TestServerTests {
    @Test(
        "the PostgreSQL cases run against a server",
        .enabled(
            Comment(rawValue: TestServer.unavailableReason ?? "a server is available"),
            { TestServer.unavailableReason == nil }))
    func theServerIsAvailable() throws {
        let settings = try TestServer.freshSettings()
        #expect(!settings.host.isEmpty)
    }
}
