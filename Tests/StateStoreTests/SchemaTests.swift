import Foundation
import StateStore
import Testing

@Suite("SQLiteStore schema")
struct SchemaTests {
    @Test func theSchemaVersionAndApplicationIDAreRecorded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await SQLiteStore(directory: directory.path).close()
        let raw = try RawDatabase(path: directory.databasePath)
        #expect(try raw.integer("PRAGMA user_version") == 6)
        #expect(try raw.integer("PRAGMA application_id") == 0x4558_5456)
    }

    @Test func aDatabaseOfANewerSchemaIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await SQLiteStore(directory: directory.path).close()
        try RawDatabase(path: directory.databasePath).execute("PRAGMA user_version = 99")
        let error = #expect(throws: StateStoreError.self) { try SQLiteStore(directory: directory.path) }
        #expect(error?.code == .schemaTooNew)
        #expect(error?.step == "PRAGMA user_version")
    }

    @Test func anotherApplicationsDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try RawDatabase(path: directory.databasePath).execute("CREATE TABLE notes (text TEXT)")
        let error = #expect(throws: StateStoreError.self) { try SQLiteStore(directory: directory.path) }
        #expect(error?.code == .foreignDatabase)
    }

    @Test func aFileThatIsNotADatabaseIsCorrupt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = Array(String(repeating: "MSH|^~\\&|not a database\r", count: 200).utf8)
        #expect(
            FileManager.default.createFile(
                atPath: directory.databasePath, contents: Data(text), attributes: [.posixPermissions: 0o600]))
        let error = #expect(throws: StateStoreError.self) { try SQLiteStore(directory: directory.path) }
        #expect(error?.code == .corrupt)
        #expect(error?.description.contains("file is not a database") == true)
    }

    @Test func aVersionOneDatabaseIsMigratedAndKeepsItsCheckpointsWithAnEmptyTail() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A database as version 1 left it, with one checkpoint.
        let raw = try RawDatabase(path: directory.databasePath)
        try raw.execute(
            """
            PRAGMA application_id = \(0x4558_5456);
            CREATE TABLE file_checkpoint (
                device INTEGER NOT NULL,
                inode INTEGER NOT NULL,
                fingerprint BLOB NOT NULL CHECK (length(fingerprint) <= 64),
                path TEXT NOT NULL,
                byte_offset INTEGER NOT NULL CHECK (byte_offset >= 0),
                PRIMARY KEY (device, inode)
            ) WITHOUT ROWID;
            CREATE TABLE engine_state (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, state BLOB);
            INSERT INTO engine_state (id, version, state) VALUES (1, 0, NULL);
            CREATE TABLE alert_outbox (
                created_seq INTEGER PRIMARY KEY AUTOINCREMENT,
                alert_id TEXT NOT NULL UNIQUE,
                payload BLOB NOT NULL,
                delivered INTEGER NOT NULL DEFAULT 0 CHECK (delivered IN (0, 1))
            );
            CREATE INDEX alert_outbox_by_delivery ON alert_outbox (delivered, created_seq);
            INSERT INTO file_checkpoint (device, inode, fingerprint, path, byte_offset)
                VALUES (2049, 7, CAST('MSH|^~\\&|LAB' AS BLOB), '/feeds/lab.hl7', 4096);
            PRAGMA user_version = 1;
            """)

        let store = try SQLiteStore(directory: directory.path)
        #expect(
            try await store.checkpoints() == [Fixtures.checkpoint(7, path: "/feeds/lab.hl7", offset: 4096)])
        #expect(try await store.checkpoints().first?.tail == [])
        let withTail = FileCheckpoint(
            identity: Fixtures.identity(7), path: "/feeds/lab.hl7", offset: 8192,
            tail: Array(repeating: 0xA5, count: 12))
        try await store.commit(StoreBatch(checkpoints: [withTail]))
        #expect(try await store.checkpoints() == [withTail])
        await store.close()
        #expect(try raw.integer("PRAGMA user_version") == 6)
    }

    /// Removes what version 6 added (the index of pending reminders by write time),
    /// making a current database one of version 5.
    static func undoVersionSix(_ raw: RawDatabase) throws {
        try raw.execute("DROP INDEX alert_outbox_reminders_by_written")
    }

    /// Removes what versions 5 (on-call review) and 6 added, making a current database one
    /// of version 4.
    static func undoVersionFive(_ raw: RawDatabase) throws {
        try undoVersionSix(raw)
        try raw.execute(
            """
            DROP TABLE episode_suppression;
            DROP TABLE acknowledgement_cursor;
            DROP INDEX alert_outbox_by_episode;
            DROP INDEX alert_outbox_pending_reminders;
            ALTER TABLE alert_outbox DROP COLUMN episode;
            ALTER TABLE alert_outbox DROP COLUMN severity_rank;
            ALTER TABLE alert_outbox DROP COLUMN written_at;
            ALTER TABLE alert_outbox DROP COLUMN reminder;
            """)
    }

    /// A store in `directory` holding `outbox` (its first entry delivered), taken back to
    /// schema `version` by `undo`: the next open migrates it.
    static func storeTakenBack(
        to version: Int, by undo: (RawDatabase) throws -> Void, holding outbox: [OutboxEntry],
        in directory: TemporaryDirectory
    ) async throws -> RawDatabase {
        let store = try SQLiteStore(directory: directory.path)
        try await store.commit(StoreBatch(outbox: outbox))
        try await store.markDelivered([outbox[0].alertID], writtenAt: Fixtures.writtenAt)
        await store.close()
        let raw = try RawDatabase(path: directory.databasePath)
        try undo(raw)
        try raw.execute("PRAGMA user_version = \(version)")
        return raw
    }

    @Test func aVersionFiveDatabaseGetsTheIndexOfPendingRemindersByWriteTimeAndKeepsItsReminders()
        async throws
    {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var critical = Fixtures.alert("a")
        critical.review = OutboxReviewFacts(episode: "e", severityRank: 2, remindsIfUnacknowledged: true)
        let raw = try await Self.storeTakenBack(
            to: 5, by: Self.undoVersionSix, holding: [critical], in: directory)

        let migrated = try SQLiteStore(directory: directory.path)
        #expect(
            try await migrated.reminders(writtenAtOrBefore: Fixtures.writtenAt, limit: 10).due.map(\.alertID)
                == ["a"])
        await migrated.close()
        #expect(try raw.integer("PRAGMA user_version") == 6)
        #expect(
            try raw.integer(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'alert_outbox_reminders_by_written'"
            ) == 1)
    }

    @Test func aVersionFourDatabaseIsMigratedAndItsOutboxEntriesGetNoReminder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let raw = try await Self.storeTakenBack(
            to: 4, by: Self.undoVersionFive, holding: [Fixtures.alert("a"), Fixtures.alert("b")],
            in: directory)

        let migrated = try SQLiteStore(directory: directory.path)
        #expect(try await migrated.undeliveredAlerts() == [Fixtures.alert("b")])
        #expect(try await migrated.pendingReminders().isEmpty)
        #expect(try await migrated.episode(ofAlert: "a") == nil)
        #expect(
            try await migrated.storedReview() == StoredReview(acknowledgementCursor: nil, suppressions: []))
        await migrated.close()
        #expect(try raw.integer("PRAGMA user_version") == 6)
    }
}
