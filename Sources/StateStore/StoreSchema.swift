/// The tables of the SQLite store and their migrations, versioned by `PRAGMA user_version`
/// and marked as extravasd's by `PRAGMA application_id`.
///
/// Version 1:
/// - `file_checkpoint`: one row per followed file, keyed by device and inode (two files
///   that exist at once never share both, so a new fingerprint for a pair replaces the
///   checkpoint of a file that was truncated and rewritten or whose inode was reused);
/// - `engine_state`: exactly one row (id 1), its `state` NULL until the first commit,
///   so that storing the state is one UPDATE of one row;
/// - `alert_outbox`: alerts by creation order (`AUTOINCREMENT`: sequence numbers are
///   never reused, even after pruning) with a unique alert id.
///
/// Version 2: `file_checkpoint.tail`, a signature (up to 64 bytes, the follower's
/// choice) of the bytes just before the checkpoint's offset, so that a file with the
/// inode and first bytes of a checkpointed one but other content is told apart (empty
/// for checkpoints stored by version 1: not checked).
///
/// Version 3 adds `engine_part`: pieces of the engine state stored one row each (by kind
/// and key), beside the small remainder in `engine_state`, so that a batch rewrites only
/// the pieces it changed.
///
/// Version 4 adds `engine_part.due` (when the piece next has something to prune; NULL:
/// not known, for pieces stored before) and an index by kind and due time, so that
/// records are paged: pruning asks which stored records are due instead of reading all.
///
/// Version 5 adds on-call review (DESIGN.md section 5): on `alert_outbox`, an alert's
/// `episode` and `severity_rank`, `written_at` (when it was marked delivered: its
/// reminder counts from then) and `reminder` (0 none, 1 pending, 2 fired, 3 stopped by an
/// acknowledgement), with an index of pending reminders and one by episode;
/// `episode_suppression` (a `not-extravasation` acknowledgement's effect, by episode);
/// and `acknowledgement_cursor` (one row: where the daemon stands in the journal's
/// acknowledgements). Rows stored before have no episode and no reminder.
///
/// Version 6 adds an index of the pending reminders by the time their alert was written,
/// so that the daemon reads only the reminders due (and the next due time), not every
/// alert still waiting for an acknowledgement.
enum StoreSchema {
    /// The schema version this build writes and reads.
    static let currentVersion = 6

    /// `PRAGMA application_id` of an extravasd state database ("EXTV").
    static let applicationID = 0x4558_5456

    /// The statements that bring the schema from version `index` to `index + 1`.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE file_checkpoint (
                device INTEGER NOT NULL,
                inode INTEGER NOT NULL,
                fingerprint BLOB NOT NULL CHECK (length(fingerprint) <= \(FileIdentity.maximumFingerprintLength)),
                path TEXT NOT NULL,
                byte_offset INTEGER NOT NULL CHECK (byte_offset >= 0),
                PRIMARY KEY (device, inode)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE engine_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL,
                state BLOB
            )
            """,
            "INSERT INTO engine_state (id, version, state) VALUES (1, 0, NULL)",
            """
            CREATE TABLE alert_outbox (
                created_seq INTEGER PRIMARY KEY AUTOINCREMENT,
                alert_id TEXT NOT NULL UNIQUE,
                payload BLOB NOT NULL,
                delivered INTEGER NOT NULL DEFAULT 0 CHECK (delivered IN (0, 1))
            )
            """,
            "CREATE INDEX alert_outbox_by_delivery ON alert_outbox (delivered, created_seq)",
        ],
        [
            """
            ALTER TABLE file_checkpoint ADD COLUMN tail BLOB NOT NULL DEFAULT x''
                CHECK (length(tail) <= \(FileCheckpoint.maximumTailLength))
            """
        ],
        [
            """
            CREATE TABLE engine_part (
                kind INTEGER NOT NULL,
                key BLOB NOT NULL,
                value BLOB NOT NULL,
                PRIMARY KEY (kind, key)
            ) WITHOUT ROWID
            """
        ],
        [
            "ALTER TABLE engine_part ADD COLUMN due INTEGER",
            "CREATE INDEX engine_part_by_due ON engine_part (kind, due) WHERE due IS NOT NULL",
        ],
        [
            "ALTER TABLE alert_outbox ADD COLUMN episode TEXT",
            "ALTER TABLE alert_outbox ADD COLUMN severity_rank INTEGER",
            "ALTER TABLE alert_outbox ADD COLUMN written_at INTEGER",
            """
            ALTER TABLE alert_outbox ADD COLUMN reminder INTEGER NOT NULL DEFAULT 0
                CHECK (reminder IN (0, 1, 2, 3))
            """,
            "CREATE INDEX alert_outbox_by_episode ON alert_outbox (episode) WHERE episode IS NOT NULL",
            "CREATE INDEX alert_outbox_pending_reminders ON alert_outbox (created_seq) WHERE reminder = 1",
            """
            CREATE TABLE episode_suppression (
                episode TEXT PRIMARY KEY,
                until INTEGER NOT NULL,
                severity_ceiling INTEGER NOT NULL,
                acknowledged_alert_id TEXT NOT NULL
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE acknowledgement_cursor (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                cursor TEXT NOT NULL
            )
            """,
        ],
        [
            "CREATE INDEX alert_outbox_reminders_by_written ON alert_outbox (written_at) WHERE reminder = 1"
        ],
    ]

    /// Creates or migrates the schema of `connection`'s database to ``currentVersion``,
    /// in one write transaction.
    ///
    /// - Throws: ``StateStoreError`` with ``StateStoreError/Code/schemaTooNew`` for a
    ///   database of a newer extravasd, ``StateStoreError/Code/foreignDatabase`` for
    ///   another application's database, or the SQLite failure.
    static func migrate(_ connection: SQLiteConnection) throws {
        // Read outside a transaction first: an up-to-date database needs no write lock.
        if try check(connection) == currentVersion { return }
        try connection.immediateTransaction {
            let version = try check(connection)
            guard version < currentVersion else { return }
            if version == 0 {
                try connection.execute("PRAGMA application_id = \(applicationID)")
            }
            for steps in migrations[version...] {
                for sql in steps { try connection.execute(sql) }
            }
            try connection.execute("PRAGMA user_version = \(currentVersion)")
        }
    }

    /// The database's schema version, after checking that this build can use it.
    private static func check(_ connection: SQLiteConnection) throws -> Int {
        let version = try connection.integer("PRAGMA user_version") ?? 0
        let application = try connection.integer("PRAGMA application_id") ?? 0
        let tables = try connection.integer("SELECT count(*) FROM sqlite_schema") ?? 0
        if application != applicationID && (application != 0 || version != 0 || tables != 0) {
            throw StateStoreError(
                code: .foreignDatabase, step: "PRAGMA application_id", file: connection.path,
                reason: "not an extravasd state database (application_id \(application), "
                    + "user_version \(version), \(tables) schema objects)")
        }
        if version > currentVersion {
            throw StateStoreError(
                code: .schemaTooNew, step: "PRAGMA user_version", file: connection.path,
                reason: "schema version \(version) is newer than this extravasd's (\(currentVersion))")
        }
        return version
    }
}
