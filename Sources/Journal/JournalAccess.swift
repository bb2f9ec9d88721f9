/// Reading entries back from where they were sent: what the daemon needs to confirm
/// that journald kept its alerts (``JournalReader``, ``JournalFollower``), or, in tests,
/// an in-memory journal. Entries are field name to value, with the trusted fields a
/// journal adds (`_PID`, `_UID`, `_COMM`, `_BOOT_ID`, `_SYSTEMD_UNIT`).
public protocol JournalAccess: Sendable {
    /// A reader of the whole journal.
    func reader() async throws -> any JournalReading
    /// A follower of the entries whose fields equal all of `match`, from `start`.
    func follower(matching match: [String: String], from start: JournalFollowStart) async throws
        -> any JournalFollowing
}

extension JournalAccess {
    /// A follower of the entries written from now on whose fields equal all of `match`.
    public func follower(matching match: [String: String]) async throws -> any JournalFollowing {
        try await follower(matching: match, from: .end)
    }
}

/// Queries over the entries of a journal.
public protocol JournalReading: Sendable {
    /// Every entry whose fields equal all of `match`, oldest first.
    func entries(matching match: [String: String]) async throws -> [[String: String]]
    /// The first entry whose fields equal all of `match`, waiting up to `timeout` for one.
    func firstEntry(matching match: [String: String], timeout: Duration) async throws -> [String: String]?
    /// Every entry matching `match` written at or after `since` (microseconds since the
    /// epoch), oldest first, with those of `fields` it carries plus `__CURSOR` and
    /// `__REALTIME_TIMESTAMP`.
    func entries(matching match: JournalMatch, fields: [String], since: Int64) async throws
        -> [[String: String]]
    /// Ends the reader; later queries throw.
    func close()
}

extension JournalReading {
    /// Every entry, filtered by `match` and `__REALTIME_TIMESTAMP` (a reader without a
    /// seek by time).
    public func entries(matching match: JournalMatch, fields: [String], since: Int64) async throws
        -> [[String: String]]
    {
        try await entries(matching: [:]).filter { entry in
            (entry["__REALTIME_TIMESTAMP"].flatMap { Int64($0) } ?? 0) >= since
                && (match.alternatives.isEmpty
                    || match.alternatives.contains { alternative in
                        alternative.allSatisfy { field, values in entry[field].map(values.contains) ?? false }
                    })
        }.map { entry in entry.filter { fields.contains($0.key) || $0.key.hasPrefix("__") } }
    }
}

/// New entries of a journal as they are written.
public protocol JournalFollowing: Sendable {
    /// The entries written since the last call (only `fields` of each, plus `__CURSOR`),
    /// waiting up to `wait` for the first.
    func next(fields: [String], wait: Duration) async throws -> [[String: String]]
    /// Ends the follower; a waiting or later call throws.
    func close()
}

/// The local journal through libsystemd.
public struct LocalJournalAccess: JournalAccess {
    /// Creates the access.
    public init() {}

    /// A ``JournalReader`` of the local journal.
    public func reader() async throws -> any JournalReading { try await JournalReader() }

    /// A ``JournalFollower`` of the local journal.
    public func follower(matching match: [String: String], from start: JournalFollowStart) async throws
        -> any JournalFollowing
    {
        try await JournalFollower(matching: match, from: start)
    }
}

extension JournalReader: JournalReading {
    /// Reads page by page from `since` (libsystemd seeks there by time).
    public func entries(matching match: JournalMatch, fields: [String], since: Int64) async throws
        -> [[String: String]]
    {
        var all: [[String: String]] = []
        var cursor: String?
        let limit = 1024
        while true {
            let page = try await page(
                matching: match, fields: fields, after: cursor,
                since: cursor == nil ? since : nil,
                limit: limit)
            all += page
            guard page.count == limit, let last = page.last?["__CURSOR"] else { return all }
            cursor = last
        }
    }
}
extension JournalFollower: JournalFollowing {}
