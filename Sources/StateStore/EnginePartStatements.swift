/// The statements on the engine state tables (`engine_state`, `engine_part`) that the
/// daemon's store (``SQLiteStore``) and replay's state file (``SQLitePartFile``) share.
extension SQLiteConnection {
    /// Replaces the one `engine_state` row's state and version.
    func writeEngineState(_ state: [UInt8], version: Int) throws {
        try withStatement("UPDATE engine_state SET version = ?1, state = ?2 WHERE id = 1") { statement in
            try statement.bind(version, at: 1)
            try statement.bind(state, at: 2)
            try statement.run()
        }
        guard changes == 1 else {
            throw StateStoreError(
                code: .corrupt, step: "UPDATE engine_state", file: path,
                reason: "the engine_state row is missing")
        }
    }

    /// The stored engine state and its version, or `nil` before the first.
    func engineStateRow() throws -> (version: Int, bytes: [UInt8])? {
        try withStatement("SELECT version, state FROM engine_state WHERE id = 1") { statement in
            guard try statement.step(), !statement.isNull(at: 1) else { return nil }
            return (statement.int(at: 0), statement.blob(at: 1))
        }
    }

    /// Removes the parts with these kinds and keys.
    func removeEngineParts(_ keys: [EnginePartKey]) throws {
        try runEach("DELETE FROM engine_part WHERE kind = ?1 AND key = ?2", over: keys) { statement, key in
            try statement.bind(key.kind, at: 1)
            try statement.bind(key.key, at: 2)
        }
    }

    /// Stores the parts, replacing those with the same kind and key (value and due time).
    func upsertEngineParts(_ parts: [EnginePart]) throws {
        try runEach(
            """
            INSERT INTO engine_part (kind, key, value, due) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, due = excluded.due
            """, over: parts
        ) { statement, part in
            try statement.bind(part.kind, at: 1)
            try statement.bind(part.key, at: 2)
            try statement.bind(part.value, at: 3)
            if let due = part.due { try statement.bind(due, at: 4) } else { try statement.bindNull(at: 4) }
        }
    }

    /// The parts of the kinds in `kinds` and, of `unknownDueKinds`, those with no due
    /// time (both empty: every part), by kind, then key.
    func engineParts(kinds: [Int]? = nil, unknownDueKinds: [Int] = []) throws -> [EnginePart] {
        func list(_ values: [Int]) -> String {
            values.isEmpty ? "NULL" : values.map(String.init).joined(separator: ", ")
        }
        let condition =
            kinds.map {
                "WHERE kind IN (\(list($0))) OR (kind IN (\(list(unknownDueKinds))) AND due IS NULL)"
            } ?? ""
        return try withStatement(
            "SELECT kind, key, value, due FROM engine_part \(condition) ORDER BY kind, key"
        ) {
            statement in
            var parts: [EnginePart] = []
            while try statement.step() {
                parts.append(
                    EnginePart(
                        kind: statement.int(at: 0), key: statement.blob(at: 1), value: statement.blob(at: 2),
                        due: statement.isNull(at: 3) ? nil : statement.int64(at: 3)))
            }
            return parts
        }
    }
}
