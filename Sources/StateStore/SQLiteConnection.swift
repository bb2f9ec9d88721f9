import CSQLite

/// One SQLite connection, used by one owner at a time (SQLite's mutexes are off:
/// `SQLITE_OPEN_NOMUTEX`), through prepared statements with bound parameters.
///
/// The file must exist: the connection never creates it (``StoreFile`` does, with its
/// permissions), and it refuses a symbolic link. It is closed by ``close()`` or `deinit`.
final class SQLiteConnection {
    /// The database file.
    let path: String
    private var handle: OpaquePointer?

    /// Opens the existing database file at `path` for reading and writing.
    ///
    /// - Throws: ``StateStoreError`` when SQLite cannot open it.
    init(path: String) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE
        let result = sqlite3_open_v2(path, &db, flags, nil)
        guard result == SQLITE_OK, let db else {
            let reason =
                db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_close_v2(db)
            throw StateStoreError(
                code: .forSQLite(result), step: "sqlite3_open_v2", file: path, reason: reason,
                sqliteResultCode: result)
        }
        sqlite3_extended_result_codes(db, 1)
        handle = db
    }

    deinit {
        close()
    }

    /// Whether ``close()`` has not been called yet.
    var isOpen: Bool { handle != nil }

    /// Closes the connection (once; later calls do nothing). A transaction left open is
    /// rolled back by SQLite; the last connection to the file checkpoints the WAL.
    func close() {
        if let handle {
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }

    /// Sets how long a statement waits for another connection's lock before failing
    /// with `SQLITE_BUSY`.
    func setBusyTimeout(milliseconds: Int32) throws {
        guard let handle else { throw closedError(step: "sqlite3_busy_timeout") }
        let result = sqlite3_busy_timeout(handle, milliseconds)
        if result != SQLITE_OK { throw error(result, step: "sqlite3_busy_timeout") }
    }

    /// Prepares `sql` (one statement), runs `body` with it and finalizes it, whether
    /// `body` returns or throws.
    func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement = try prepare(sql)
        defer { statement.finalize() }
        return try body(statement)
    }

    /// Runs `sql` once for each of `items` (one prepared statement, reset between runs),
    /// `bind` giving each run its parameters; returns the rows changed in all.
    @discardableResult
    func runEach<Items: Sequence>(
        _ sql: String, over items: Items, bind: (SQLiteStatement, Items.Element) throws -> Void
    ) throws -> Int {
        try withStatement(sql) { statement in
            var changed = 0
            for item in items {
                try bind(statement, item)
                try statement.run()
                changed += changes
                statement.reset()
            }
            return changed
        }
    }

    /// Runs one statement that takes no parameters, discarding any rows.
    func execute(_ sql: String) throws {
        try withStatement(sql) { try $0.run() }
    }

    /// Runs one statement and returns the first column of its first row as an integer
    /// (`nil` when there is no row or the value is NULL).
    func integer(_ sql: String) throws -> Int? {
        try withStatement(sql) { statement in
            guard try statement.step(), !statement.isNull(at: 0) else { return nil }
            return statement.int(at: 0)
        }
    }

    /// Runs one statement and returns the first column of its first row as text.
    func text(_ sql: String) throws -> String? {
        try withStatement(sql) { statement in
            guard try statement.step(), !statement.isNull(at: 0) else { return nil }
            return statement.text(at: 0)
        }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE` ... `COMMIT`); when
    /// anything throws, the transaction is rolled back and the error rethrown.
    func immediateTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            rollBackIfActive()
            throw error
        }
    }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int {
        guard let handle else { return 0 }
        return Int(sqlite3_changes64(handle))
    }

    /// An error for `result` at `step`, with `sqlite3_errmsg` as the reason.
    func error(_ result: Int32, step: String) -> StateStoreError {
        let reason =
            handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
        return StateStoreError(
            code: .forSQLite(result), step: Self.oneLine(step), file: path, reason: reason,
            sqliteResultCode: result)
    }

    /// Prepares `sql` (one statement) to be kept and run again (reset between runs);
    /// the caller finalizes it before closing the connection.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        guard let handle else { throw closedError(step: sql) }
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let result = sql.withCString { text in
            let result = sqlite3_prepare_v3(handle, text, -1, 0, &statement, &tail)
            if result == SQLITE_OK, let tail, tail.pointee != 0,
                !String(cString: tail).allSatisfy({ $0.isWhitespace || $0 == ";" })
            {
                sqlite3_finalize(statement)
                statement = nil
                return SQLITE_MISUSE
            }
            tail = nil  // points into `text`, which is only valid in this closure
            return result
        }
        guard result == SQLITE_OK, let statement else {
            if result == SQLITE_MISUSE || result == SQLITE_OK {
                throw StateStoreError(
                    code: .sqlite, step: Self.oneLine(sql), file: path,
                    reason: "not exactly one SQL statement", sqliteResultCode: SQLITE_MISUSE)
            }
            throw error(result, step: sql)
        }
        return SQLiteStatement(handle: statement, connection: self, sql: sql)
    }

    /// The error for using the connection after ``close()``.
    func closedError(step: String) -> StateStoreError {
        StateStoreError(code: .closed, step: Self.oneLine(step), file: path, reason: "the store is closed")
    }

    /// Rolls back the open transaction, if any (SQLite rolls back by itself on some
    /// errors, such as a full disk); a failing rollback is left to the error being thrown.
    private func rollBackIfActive() {
        guard let handle, sqlite3_get_autocommit(handle) == 0 else { return }
        sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
    }

    /// `sql` on one line, whitespace runs collapsed (for error messages).
    private static func oneLine(_ sql: String) -> String {
        sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
