import PostgresNIO
import StateStore

/// The tables of the PostgreSQL store and their migrations, versioned by the one row of
/// `schema_version` (its `application` is `extravasd`), all in the settings' schema.
///
/// Version 1 holds what the SQLite store's schema version 5 holds (``SQLiteStore``), with
/// `bytea` for bytes and `bigint` for integers:
/// - `file_checkpoint`: one row per followed file, keyed by device and inode (stored as
///   the bit patterns of the unsigned numbers), with its fingerprint, path, offset and tail;
/// - `engine_state`: exactly one row (id 1), its `state` NULL until the first commit;
/// - `engine_part`: pieces of the engine state by kind and key, with their due time and
///   an index by kind and due time;
/// - `alert_outbox`: alerts by creation order (an identity column: numbers are never
///   reused) with a unique alert id, whether delivered and when it was written, its
///   episode and severity rank, and its reminder (0 none, 1 pending, 2 fired, 3 stopped);
/// - `episode_suppression` (by episode) and `acknowledgement_cursor` (one row).
///
/// Version 2 adds `leadership` (DESIGN.md section 10): one row (id 1) naming the lease's
/// holder, its fencing token (each takeover takes the next), since when it holds it, and
/// when the lease expires (the database's clock); see ``LeaderLease``.
///
/// Version 3 makes the store the shared record of alerts and acknowledgements
/// (DESIGN.md section 10): `acknowledgement`, one row per `extravasd ack` on any host
/// (alert id, by, disposition, note, when, host, the writer's uid), numbered in commit
/// order (``PostgreSQLStore/recordAcknowledgement(_:)`` takes an advisory lock), with
/// indexes by alert and by time; and an index of the delivered alerts by the time
/// written, which `extravasd alerts` and `report` read and pruning keeps for
/// `store.retention_days`.
///
/// Version 4 adds an index of the pending reminders by the time their alert was written
/// (as the SQLite store's version 6), so that the daemon reads only the reminders due.
///
/// Later versions append to ``migrations``.
enum PostgreSQLSchema {
    /// The schema version this build writes and reads.
    static let currentVersion = 4

    /// `schema_version.application` of an extravasd store.
    static let application = "extravasd"

    /// The statements that bring the schema from version `index` to `index + 1`.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE schema_version (
                id integer PRIMARY KEY CHECK (id = 1),
                version integer NOT NULL,
                application text NOT NULL
            )
            """,
            """
            CREATE TABLE file_checkpoint (
                device bigint NOT NULL,
                inode bigint NOT NULL,
                fingerprint bytea NOT NULL CHECK (length(fingerprint) <= \(FileIdentity.maximumFingerprintLength)),
                path text NOT NULL,
                byte_offset bigint NOT NULL CHECK (byte_offset >= 0),
                tail bytea NOT NULL DEFAULT '\\x' CHECK (length(tail) <= \(FileCheckpoint.maximumTailLength)),
                PRIMARY KEY (device, inode)
            )
            """,
            """
            CREATE TABLE engine_state (
                id integer PRIMARY KEY CHECK (id = 1),
                version bigint NOT NULL,
                state bytea
            )
            """,
            "INSERT INTO engine_state (id, version, state) VALUES (1, 0, NULL)",
            """
            CREATE TABLE engine_part (
                kind bigint NOT NULL,
                key bytea NOT NULL,
                value bytea NOT NULL,
                due bigint,
                PRIMARY KEY (kind, key)
            )
            """,
            "CREATE INDEX engine_part_by_due ON engine_part (kind, due) WHERE due IS NOT NULL",
            """
            CREATE TABLE alert_outbox (
                created_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                alert_id text NOT NULL UNIQUE,
                payload bytea NOT NULL,
                delivered boolean NOT NULL DEFAULT false,
                episode text,
                severity_rank bigint,
                written_at bigint,
                reminder smallint NOT NULL DEFAULT 0 CHECK (reminder IN (0, 1, 2, 3))
            )
            """,
            "CREATE INDEX alert_outbox_by_delivery ON alert_outbox (delivered, created_seq)",
            "CREATE INDEX alert_outbox_by_episode ON alert_outbox (episode) WHERE episode IS NOT NULL",
            "CREATE INDEX alert_outbox_pending_reminders ON alert_outbox (created_seq) WHERE reminder = 1",
            """
            CREATE TABLE episode_suppression (
                episode text PRIMARY KEY,
                until bigint NOT NULL,
                severity_ceiling bigint NOT NULL,
                acknowledged_alert_id text NOT NULL
            )
            """,
            """
            CREATE TABLE acknowledgement_cursor (
                id integer PRIMARY KEY CHECK (id = 1),
                cursor text NOT NULL
            )
            """,
        ],
        [
            """
            CREATE TABLE leadership (
                id integer PRIMARY KEY CHECK (id = 1),
                holder text NOT NULL,
                token bigint NOT NULL,
                since timestamptz NOT NULL,
                expires_at timestamptz NOT NULL
            )
            """
        ],
        [
            """
            CREATE TABLE acknowledgement (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                alert_id text NOT NULL,
                acknowledged_by text NOT NULL,
                disposition text,
                note text,
                acknowledged_at bigint NOT NULL,
                host text NOT NULL,
                writer_uid bigint
            )
            """,
            "CREATE INDEX acknowledgement_by_alert ON acknowledgement (alert_id)",
            "CREATE INDEX acknowledgement_by_time ON acknowledgement (acknowledged_at)",
            "CREATE INDEX alert_outbox_delivered_by_written ON alert_outbox (written_at, created_seq) WHERE delivered",
        ],
        [
            "CREATE INDEX alert_outbox_reminders_by_written ON alert_outbox (written_at) WHERE reminder = 1"
        ],
    ]

    /// Creates or migrates the schema to ``currentVersion`` in one transaction, under an
    /// advisory lock (two daemons opening one schema at once migrate it once).
    ///
    /// - Throws: ``StateStoreError`` with ``StateStoreError/Code/schemaTooNew`` for a
    ///   schema of a newer extravasd, ``StateStoreError/Code/foreignDatabase`` for a
    ///   schema holding other tables, or the PostgreSQL failure.
    static func migrate(_ connection: PostgreSQLConnection) throws {
        if try check(connection) == currentVersion { return }
        try connection.transaction {
            try connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext('extravasd schema ' || current_schema())::bigint)")
            let version = try check(connection)
            guard version < currentVersion else { return }
            for steps in migrations[version...] {
                for sql in steps { try connection.execute(PostgresQuery(unsafeSQL: sql)) }
            }
            try connection.execute(
                """
                INSERT INTO schema_version (id, version, application) VALUES (1, \(currentVersion), \(application))
                ON CONFLICT (id) DO UPDATE SET version = excluded.version
                """)
        }
    }

    /// The schema's version (0: empty, no tables yet), after checking that this build can use it.
    static func version(_ connection: PostgreSQLConnection) throws -> Int {
        try check(connection)
    }

    private static func check(_ connection: PostgreSQLConnection) throws -> Int {
        let tables =
            try connection.firstRow(
                "SELECT count(*)::bigint FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
            ) { try $0.decode(Int64.self) } ?? 0
        let hasVersion =
            try connection.firstRow("SELECT to_regclass('schema_version') IS NOT NULL") {
                try $0.decode(Bool.self)
            } ?? false
        guard hasVersion else {
            if tables != 0 {
                throw StateStoreError(
                    code: .foreignDatabase, step: "schema_version", file: connection.name,
                    reason: "the schema holds \(tables) tables but no schema_version: not an extravasd store")
            }
            return 0
        }
        let row = try connection.firstRow("SELECT version, application FROM schema_version WHERE id = 1") {
            try $0.decode((Int32, String).self)
        }
        guard let (version, owner) = row, owner == application else {
            throw StateStoreError(
                code: .foreignDatabase, step: "schema_version", file: connection.name,
                reason: "schema_version names no extravasd store")
        }
        if Int(version) > currentVersion {
            throw StateStoreError(
                code: .schemaTooNew, step: "schema_version", file: connection.name,
                reason: "schema version \(version) is newer than this extravasd's (\(currentVersion))")
        }
        return Int(version)
    }
}
