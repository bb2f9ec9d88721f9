import NIOCore
import PostgresNIO
import StateStore
import Threads

/// The state store on a PostgreSQL server (DESIGN.md section 10): the same tables and
/// semantics as ``SQLiteStore``, in one schema of one database, so that the daemon's state
/// can live off the host (high availability, which needs leader election and fencing on
/// top, is not built yet).
///
/// One connection belongs to this actor, which runs on its own thread and blocks it on
/// each query (PostgresNIO's futures): a commit never holds a thread of Swift's
/// cooperative pool, and no call of the actor interleaves with another (the actor never
/// suspends inside a transaction). Each ``partReader()`` has a connection of its own.
/// The schema is created and migrated at open (``PostgreSQLSchema``).
public actor PostgreSQLStore: SurveillanceStore {
    /// How many delivered outbox entries are kept by default.
    public static let defaultDeliveredRetention = SQLiteStore.defaultDeliveredRetention

    /// Where the store lives.
    public nonisolated let settings: PostgreSQLStoreSettings

    /// How many delivered outbox entries ``markDelivered(_:writtenAt:)`` keeps (the newest).
    public nonisolated let deliveredRetention: Int

    /// How many days a delivered alert (and an acknowledgement) is kept as the shared
    /// record (`store.retention_days`) beyond the newest ``deliveredRetention``; 0: by
    /// count only.
    public nonisolated let retentionDays: Int

    /// The store's one connection (the shared record's methods use it too).
    let connection: PostgreSQLConnection
    private let executor: SerialThread
    private var deliveredSincePrune: Int
    /// The lease every write checks (``fence(with:)``); `nil`: unfenced.
    private var lease: Lease?

    /// The store's own serial executor (one dedicated thread).
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Connects to the server, creates the settings' schema when missing and creates or
    /// migrates the store's tables in it. Blocks the calling thread (never call it on an
    /// event loop).
    ///
    /// - Parameters:
    ///   - settings: The server, login and schema.
    ///   - deliveredRetention: How many delivered outbox entries to keep.
    ///   - retentionDays: How many days delivered alerts and acknowledgements are kept as
    ///     the shared record besides those (0: by count only).
    /// - Throws: ``StateStoreError``: ``StateStoreError/Code/cannotConnect`` (server not
    ///   reachable, login refused), ``StateStoreError/Code/fileSystem`` (password file),
    ///   ``StateStoreError/Code/schemaTooNew``, ``StateStoreError/Code/foreignDatabase``.
    public init(
        settings: PostgreSQLStoreSettings,
        deliveredRetention: Int = PostgreSQLStore.defaultDeliveredRetention,
        retentionDays: Int = 0
    ) throws {
        let connection = try PostgreSQLConnection.open(settings)
        do {
            try PostgreSQLSchema.migrate(connection)
        } catch {
            connection.close()
            throw error
        }
        self.settings = settings
        self.connection = connection
        self.deliveredRetention = max(0, deliveredRetention)
        self.retentionDays = max(0, retentionDays)
        self.deliveredSincePrune = Self.pruneInterval(deliveredRetention)
        self.executor = SerialThread(name: "extravasd.store")
    }

    deinit {
        connection.closeWithoutWaiting()
        executor.shutdown()
    }

    /// Fences every later commit, delivery mark and pruning with `lease` (`nil`: none):
    /// each first checks, in its own transaction, that the `leadership` row still holds
    /// the lease's holder and token, and locks that row (`FOR SHARE`) until it commits, so
    /// a takeover waits for a commit under way and every later one of the old leader is
    /// refused with ``StateStoreError/Code/fenced``.
    public func fence(with lease: Lease?) {
        self.lease = lease
    }

    /// Inside a write's transaction: throws ``StateStoreError/Code/fenced`` unless this
    /// store is unfenced or its lease still holds its token.
    private func checkLease(_ step: String) throws {
        guard let lease else { return }
        let held = try connection.firstRow(
            """
            SELECT token FROM leadership WHERE id = 1 AND holder = \(lease.holder) AND token = \(lease.token)
            FOR SHARE
            """
        ) { _ in true }
        guard held == true else {
            throw StateStoreError(
                code: .fenced, step: step, file: connection.name,
                reason:
                    "another instance took leadership over (fencing token \(lease.token) is no longer current)"
            )
        }
    }

    /// Closes the connection; later calls throw ``StateStoreError/Code/closed``. Safe to
    /// call more than once.
    public func close() {
        connection.close()
    }

    // MARK: - SurveillanceStore

    /// Stores `batch` in one transaction, in the SQLite store's order: the engine state,
    /// the outbox entries (`ON CONFLICT (alert_id) DO NOTHING`), removed then stored
    /// engine parts, removed then stored checkpoints (upserted by device and inode; the
    /// last one of a batch wins), fired and stopped reminders (only pending ones change),
    /// removed then stored suppressions, the acknowledgement cursor. On any failure the
    /// transaction is rolled back and nothing of the batch is stored. An empty batch
    /// stores nothing.
    ///
    /// - Throws: ``StateStoreError`` (``StateStoreError/Code/constraint`` for a negative
    ///   offset, or a fingerprint or tail over 64 bytes).
    public func commit(_ batch: StoreBatch) throws {
        guard !batch.isEmpty else {
            guard connection.isOpen else { throw connection.closedError(step: "commit") }
            return
        }
        try connection.transaction {
            try checkLease("commit")
            if let state = batch.engineState {
                try writeEngineState(state, version: batch.engineStateVersion)
            }
            for entry in batch.outbox { try insertOutbox(entry) }
            if !batch.removedEngineParts.isEmpty { try removeEngineParts(batch.removedEngineParts) }
            if !batch.engineParts.isEmpty { try upsertEngineParts(batch.engineParts) }
            for identity in batch.removedCheckpoints { try removeCheckpoint(identity) }
            for checkpoint in batch.checkpoints { try upsertCheckpoint(checkpoint) }
            if !batch.firedReminders.isEmpty { try settleReminders(batch.firedReminders, as: 2) }
            if !batch.stoppedReminders.isEmpty { try settleReminders(batch.stoppedReminders, as: 3) }
            if !batch.removedSuppressions.isEmpty {
                try connection.execute(
                    "DELETE FROM episode_suppression WHERE episode = ANY(\(batch.removedSuppressions))")
            }
            for suppression in batch.suppressions {
                try connection.execute(
                    """
                    INSERT INTO episode_suppression (episode, until, severity_ceiling, acknowledged_alert_id)
                    VALUES (\(suppression.episode), \(suppression.until), \(Int64(suppression.severityCeiling)),
                        \(suppression.acknowledgedAlertID))
                    ON CONFLICT (episode) DO UPDATE SET until = excluded.until,
                        severity_ceiling = excluded.severity_ceiling,
                        acknowledged_alert_id = excluded.acknowledged_alert_id
                    """)
            }
            if let cursor = batch.acknowledgementCursor {
                try connection.execute(
                    """
                    INSERT INTO acknowledgement_cursor (id, cursor) VALUES (1, \(cursor))
                    ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor
                    """)
            }
        }
    }

    /// Every stored checkpoint, by path (byte order, as SQLite), then device and inode.
    ///
    /// - Throws: ``StateStoreError``.
    public func checkpoints() throws -> [FileCheckpoint] {
        try connection.rows(
            """
            SELECT device, inode, fingerprint, path, byte_offset, tail FROM file_checkpoint
            ORDER BY path COLLATE "C", device, inode
            """
        ) { row in
            let (device, inode, fingerprint, path, offset, tail) = try row.decode(
                (Int64, Int64, ByteBuffer, String, Int64, ByteBuffer).self)
            return FileCheckpoint(
                identity: FileIdentity(
                    device: UInt64(bitPattern: device), inode: UInt64(bitPattern: inode),
                    fingerprint: fingerprint.bytes),
                path: path, offset: Int(offset), tail: tail.bytes)
        }
    }

    /// The last committed engine state and its version, or `nil` before the first.
    ///
    /// - Throws: ``StateStoreError``.
    public func engineState() throws -> (version: Int, bytes: [UInt8])? {
        let row = try connection.firstRow("SELECT version, state FROM engine_state WHERE id = 1") {
            try $0.decode((Int64, ByteBuffer?).self)
        }
        guard let (version, state) = row, let state else { return nil }
        return (Int(version), state.bytes)
    }

    /// Every stored engine state piece, by kind, then key.
    ///
    /// - Throws: ``StateStoreError``.
    public func engineParts() throws -> [EnginePart] {
        try connection.rows("SELECT kind, key, value, due FROM engine_part ORDER BY kind, key", Self.part)
    }

    /// The stored pieces of the kinds in `kinds` and, of `unknownDueKinds`, those stored
    /// with no due time; by kind, then key.
    ///
    /// - Throws: ``StateStoreError``.
    public func engineParts(kinds: [Int], unknownDueKinds: [Int]) throws -> [EnginePart] {
        let kinds = kinds.map(Int64.init)
        let unknown = unknownDueKinds.map(Int64.init)
        return try connection.rows(
            """
            SELECT kind, key, value, due FROM engine_part
            WHERE kind = ANY(\(kinds)) OR (kind = ANY(\(unknown)) AND due IS NULL) ORDER BY kind, key
            """, Self.part)
    }

    /// A reader of stored pieces for the engine's own thread: a connection of its own
    /// that reads committed data only (see ``PostgreSQLPartReader``).
    ///
    /// - Throws: ``StateStoreError`` when it cannot connect.
    public nonisolated func partReader() throws -> any EnginePartReader {
        try PostgreSQLPartReader(settings: settings)
    }

    /// The undelivered outbox entries, in creation order.
    ///
    /// - Throws: ``StateStoreError``.
    public func undeliveredAlerts() throws -> [OutboxEntry] {
        try connection.rows(
            """
            SELECT alert_id, payload, episode, severity_rank, reminder FROM alert_outbox WHERE NOT delivered
            ORDER BY created_seq
            """
        ) { row in
            let (alertID, payload, episode, rank, reminder) = try row.decode(
                (String, ByteBuffer, String?, Int64?, Int16).self)
            var entry = OutboxEntry(alertID: alertID, payload: payload.bytes)
            if let episode {
                entry.review = OutboxReviewFacts(
                    episode: episode, severityRank: Int(rank ?? 0), remindsIfUnacknowledged: reminder != 0)
            }
            return entry
        }
    }

    /// Marks the entries with these keys delivered, with `writtenAt`, in one transaction
    /// (unknown keys and entries delivered already are left as they are); every tenth of
    /// ``deliveredRetention`` entries marked, also removes delivered entries beyond the
    /// newest ``deliveredRetention``.
    ///
    /// - Throws: ``StateStoreError``.
    public func markDelivered(_ alertIDs: [String], writtenAt: Int64) throws {
        guard !alertIDs.isEmpty else { return }
        let interval = Self.pruneInterval(deliveredRetention)
        let marked = try connection.transaction {
            try checkLease("mark delivered")
            let marked = try connection.changes(
                """
                UPDATE alert_outbox SET delivered = true, written_at = \(writtenAt)
                WHERE alert_id = ANY(\(alertIDs)) AND NOT delivered
                """)
            if deliveredSincePrune + marked >= interval {
                try deleteDelivered(keepingLast: deliveredRetention)
            }
            return marked
        }
        deliveredSincePrune = deliveredSincePrune + marked >= interval ? 0 : deliveredSincePrune + marked
    }

    /// When the latest alert marked delivered was written; `nil` when none is.
    ///
    /// - Throws: ``StateStoreError``.
    public func latestDeliveryTime() throws -> Int64? {
        try connection.firstRow("SELECT max(written_at) FROM alert_outbox WHERE delivered") {
            try $0.decode(Int64?.self)
        } ?? nil
    }

    /// The alerts whose reminder is pending, in creation order.
    ///
    /// - Throws: ``StateStoreError``.
    public func pendingReminders() throws -> [PendingReminder] {
        try connection.rows(
            "SELECT alert_id, payload, written_at FROM alert_outbox WHERE reminder = 1 ORDER BY created_seq",
            Self.pendingReminder)
    }

    /// A row (alert id, payload, written time) as a pending reminder.
    private static func pendingReminder(_ row: PostgresRow) throws -> PendingReminder {
        let (alertID, payload, writtenAt) = try row.decode((String, ByteBuffer, Int64?).self)
        return PendingReminder(alertID: alertID, payload: payload.bytes, writtenAt: writtenAt)
    }

    /// The first `limit` pending reminders of alerts written at or before `cutoff`, the
    /// earliest written first, and the earliest write time after it (both read along the
    /// index by write time).
    ///
    /// - Throws: ``StateStoreError``.
    public func reminders(writtenAtOrBefore cutoff: Int64, limit: Int) throws -> DueReminders {
        let due = try connection.rows(
            """
            SELECT alert_id, payload, written_at FROM alert_outbox
            WHERE reminder = 1 AND written_at <= \(cutoff) ORDER BY written_at, created_seq LIMIT \(limit)
            """,
            Self.pendingReminder)
        let next =
            try connection.firstRow(
                "SELECT min(written_at) FROM alert_outbox WHERE reminder = 1 AND written_at > \(cutoff)"
            ) { try $0.decode(Int64?.self) } ?? nil
        return DueReminders(due: due, nextWrittenAt: next)
    }

    /// The episode of `alertID` and the highest severity rank among its alerts.
    ///
    /// - Throws: ``StateStoreError``.
    public func episode(ofAlert alertID: String) throws -> AlertEpisode? {
        try connection.firstRow(
            """
            SELECT a.episode, (SELECT max(b.severity_rank) FROM alert_outbox b WHERE b.episode = a.episode)
            FROM alert_outbox a WHERE a.alert_id = \(alertID) AND a.episode IS NOT NULL
            """
        ) { row in
            let (episode, rank) = try row.decode((String, Int64?).self)
            return AlertEpisode(episode: episode, highestSeverityRank: Int(rank ?? 0))
        }
    }

    /// The acknowledgement cursor and every suppression, by episode (byte order).
    ///
    /// - Throws: ``StateStoreError``.
    public func storedReview() throws -> StoredReview {
        let cursor = try connection.firstRow("SELECT cursor FROM acknowledgement_cursor WHERE id = 1") {
            try $0.decode(String.self)
        }
        let suppressions = try connection.rows(
            """
            SELECT episode, until, severity_ceiling, acknowledged_alert_id FROM episode_suppression
            ORDER BY episode COLLATE "C"
            """
        ) { row in
            let (episode, until, ceiling, alertID) = try row.decode((String, Int64, Int64, String).self)
            return EpisodeSuppression(
                episode: episode, until: until, severityCeiling: Int(ceiling), acknowledgedAlertID: alertID)
        }
        return StoredReview(acknowledgementCursor: cursor, suppressions: suppressions)
    }

    /// Removes delivered outbox entries except the newest `count` (a negative count
    /// counts as 0), never one whose reminder is pending; returns how many were removed.
    ///
    /// - Throws: ``StateStoreError``.
    @discardableResult
    public func pruneDelivered(keepingLast count: Int) throws -> Int {
        try connection.transaction {
            try checkLease("prune delivered")
            return try deleteDelivered(keepingLast: count)
        }
    }

    /// 2 (as SQLite's `synchronous=FULL`) when a commit waits for the server's WAL flush
    /// (`synchronous_commit` is `on`, `local`, `remote_write` or `remote_apply`, and
    /// `fsync` is on); 0 when `synchronous_commit` or `fsync` is `off`.
    ///
    /// - Throws: ``StateStoreError``.
    public func synchronousMode() throws -> Int {
        let commit = try connection.firstRow("SHOW synchronous_commit") { try $0.decode(String.self) }
        let fsync = try connection.firstRow("SHOW fsync") { try $0.decode(String.self) }
        guard fsync == "on" else { return 0 }
        switch commit {
        case "on", "local", "remote_write", "remote_apply": return 2
        default: return 0
        }
    }

    /// A write-capable liveness check for the watchdog: a transaction that takes a write
    /// lock (`LOCK TABLE engine_state IN ROW EXCLUSIVE MODE`), which a read-only server
    /// (a standby) refuses.
    ///
    /// - Throws: ``StateStoreError``.
    public func ping() throws {
        try connection.transaction {
            try connection.execute("LOCK TABLE engine_state IN ROW EXCLUSIVE MODE")
        }
    }

    // MARK: - Inspection

    /// The version recorded in the schema's `schema_version` table.
    ///
    /// - Throws: ``StateStoreError``.
    public func schemaVersion() throws -> Int {
        try PostgreSQLSchema.version(connection)
    }

    /// Drops the settings' schema and everything in it (tests, decommissioning a store);
    /// nothing when it does not exist.
    ///
    /// - Throws: ``StateStoreError``.
    public static func dropSchema(settings: PostgreSQLStoreSettings) throws {
        let connection = try PostgreSQLConnection.open(settings)
        defer { connection.close() }
        try connection.execute(
            PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(settings.schema)\" CASCADE"))
    }

    // MARK: - Private

    /// How many entries marked delivered trigger a prune.
    private static func pruneInterval(_ retention: Int) -> Int {
        max(1, retention / 10)
    }

    private static func part(_ row: PostgresRow) throws -> EnginePart {
        let (kind, key, value, due) = try row.decode((Int64, ByteBuffer, ByteBuffer, Int64?).self)
        return EnginePart(kind: Int(kind), key: key.bytes, value: value.bytes, due: due)
    }

    private func writeEngineState(_ state: [UInt8], version: Int) throws {
        let changed = try connection.changes(
            "UPDATE engine_state SET version = \(Int64(version)), state = \(ByteBuffer(bytes: state)) WHERE id = 1"
        )
        guard changed == 1 else {
            throw StateStoreError(
                code: .corrupt, step: "UPDATE engine_state", file: connection.name,
                reason: "the engine_state row is missing")
        }
    }

    private func insertOutbox(_ entry: OutboxEntry) throws {
        let reminder: Int16 = entry.review?.remindsIfUnacknowledged == true ? 1 : 0
        try connection.execute(
            """
            INSERT INTO alert_outbox (alert_id, payload, episode, severity_rank, reminder)
            VALUES (\(entry.alertID), \(ByteBuffer(bytes: entry.payload)), \(entry.review?.episode),
                \(entry.review.map { Int64($0.severityRank) }), \(reminder))
            ON CONFLICT (alert_id) DO NOTHING
            """)
    }

    /// Removes the parts with these kinds and keys (one statement).
    private func removeEngineParts(_ keys: [EnginePartKey]) throws {
        let kinds = keys.map { Int64($0.kind) }
        let partKeys = keys.map { ByteBuffer(bytes: $0.key) }
        try connection.execute(
            """
            DELETE FROM engine_part p USING unnest(\(kinds)::bigint[], \(partKeys)::bytea[]) AS r (kind, key)
            WHERE p.kind = r.kind AND p.key = r.key
            """)
    }

    /// Stores the parts, replacing those with the same kind and key (one statement; of
    /// parts with the same kind and key in one batch, the last wins).
    private func upsertEngineParts(_ parts: [EnginePart]) throws {
        var seen: Set<EnginePartKey> = []
        var latest: [EnginePart] = []
        for part in parts.reversed() where seen.insert(EnginePartKey(kind: part.kind, key: part.key)).inserted
        {
            latest.append(part)
        }
        latest.reverse()
        let kinds = latest.map { Int64($0.kind) }
        let keys = latest.map { ByteBuffer(bytes: $0.key) }
        let values = latest.map { ByteBuffer(bytes: $0.value) }
        let dues = latest.map { $0.due ?? 0 }
        let known = latest.map { $0.due != nil }
        try connection.execute(
            """
            INSERT INTO engine_part (kind, key, value, due)
            SELECT kind, key, value, CASE WHEN known THEN due END
            FROM unnest(\(kinds)::bigint[], \(keys)::bytea[], \(values)::bytea[], \(dues)::bigint[],
                \(known)::boolean[]) AS p (kind, key, value, due, known)
            ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, due = excluded.due
            """)
    }

    private func removeCheckpoint(_ identity: FileIdentity) throws {
        try connection.execute(
            """
            DELETE FROM file_checkpoint
            WHERE device = \(Int64(bitPattern: identity.device)) AND inode = \(Int64(bitPattern: identity.inode))
                AND fingerprint = substring(\(ByteBuffer(bytes: identity.fingerprint)) FROM 1 FOR length(fingerprint))
            """)
    }

    private func upsertCheckpoint(_ checkpoint: FileCheckpoint) throws {
        let identity = checkpoint.identity
        try connection.execute(
            """
            INSERT INTO file_checkpoint (device, inode, fingerprint, path, byte_offset, tail)
            VALUES (\(Int64(bitPattern: identity.device)), \(Int64(bitPattern: identity.inode)),
                \(ByteBuffer(bytes: identity.fingerprint)), \(checkpoint.path), \(Int64(checkpoint.offset)),
                \(ByteBuffer(bytes: checkpoint.tail)))
            ON CONFLICT (device, inode) DO UPDATE
            SET fingerprint = excluded.fingerprint, path = excluded.path, byte_offset = excluded.byte_offset,
                tail = excluded.tail
            """)
    }

    /// Moves the pending reminders of `alertIDs` to `state` (2 fired, 3 stopped).
    private func settleReminders(_ alertIDs: [String], as state: Int16) throws {
        try connection.execute(
            "UPDATE alert_outbox SET reminder = \(state) WHERE alert_id = ANY(\(alertIDs)) AND reminder = 1")
    }

    /// Deletes delivered entries except the newest `count`, inside the caller's
    /// transaction; an entry whose reminder is pending stays. With ``retentionDays``, an
    /// entry written within that many days (the database's clock) stays too, and
    /// acknowledgements older than that go.
    @discardableResult
    private func deleteDelivered(keepingLast count: Int) throws -> Int {
        let days = Int64(retentionDays)
        let recent =
            "(\(days) > 0 AND written_at >= (extract(epoch FROM clock_timestamp()) * 1000000)::bigint - \(days) * 86400000000)"
        if days > 0 {
            try connection.execute(
                """
                DELETE FROM acknowledgement
                WHERE acknowledged_at < (extract(epoch FROM clock_timestamp()) * 1000000)::bigint - \(days) * 86400000000
                """)
        }
        guard count > 0 else {
            return try connection.changes(
                PostgresQuery(
                    unsafeSQL:
                        "DELETE FROM alert_outbox WHERE delivered AND reminder <> 1 AND NOT coalesce(\(recent), false)"
                ))
        }
        return try connection.changes(
            PostgresQuery(
                unsafeSQL: """
                    DELETE FROM alert_outbox WHERE delivered AND reminder <> 1 AND NOT coalesce(\(recent), false)
                    AND created_seq < (
                        SELECT created_seq FROM alert_outbox WHERE delivered
                        ORDER BY created_seq DESC LIMIT 1 OFFSET \(Int64(count - 1)))
                    """))
    }
}

extension ByteBuffer {
    /// The readable bytes as an array.
    var bytes: [UInt8] { Array(readableBytesView) }
}
