/// A state file of engine parts for one process that both reads and writes it: replay's
/// state (`replay --state PATH`, or a temporary file), in the daemon's schema
/// (``StoreSchema``: the same `engine_state` and `engine_part` tables and formats), so
/// that replay pages records through the same ``EnginePartReader`` as the daemon.
///
/// The file is created at mode 0600 (it holds patient identifiers). It runs in WAL mode;
/// `durable` gives `synchronous=NORMAL` (each commit atomic, the last ones may be lost on
/// power loss: a replay is run again), otherwise `OFF` (a temporary file).
public final class SQLitePartFile: EnginePartReader {
    /// The database file.
    public let path: String
    private let reader: SQLitePartReader

    /// Opens `path` in `directory` (which must exist), creating the file when missing.
    ///
    /// - Throws: ``StateStoreError``, e.g. ``StateStoreError/Code/foreignDatabase`` for a
    ///   file that is not an extravasd state database.
    public init(path: String, directory: String, durable: Bool) throws {
        try StoreFile.prepareDatabase(at: path, directory: directory)
        let connection = try SQLiteConnection(path: path)
        try connection.setBusyTimeout(milliseconds: SQLiteStore.busyTimeoutMilliseconds)
        let journalMode = try connection.text("PRAGMA journal_mode = WAL")?.lowercased()
        guard journalMode == "wal" else {
            throw StateStoreError(
                code: .setting, step: "PRAGMA journal_mode = WAL", file: path,
                reason: "journal mode is \(journalMode ?? "unknown")")
        }
        try connection.execute("PRAGMA synchronous = \(durable ? "NORMAL" : "OFF")")
        try connection.execute("PRAGMA trusted_schema = OFF")
        try StoreSchema.migrate(connection)
        try StoreFile.secureCompanions(of: path)
        self.path = path
        reader = try SQLitePartReader(connection: connection)
    }

    deinit { reader.close() }

    /// The stored engine state remainder, or `nil` before the first.
    public func engineState() throws -> (version: Int, bytes: [UInt8])? {
        try reader.withConnection { try $0.engineStateRow() }
    }

    /// The stored parts of the kinds in `kinds` and, of `unknownDueKinds`, those with no
    /// due time (`kinds` nil: every part), by kind, then key.
    public func engineParts(kinds: [Int]? = nil, unknownDueKinds: [Int] = []) throws -> [EnginePart] {
        try reader.withConnection { try $0.engineParts(kinds: kinds, unknownDueKinds: unknownDueKinds) }
    }

    /// Stores the remainder (when given), removes `removed` and stores `parts`, in one
    /// transaction.
    public func commit(
        engineState: [UInt8]?, version: Int, parts: [EnginePart], removed: [EnginePartKey]
    ) throws {
        try reader.withConnection { connection in
            try connection.immediateTransaction {
                if let engineState { try connection.writeEngineState(engineState, version: version) }
                if !removed.isEmpty { try connection.removeEngineParts(removed) }
                if !parts.isEmpty { try connection.upsertEngineParts(parts) }
            }
        }
        _ = try StoreFile.secureCompanions(of: path)
    }

    /// The value stored for `key` of `kind`, or `nil`.
    public func value(kind: Int, key: [UInt8]) throws -> [UInt8]? { try reader.value(kind: kind, key: key) }

    /// The keys of `kind` due at or before `time`, by key.
    public func keysDue(kind: Int, through time: Int64) throws -> [[UInt8]] {
        try reader.keysDue(kind: kind, through: time)
    }

    /// Calls `body` with the key of each part of `kind`, by key.
    public func forEachKey(kind: Int, _ body: ([UInt8]) throws -> Void) throws {
        try reader.forEachKey(kind: kind, body)
    }

    /// How many parts of `kind` are stored.
    public func count(kind: Int) throws -> Int { try reader.count(kind: kind) }

    /// Closes the file; later calls throw.
    public func close() { reader.close() }
}
