import Threads

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded state store: one SQLite file, `extravasd.sqlite`, in the state directory.
///
/// The database and its `-wal` and `-shm` files are mode 0600. The connection runs in
/// WAL mode with `synchronous=FULL` (set after WAL is enabled, and verified), so a
/// commit that returned survives `kill -9` and power loss. The one connection belongs
/// to this actor, which runs on its own thread (a commit's `fsync` never holds a thread
/// of Swift's cooperative pool).
public actor SQLiteStore: SurveillanceStore {
    /// The database file name inside the state directory.
    public static let fileName = "extravasd.sqlite"

    /// How many delivered outbox entries are kept by default (see ``deliveredRetention``).
    public static let defaultDeliveredRetention = 10_000

    /// How long a statement waits for another connection's lock (milliseconds).
    static let busyTimeoutMilliseconds: Int32 = 5_000

    /// The WAL is truncated to this size after a checkpoint (bytes).
    static let journalSizeLimit = 32 * 1024 * 1024

    /// The database file.
    public nonisolated let path: String

    /// How many delivered outbox entries ``markDelivered(_:)`` keeps (the newest ones):
    /// re-committing an alert id still in the outbox changes nothing, so this bounds how
    /// far back a re-committed alert is still recognized as delivered.
    public nonisolated let deliveredRetention: Int

    /// The state directory (where the clean-stop marker goes).
    private nonisolated let directory: String
    private let connection: SQLiteConnection
    private let executor: SerialThread
    private var companionsSecured: Bool
    private var deliveredSincePrune: Int

    /// The store's own serial executor (one dedicated thread).
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Opens `<directory>/extravasd.sqlite`, creating it when missing.
    ///
    /// The file is created with `open(2)` at mode 0600 before SQLite opens it (an
    /// existing file's mode is set to 0600); then the connection gets a busy timeout,
    /// `journal_mode=WAL`, `synchronous=FULL` (verified), `foreign_keys=ON`; after a stop
    /// that was not clean (no ``cleanStopMarkerName`` beside it), `PRAGMA quick_check`
    /// must answer `ok` (else ``StateStoreError/Code/corrupt``, nothing changed); then the
    /// schema is created or migrated (`PRAGMA user_version`).
    ///
    /// - Parameters:
    ///   - directory: The state directory; it must exist.
    ///   - deliveredRetention: How many delivered outbox entries to keep.
    /// - Throws: ``StateStoreError``.
    public init(directory: String, deliveredRetention: Int = SQLiteStore.defaultDeliveredRetention) throws {
        let directory = Self.normalized(directory)
        let path = Self.databasePath(in: directory)
        let existed = access(path, F_OK) == 0
        try StoreFile.prepareDatabase(at: path, directory: directory)
        let connection = try SQLiteConnection(path: path)
        try Self.configure(connection)
        try Self.checkAfterUncleanStop(connection, directory: directory, existed: existed)
        try StoreSchema.migrate(connection)
        let companionsSecured = try StoreFile.secureCompanions(of: path)

        self.path = path
        self.directory = directory
        self.deliveredRetention = max(0, deliveredRetention)
        self.connection = connection
        self.companionsSecured = companionsSecured
        self.deliveredSincePrune = Self.pruneInterval(deliveredRetention)
        self.executor = SerialThread(name: "extravasd.store")
    }

    deinit {
        executor.shutdown()
    }

    /// Nothing to fence: one instance uses an SQLite store (leadership needs the
    /// PostgreSQL store, DESIGN.md section 10).
    public func fence(with lease: Lease?) {}

    /// Closes the connection and marks the stop clean (``cleanStopMarkerName``: the next
    /// open skips `PRAGMA quick_check`); later calls throw ``StateStoreError/Code/closed``.
    /// Safe to call more than once (a store deinitialized without it is closed, and not
    /// marked clean).
    public func close() {
        guard connection.isOpen else { return }
        connection.close()
        Self.markCleanStop(directory: directory)
    }

    // MARK: - SurveillanceStore

    /// Stores `batch` in one transaction (`BEGIN IMMEDIATE` ... `COMMIT`): the engine
    /// state (one UPDATE of one row), the outbox entries (`ON CONFLICT (alert_id) DO
    /// NOTHING`), the removed checkpoints, then the checkpoints (upserted by device and
    /// inode); then on-call review: fired and stopped reminders (only pending ones change),
    /// removed then upserted episode suppressions, the acknowledgement cursor. On any
    /// failure the transaction is rolled back and nothing of the batch is stored. An empty
    /// batch stores nothing.
    ///
    /// - Throws: ``StateStoreError`` (e.g. ``StateStoreError/Code/diskFull``,
    ///   ``StateStoreError/Code/constraint`` for a negative offset, or a fingerprint or
    ///   tail over 64 bytes).
    public func commit(_ batch: StoreBatch) throws {
        guard !batch.isEmpty else {
            guard connection.isOpen else { throw connection.closedError(step: "commit") }
            return
        }
        try connection.immediateTransaction {
            if let state = batch.engineState {
                try connection.writeEngineState(state, version: batch.engineStateVersion)
            }
            if !batch.outbox.isEmpty { try insertOutbox(batch.outbox) }
            if !batch.removedEngineParts.isEmpty {
                try connection.removeEngineParts(batch.removedEngineParts)
            }
            if !batch.engineParts.isEmpty { try connection.upsertEngineParts(batch.engineParts) }
            if !batch.removedCheckpoints.isEmpty { try removeCheckpoints(batch.removedCheckpoints) }
            if !batch.checkpoints.isEmpty { try upsertCheckpoints(batch.checkpoints) }
            if !batch.firedReminders.isEmpty {
                try connection.settleReminders(batch.firedReminders, as: .fired)
            }
            if !batch.stoppedReminders.isEmpty {
                try connection.settleReminders(batch.stoppedReminders, as: .stopped)
            }
            if !batch.removedSuppressions.isEmpty {
                try connection.removeSuppressions(batch.removedSuppressions)
            }
            if !batch.suppressions.isEmpty { try connection.upsertSuppressions(batch.suppressions) }
            if let cursor = batch.acknowledgementCursor { try connection.writeAcknowledgementCursor(cursor) }
        }
        try secureCompanionsOnce()
    }

    /// When the latest alert marked delivered was written; `nil` when none is.
    ///
    /// - Throws: ``StateStoreError``.
    public func latestDeliveryTime() throws -> Int64? {
        try connection.withStatement("SELECT max(written_at) FROM alert_outbox WHERE delivered = 1") {
            statement in
            guard try statement.step(), !statement.isNull(at: 0) else { return nil }
            return Int64(statement.int(at: 0))
        }
    }

    /// Every stored checkpoint, by path, then device and inode.
    ///
    /// - Throws: ``StateStoreError``.
    public func checkpoints() throws -> [FileCheckpoint] {
        try connection.fileCheckpoints()
    }

    /// The last committed engine state and its version, or `nil` before the first.
    ///
    /// - Throws: ``StateStoreError``.
    public func engineState() throws -> (version: Int, bytes: [UInt8])? {
        try connection.engineStateRow()
    }

    /// Every stored engine state piece, by kind, then key.
    ///
    /// - Throws: ``StateStoreError``.
    public func engineParts() throws -> [EnginePart] {
        try connection.engineParts()
    }

    /// The stored pieces of the kinds in `kinds` and, of `unknownDueKinds`, those stored
    /// with no due time; by kind, then key.
    ///
    /// - Throws: ``StateStoreError``.
    public func engineParts(kinds: [Int], unknownDueKinds: [Int]) throws -> [EnginePart] {
        try connection.engineParts(kinds: kinds, unknownDueKinds: unknownDueKinds)
    }

    /// A reader of stored pieces for the engine's own thread (see ``EnginePartReader``):
    /// a connection of its own to this file that only reads and sees what was committed.
    ///
    /// - Throws: ``StateStoreError`` when the file cannot be opened.
    public nonisolated func partReader() throws -> any EnginePartReader {
        try SQLitePartReader(path: path)
    }

    /// The undelivered outbox entries, in creation order.
    ///
    /// - Throws: ``StateStoreError``.
    public func undeliveredAlerts() throws -> [OutboxEntry] {
        try connection.withStatement(
            """
            SELECT alert_id, payload, episode, severity_rank, reminder FROM alert_outbox WHERE delivered = 0
            ORDER BY created_seq
            """
        ) { statement in
            var entries: [OutboxEntry] = []
            while try statement.step() {
                var entry = OutboxEntry(alertID: statement.text(at: 0), payload: statement.blob(at: 1))
                if !statement.isNull(at: 2) {
                    entry.review = OutboxReviewFacts(
                        episode: statement.text(at: 2),
                        severityRank: statement.isNull(at: 3) ? 0 : statement.int(at: 3),
                        remindsIfUnacknowledged: statement.int(at: 4)
                            != SQLiteConnection.ReminderState.none.rawValue)
                }
                entries.append(entry)
            }
            return entries
        }
    }

    /// Marks the entries with these keys delivered, with `writtenAt` (when a pending
    /// reminder counts from), in one transaction (unknown keys and entries delivered
    /// already are left as they are); from time to time (every tenth of
    /// ``deliveredRetention``) also removes delivered entries beyond the newest
    /// ``deliveredRetention``.
    ///
    /// - Throws: ``StateStoreError``.
    public func markDelivered(_ alertIDs: [String], writtenAt: Int64) throws {
        guard !alertIDs.isEmpty else { return }
        let marked = try connection.immediateTransaction {
            let marked = try connection.runEach(
                "UPDATE alert_outbox SET delivered = 1, written_at = ?2 WHERE alert_id = ?1 AND delivered = 0",
                over: alertIDs
            ) {
                try $0.bind($1, at: 1)
                try $0.bind(writtenAt, at: 2)
            }
            if deliveredSincePrune + marked >= Self.pruneInterval(deliveredRetention) {
                try deleteDelivered(keepingLast: deliveredRetention)
            }
            return marked
        }
        let interval = Self.pruneInterval(deliveredRetention)
        deliveredSincePrune = deliveredSincePrune + marked >= interval ? 0 : deliveredSincePrune + marked
    }

    /// The alerts whose reminder is pending, in creation order.
    ///
    /// - Throws: ``StateStoreError``.
    public func pendingReminders() throws -> [PendingReminder] {
        try connection.pendingReminders()
    }

    /// The first `limit` pending reminders of alerts written at or before `cutoff`, and
    /// the earliest write time after it.
    ///
    /// - Throws: ``StateStoreError``.
    public func reminders(writtenAtOrBefore cutoff: Int64, limit: Int) throws -> DueReminders {
        try connection.reminders(writtenAtOrBefore: cutoff, limit: limit)
    }

    /// The episode of `alertID` and the highest severity rank among its alerts.
    ///
    /// - Throws: ``StateStoreError``.
    public func episode(ofAlert alertID: String) throws -> AlertEpisode? {
        try connection.episode(ofAlert: alertID)
    }

    /// The acknowledgement cursor and the episode suppressions.
    ///
    /// - Throws: ``StateStoreError``.
    public func storedReview() throws -> StoredReview {
        try connection.storedReview()
    }

    /// Takes the write lock and releases it (`BEGIN IMMEDIATE`, `COMMIT`): a liveness
    /// check for a watchdog, answered only when the store's thread is free and the
    /// database writable (another process holding the lock makes it wait up to the busy
    /// timeout, then throw).
    ///
    /// - Throws: ``StateStoreError``.
    public func ping() throws {
        try connection.immediateTransaction {}
    }

    /// Removes delivered outbox entries except the newest `count` (a negative count
    /// counts as 0), never one whose reminder is pending; returns how many were removed.
    ///
    /// - Throws: ``StateStoreError``.
    @discardableResult
    public func pruneDelivered(keepingLast count: Int) throws -> Int {
        try connection.immediateTransaction { try deleteDelivered(keepingLast: count) }
    }

    /// `PRAGMA synchronous` of the connection: 2 (FULL) once open.
    ///
    /// - Throws: ``StateStoreError``.
    public func synchronousMode() throws -> Int {
        try connection.integer("PRAGMA synchronous") ?? -1
    }

    // MARK: - Inspection

    /// `PRAGMA journal_mode` of the connection: `"wal"` once open.
    ///
    /// - Throws: ``StateStoreError``.
    public func journalMode() throws -> String {
        try connection.text("PRAGMA journal_mode") ?? ""
    }

    // MARK: - Private

    private static func configure(_ connection: SQLiteConnection) throws {
        try connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        let journalMode = try connection.text("PRAGMA journal_mode = WAL")?.lowercased()
        guard journalMode == "wal" else {
            throw settingError(
                connection, "PRAGMA journal_mode = WAL", "journal mode is \(journalMode ?? "unknown")")
        }
        // After WAL: some WAL set-ups reset synchronous to NORMAL (DESIGN.md section 7).
        try connection.execute("PRAGMA synchronous = FULL")
        let synchronous = try connection.integer("PRAGMA synchronous")
        guard synchronous == 2 else {
            throw settingError(
                connection, "PRAGMA synchronous = FULL",
                "synchronous is \(synchronous.map(String.init) ?? "unknown")")
        }
        try connection.execute("PRAGMA foreign_keys = ON")
        guard try connection.integer("PRAGMA foreign_keys") == 1 else {
            throw settingError(connection, "PRAGMA foreign_keys = ON", "foreign keys stay off")
        }
        try connection.execute("PRAGMA journal_size_limit = \(journalSizeLimit)")
        try connection.execute("PRAGMA trusted_schema = OFF")
    }

    private static func settingError(_ connection: SQLiteConnection, _ step: String, _ reason: String)
        -> StateStoreError
    {
        StateStoreError(code: .setting, step: step, file: connection.path, reason: reason)
    }

    /// How many entries marked delivered trigger a prune.
    private static func pruneInterval(_ retention: Int) -> Int {
        max(1, retention / 10)
    }

    private func insertOutbox(_ entries: [OutboxEntry]) throws {
        try connection.runEach(
            """
            INSERT INTO alert_outbox (alert_id, payload, episode, severity_rank, reminder) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (alert_id) DO NOTHING
            """,
            over: entries
        ) { statement, entry in
            try statement.bind(entry.alertID, at: 1)
            try statement.bind(entry.payload, at: 2)
            if let review = entry.review {
                try statement.bind(review.episode, at: 3)
                try statement.bind(review.severityRank, at: 4)
                let reminder: SQLiteConnection.ReminderState =
                    review.remindsIfUnacknowledged ? .pending : .none
                try statement.bind(reminder.rawValue, at: 5)
            } else {
                try statement.bindNull(at: 3)
                try statement.bindNull(at: 4)
                try statement.bind(SQLiteConnection.ReminderState.none.rawValue, at: 5)
            }
        }
    }

    private func removeCheckpoints(_ identities: [FileIdentity]) throws {
        try connection.runEach(
            """
            DELETE FROM file_checkpoint
            WHERE device = ?1 AND inode = ?2 AND fingerprint = substr(?3, 1, length(fingerprint))
            """, over: identities
        ) { statement, identity in
            try statement.bind(identity.device, at: 1)
            try statement.bind(identity.inode, at: 2)
            try statement.bind(identity.fingerprint, at: 3)
        }
    }

    private func upsertCheckpoints(_ checkpoints: [FileCheckpoint]) throws {
        try connection.runEach(
            """
            INSERT INTO file_checkpoint (device, inode, fingerprint, path, byte_offset, tail)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (device, inode) DO UPDATE
            SET fingerprint = excluded.fingerprint, path = excluded.path, byte_offset = excluded.byte_offset,
                tail = excluded.tail
            """, over: checkpoints
        ) { statement, checkpoint in
            try statement.bind(checkpoint.identity.device, at: 1)
            try statement.bind(checkpoint.identity.inode, at: 2)
            try statement.bind(checkpoint.identity.fingerprint, at: 3)
            try statement.bind(checkpoint.path, at: 4)
            try statement.bind(checkpoint.offset, at: 5)
            try statement.bind(checkpoint.tail, at: 6)
        }
    }

    /// Deletes delivered entries except the newest `count`, inside the caller's
    /// transaction; an entry whose reminder is pending stays (it is needed when it fires).
    @discardableResult
    private func deleteDelivered(keepingLast count: Int) throws -> Int {
        guard count > 0 else {
            try connection.execute("DELETE FROM alert_outbox WHERE delivered = 1 AND reminder <> 1")
            return connection.changes
        }
        try connection.withStatement(
            """
            DELETE FROM alert_outbox WHERE delivered = 1 AND reminder <> 1 AND created_seq < (
                SELECT created_seq FROM alert_outbox WHERE delivered = 1
                ORDER BY created_seq DESC LIMIT 1 OFFSET ?1)
            """
        ) { statement in
            try statement.bind(count - 1, at: 1)
            try statement.run()
        }
        return connection.changes
    }

    /// Sets mode 0600 on the `-wal` and `-shm` files, until both have been seen (SQLite
    /// creates them lazily, and gives later ones the database file's mode).
    private func secureCompanionsOnce() throws {
        guard !companionsSecured else { return }
        companionsSecured = try StoreFile.secureCompanions(of: path)
    }
}
