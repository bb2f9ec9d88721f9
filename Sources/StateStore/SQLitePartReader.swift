import Synchronization

/// An ``EnginePartReader`` on a connection of its own to the store's file that only
/// reads (WAL mode lets it read while the store's connection writes; it sees committed
/// transactions only). Its statements are prepared once and kept; a lock serializes
/// calls.
final class SQLitePartReader: EnginePartReader {
    /// The connection and its statements, used only under the lock (hence unchecked).
    private struct Statements: @unchecked Sendable {
        var connection: SQLiteConnection
        var value: SQLiteStatement
        var due: SQLiteStatement
        var count: SQLiteStatement
        var keys: SQLiteStatement
        var closed = false
    }

    private let guarded: Mutex<Statements>

    /// Opens `path` (an existing store file) for reading. The connection is opened for
    /// reading and writing but made `query_only`: a read-only connection to a WAL
    /// database cannot recover a WAL left by a crash and fails instead (SQLITE_READONLY_RECOVERY).
    convenience init(path: String) throws {
        let connection = try SQLiteConnection(path: path)
        try connection.setBusyTimeout(milliseconds: SQLiteStore.busyTimeoutMilliseconds)
        try connection.execute("PRAGMA query_only = 1")
        try self.init(connection: connection)
    }

    /// A reader on `connection`, which it owns from now on (and closes).
    init(connection: SQLiteConnection) throws {
        let statements = Statements(
            connection: connection,
            value: try connection.prepare("SELECT value FROM engine_part WHERE kind = ?1 AND key = ?2"),
            due: try connection.prepare(
                "SELECT key FROM engine_part WHERE kind = ?1 AND due IS NOT NULL AND due <= ?2 ORDER BY key"),
            count: try connection.prepare("SELECT count(*) FROM engine_part WHERE kind = ?1"),
            keys: try connection.prepare("SELECT key FROM engine_part WHERE kind = ?1 ORDER BY key"))
        guarded = Mutex(statements)
    }

    deinit { close() }

    func value(kind: Int, key: [UInt8]) throws -> [UInt8]? {
        try guarded.withLock { statements in
            let statement = try Self.open(statements, statements.value)
            defer { statement.reset() }
            try statement.bind(kind, at: 1)
            try statement.bind(key, at: 2)
            return try statement.step() ? statement.blob(at: 0) : nil
        }
    }

    func keysDue(kind: Int, through time: Int64) throws -> [[UInt8]] {
        try guarded.withLock { statements in
            let statement = try Self.open(statements, statements.due)
            defer { statement.reset() }
            try statement.bind(kind, at: 1)
            try statement.bind(time, at: 2)
            var keys: [[UInt8]] = []
            while try statement.step() { keys.append(statement.blob(at: 0)) }
            return keys
        }
    }

    func forEachKey(kind: Int, _ body: ([UInt8]) throws -> Void) throws {
        try guarded.withLock { statements in
            let statement = try Self.open(statements, statements.keys)
            defer { statement.reset() }
            try statement.bind(kind, at: 1)
            while try statement.step() { try body(statement.blob(at: 0)) }
        }
    }

    func count(kind: Int) throws -> Int {
        try guarded.withLock { statements in
            let statement = try Self.open(statements, statements.count)
            defer { statement.reset() }
            try statement.bind(kind, at: 1)
            return try statement.step() ? statement.int(at: 0) : 0
        }
    }

    func close() {
        guarded.withLock { statements in
            guard !statements.closed else { return }
            statements.closed = true
            statements.value.finalize()
            statements.due.finalize()
            statements.count.finalize()
            statements.keys.finalize()
            statements.connection.close()
        }
    }

    /// Runs `body` with the connection, under the reader's lock (other work of the
    /// connection's owner: ``SQLitePartFile`` writes).
    func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try guarded.withLock { statements in
            guard !statements.closed else { throw statements.connection.closedError(step: "engine parts") }
            return try body(statements.connection)
        }
    }

    private static func open(_ statements: Statements, _ statement: SQLiteStatement) throws -> SQLiteStatement
    {
        guard !statements.closed else { throw statements.connection.closedError(step: statement.sql) }
        return statement
    }
}
