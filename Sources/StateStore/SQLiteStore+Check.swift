import CSQLite

#if canImport(Glibc)
    import Glibc
#endif

extension SQLiteStore {
    /// The file beside the database that says its last connection was closed (a clean
    /// stop); removed at each open, so a crash leaves none.
    public static let cleanStopMarkerName = "extravasd.sqlite.clean-stop"

    /// The tables every state database has.
    static let requiredTables = [
        "file_checkpoint", "engine_state", "alert_outbox", "engine_part", "episode_suppression",
        "acknowledgement_cursor",
    ]

    /// Checks the state database of `directory` without changing it: `PRAGMA quick_check`,
    /// the schema version and tables, the checkpoints against the files they name.
    public static func check(directory: String) -> StoreCheck {
        let path = databasePath(in: directory)
        var info = stat()
        guard lstat(path, &info) == 0 else {
            var result = StoreCheck(path: path, exists: false)
            result.notes.append("no state database yet: the first start creates it")
            return result
        }
        var result = StoreCheck(path: path, exists: true)
        guard info.st_mode & S_IFMT == S_IFREG else {
            result.problems.append("not a regular file")
            return result
        }
        let marker = directory + "/" + cleanStopMarkerName
        result.notes.append(
            access(marker, F_OK) == 0
                ? "last stop: clean" : "last stop: not clean (killed, crashed, or still running)")
        do {
            let connection = try SQLiteConnection(path: path)
            defer { connection.close() }
            try connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            result.problems += try quickCheck(connection)
            let version = try connection.integer("PRAGMA user_version") ?? 0
            if version > StoreSchema.currentVersion {
                result.problems.append(
                    "schema version \(version) is newer than this extravasd's (\(StoreSchema.currentVersion))"
                )
            } else if version < StoreSchema.currentVersion {
                result.notes.append(
                    "schema version \(version): migrated to \(StoreSchema.currentVersion) at the next start")
            } else {
                result.notes.append("schema version \(version)")
            }
            let tables = try connection.withStatement("SELECT name FROM sqlite_master WHERE type = 'table'") {
                statement in
                var names: Set<String> = []
                while try statement.step() { names.insert(statement.text(at: 0)) }
                return names
            }
            let missing = requiredTables.filter { !tables.contains($0) }
            if !missing.isEmpty, version > 0 {
                result.problems.append("tables missing: \(missing.joined(separator: ", "))")
            }
            guard missing.isEmpty else { return result }
            let undelivered =
                try connection.integer("SELECT count(*) FROM alert_outbox WHERE delivered = 0") ?? 0
            if undelivered > 0 {
                result.notes.append(
                    "\(undelivered) alert(s) not yet confirmed delivered: reconciled with the journal at the next start"
                )
            }
            result.checkpoints = try connection.fileCheckpoints()
            for checkpoint in result.checkpoints {
                var file = stat()
                if stat(checkpoint.path, &file) != 0 {
                    result.notes.append(
                        "checkpoint \(checkpoint.path) at \(checkpoint.offset): the file is gone (rotated or removed)"
                    )
                } else if UInt64(file.st_dev) != checkpoint.identity.device
                    || UInt64(file.st_ino) != checkpoint.identity.inode
                {
                    result.notes.append(
                        "checkpoint \(checkpoint.path) at \(checkpoint.offset): another file is there now "
                            + "(rotated; the checkpoint follows the old file)")
                } else if Int(file.st_size) < checkpoint.offset {
                    result.notes.append(
                        "checkpoint \(checkpoint.path) at \(checkpoint.offset): the file is shorter "
                            + "(\(file.st_size) bytes): truncated, it is read again from its start")
                }
            }
        } catch let error as StateStoreError {
            result.problems.append("\(error.step): \(error.reason)")
        } catch {
            result.problems.append("\(error)")
        }
        return result
    }

    /// `PRAGMA quick_check`'s findings (empty when it answers `ok`), at most 20.
    static func quickCheck(_ connection: SQLiteConnection) throws -> [String] {
        let rows = try connection.withStatement("PRAGMA quick_check(20)") { statement in
            var rows: [String] = []
            while try statement.step() { rows.append(statement.text(at: 0)) }
            return rows
        }
        guard rows != ["ok"] else { return [] }
        // One finding a line (SQLite may put several in one row), without its headings.
        return rows.flatMap { $0.split(separator: "\n") }.filter { !$0.hasPrefix("*** in database") }
            .prefix(20).map { "quick_check: \($0)" }
    }

    /// `directory` without trailing slashes (`/` stays `/`).
    static func normalized(_ directory: String) -> String {
        var directory = directory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        return directory
    }

    /// `<directory>/extravasd.sqlite`, without a trailing slash doubled.
    static func databasePath(in directory: String) -> String {
        let directory = normalized(directory)
        return (directory == "/" ? "" : directory) + "/" + fileName
    }

    /// At open: after a stop that was not clean (no marker), `PRAGMA quick_check` must
    /// answer `ok`, or the store refuses to open, naming the file; then the marker goes.
    static func checkAfterUncleanStop(_ connection: SQLiteConnection, directory: String, existed: Bool) throws
    {
        let marker = directory + "/" + cleanStopMarkerName
        let clean = access(marker, F_OK) == 0
        if existed && !clean {
            let problems: [String]
            do {
                problems = try quickCheck(connection)
            } catch let error as StateStoreError where error.code == .corrupt {
                // Damage that stops the check itself (a page it must read first).
                problems = ["quick_check: \(error.reason)"]
            }
            if !problems.isEmpty {
                throw StateStoreError(
                    code: .corrupt, step: "PRAGMA quick_check", file: connection.path,
                    reason:
                        "the state database is damaged (\(problems.count == 20 ? "20 or more" : "\(problems.count)") "
                        + "finding(s), first: \(problems[0].dropFirst("quick_check: ".count))); nothing was changed. "
                        + "`extravasd state check` lists them; `extravasd state rebuild --from FEED...` builds a "
                        + "new store from the retained feeds")
            }
        }
        if clean {
            unlink(marker)
            try? StoreFile.syncDirectory(directory)
        }
    }

    /// At a clean close: the marker, made durable.
    static func markCleanStop(directory: String) {
        let marker = directory + "/" + cleanStopMarkerName
        let fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        fsync(fd)
        Glibc.close(fd)
        try? StoreFile.syncDirectory(directory)
    }
}

extension SQLiteConnection {
    /// Every stored checkpoint, by path, then device and inode.
    func fileCheckpoints() throws -> [FileCheckpoint] {
        try withStatement(
            "SELECT device, inode, fingerprint, path, byte_offset, tail FROM file_checkpoint ORDER BY path, device, inode"
        ) { statement in
            var checkpoints: [FileCheckpoint] = []
            while try statement.step() {
                checkpoints.append(
                    FileCheckpoint(
                        identity: FileIdentity(
                            device: statement.uint64(at: 0), inode: statement.uint64(at: 1),
                            fingerprint: statement.blob(at: 2)),
                        path: statement.text(at: 3), offset: statement.int(at: 4), tail: statement.blob(at: 5)
                    ))
            }
            return checkpoints
        }
    }
}
