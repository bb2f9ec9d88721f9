/// A state store operation failed.
///
/// It tells what kind of failure it is (``code``), where (``step``: the SQL statement or
/// system call, and ``file``) and why (``reason``: SQLite's `sqlite3_errmsg`, PostgreSQL's
/// message or the C library's `strerror`), with the raw SQLite result code, PostgreSQL
/// SQLSTATE or errno when there is one. Errors name tables and operations, never stored
/// values (the store holds patient data) nor passwords.
public struct StateStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// Where it failed: the SQL statement, the PRAGMA or the system call.
    public var step: String
    /// The database file (or, for file system calls, the file operated on; for PostgreSQL,
    /// the server, database and schema, without password).
    public var file: String
    /// Why it failed, in SQLite's or the C library's words.
    public var reason: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public var sqliteResultCode: Int32?
    /// The errno, when a system call reported the failure.
    public var errno: Int32?
    /// PostgreSQL's SQLSTATE (e.g. `23514`), when a PostgreSQL server reported the failure.
    public var sqlState: String?

    /// Creates an error.
    public init(
        code: Code, step: String, file: String, reason: String, sqliteResultCode: Int32? = nil,
        errno: Int32? = nil, sqlState: String? = nil
    ) {
        self.code = code
        self.step = step
        self.file = file
        self.reason = reason
        self.sqliteResultCode = sqliteResultCode
        self.errno = errno
        self.sqlState = sqlState
    }

    /// One line: `FILE: STEP: REASON (code)`.
    public var description: String {
        var text = "\(file): \(step): \(reason) (\(code)"
        if let sqliteResultCode { text += ", SQLite result code \(sqliteResultCode)" }
        if let errno { text += ", errno \(errno)" }
        if let sqlState { text += ", SQLSTATE \(sqlState)" }
        return text + ")"
    }
}
