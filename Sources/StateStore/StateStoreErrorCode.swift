import CSQLite

extension StateStoreError {
    /// The kind of a ``StateStoreError``: an extensible set of names (new kinds may be
    /// added without breaking callers that switch with a `default`).
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The name, e.g. `"diskFull"`.
        public var rawValue: String

        /// A code with the given name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The name.
        public var description: String { rawValue }

        /// A system call on the database file or its directory failed (create, stat, chmod).
        public static let fileSystem = Code(rawValue: "fileSystem")
        /// The database file is not a regular file (a symbolic link, a directory, ...).
        public static let notARegularFile = Code(rawValue: "notARegularFile")
        /// SQLite could not open the database file.
        public static let cannotOpen = Code(rawValue: "cannotOpen")
        /// A connection setting did not take effect (WAL journal mode, `synchronous=FULL`,
        /// foreign keys): the store refuses to run with weaker durability.
        public static let setting = Code(rawValue: "setting")
        /// The database was written by a newer extravasd (its schema version is unknown).
        public static let schemaTooNew = Code(rawValue: "schemaTooNew")
        /// The file is an SQLite database of some other application.
        public static let foreignDatabase = Code(rawValue: "foreignDatabase")
        /// The disk (or a quota) is full: nothing of the transaction was stored.
        public static let diskFull = Code(rawValue: "diskFull")
        /// A constraint was violated (an invalid value, such as a negative offset).
        public static let constraint = Code(rawValue: "constraint")
        /// The database stayed locked by another connection past the busy timeout.
        public static let busy = Code(rawValue: "busy")
        /// The database file is damaged or not a database.
        public static let corrupt = Code(rawValue: "corrupt")
        /// The database cannot be written (read-only file system or file, permissions).
        public static let readOnly = Code(rawValue: "readOnly")
        /// An I/O error below SQLite.
        public static let io = Code(rawValue: "io")
        /// Any other SQLite failure (see ``StateStoreError/sqliteResultCode``).
        public static let sqlite = Code(rawValue: "sqlite")
        /// The store was closed.
        public static let closed = Code(rawValue: "closed")
        /// Another instance took leadership over: this one's write was refused, and
        /// nothing of it was stored (see ``SurveillanceStore/fence(with:)``).
        public static let fenced = Code(rawValue: "fenced")
        /// The PostgreSQL server could not be reached, refused the login (wrong password,
        /// unknown role or database, TLS required by one side and not the other), or the
        /// connection to it was lost.
        public static let cannotConnect = Code(rawValue: "cannotConnect")
        /// Any other PostgreSQL failure (see ``StateStoreError/sqlState``).
        public static let postgresql = Code(rawValue: "postgresql")

        /// The code for an SQLite (extended) result code.
        static func forSQLite(_ result: Int32) -> Code {
            switch result & 0xff {
            case SQLITE_FULL: .diskFull
            case SQLITE_CONSTRAINT: .constraint
            case SQLITE_BUSY, SQLITE_LOCKED: .busy
            case SQLITE_CORRUPT, SQLITE_NOTADB: .corrupt
            case SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH: .readOnly
            case SQLITE_IOERR: .io
            case SQLITE_CANTOPEN: .cannotOpen
            default: .sqlite
            }
        }
    }
}
