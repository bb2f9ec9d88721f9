import CSQLite

/// One prepared statement of a ``SQLiteConnection``: parameters bound by index (from 1),
/// stepped, read by column (from 0), finalized exactly once.
///
/// Use it through ``SQLiteConnection/withStatement(_:_:)``, which finalizes it however
/// the body ends; `deinit` finalizes as a last resort.
final class SQLiteStatement {
    private var handle: OpaquePointer?
    private let connection: SQLiteConnection
    /// The SQL text, named in errors.
    let sql: String

    init(handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit {
        finalize()
    }

    /// Finalizes the statement (once; later calls do nothing).
    func finalize() {
        if let handle {
            sqlite3_finalize(handle)
            self.handle = nil
        }
    }

    /// Binds a 64-bit integer to parameter `index`.
    func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds an integer to parameter `index`.
    func bind(_ value: Int, at index: Int32) throws {
        try bind(Int64(value), at: index)
    }

    /// Binds the bit pattern of an unsigned 64-bit integer (SQLite integers are signed;
    /// ``uint64(at:)`` reads it back unchanged).
    func bind(_ value: UInt64, at index: Int32) throws {
        try bind(Int64(bitPattern: value), at: index)
    }

    /// Binds SQL NULL to parameter `index`.
    func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds UTF-8 text to parameter `index` (copied by SQLite).
    func bind(_ value: String, at index: Int32) throws {
        // withCString gives a non-NULL pointer even for "" (a NULL pointer would bind SQL
        // NULL); the explicit length keeps any embedded NUL.
        let count = sqlite3_uint64(value.utf8.count)
        try value.withCString { text in
            try check(sqlite3_bind_text64(handle, index, text, count, Self.transient, UInt8(SQLITE_UTF8)))
        }
    }

    /// Binds a blob to parameter `index` (copied by SQLite); an empty array binds an
    /// empty blob, not NULL.
    func bind(_ bytes: [UInt8], at index: Int32) throws {
        if bytes.isEmpty {
            try check(sqlite3_bind_zeroblob(handle, index, 0))
            return
        }
        try bytes.withUnsafeBytes { buffer in
            try check(
                sqlite3_bind_blob64(
                    handle, index, buffer.baseAddress, sqlite3_uint64(buffer.count), Self.transient))
        }
    }

    /// Runs the statement one step: `true` when a row is ready to read, `false` when done.
    @discardableResult
    func step() throws -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(result, step: sql)
        }
    }

    /// Steps until done (for statements without rows, or whose rows are not needed).
    func run() throws {
        while try step() {}
    }

    /// Rewinds the statement and clears its bindings, to run it again with new values.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Whether column `index` of the current row is NULL.
    func isNull(at index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    /// Column `index` of the current row as a 64-bit integer.
    func int64(at index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// Column `index` of the current row as an integer.
    func int(at index: Int32) -> Int {
        Int(truncatingIfNeeded: int64(at: index))
    }

    /// Column `index` of the current row as an unsigned integer bound with `bind(UInt64)`.
    func uint64(at index: Int32) -> UInt64 {
        UInt64(bitPattern: int64(at: index))
    }

    /// Column `index` of the current row as text (invalid UTF-8 repaired).
    func text(at index: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` of the current row as bytes (NULL reads as empty).
    func blob(at index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private func check(_ result: Int32) throws {
        if result != SQLITE_OK { throw connection.error(result, step: sql) }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound value before the bind call returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }
}
