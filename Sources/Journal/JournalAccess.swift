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
    /// Ends the reader; later queries throw.
    func close()
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

extension JournalReader: JournalReading {}
extension JournalFollower: JournalFollowing {}
