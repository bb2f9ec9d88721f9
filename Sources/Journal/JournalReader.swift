/// Reads entries back from the journal (tests, reconciliation, `extravasd alerts`).
///
/// libsystemd requires an `sd_journal` handle to stay on one thread for its life, so
/// the reader owns a dedicated thread that opens, queries and closes the handle; the
/// async methods hop to it and back. Queries run one at a time. The handle is closed
/// and the thread ends when the reader is deinitialized or ``close()`` is called.
///
/// Journald writes asynchronously: an entry sent a moment ago may not be readable yet
/// (`journalctl --sync` waits until it is).
public final class JournalReader: Sendable {
    /// Which journal files to read.
    public enum Source: Sendable, Hashable {
        /// The journals of this machine (`/run/log/journal`, `/var/log/journal`),
        /// as `sd_journal_open(SD_JOURNAL_LOCAL_ONLY)` finds them.
        case local
        /// The journal files in one directory (`sd_journal_open_directory`).
        case directory(String)
    }

    private let thread: JournalThread<JournalHandle>

    /// Opens `source` on a new dedicated thread.
    ///
    /// - Throws: ``SystemdError`` when libsystemd cannot open the journal.
    public init(_ source: Source = .local) async throws {
        let thread = JournalThread(name: "extravasd.journal-reader", resource: JournalHandle()) { $0.close() }
        do {
            try await thread.run { handle in try handle.open(source) }
        } catch {
            thread.shutdown()
            throw error
        }
        self.thread = thread
    }

    deinit {
        thread.shutdown()
    }

    /// Every entry, oldest first, whose fields equal all of `match` (field name to
    /// value, e.g. `["SYSLOG_IDENTIFIER": "extravasd"]`; an empty match returns every
    /// entry). Names may be any journal field, trusted ones (`_SYSTEMD_UNIT`) included.
    ///
    /// Each entry maps field names to values decoded as UTF-8 (invalid sequences become
    /// U+FFFD; use ``rawEntries(matching:)`` for exact bytes). It holds the fields sent,
    /// the fields journald added (`_PID`, `_BOOT_ID`, ...) and `__CURSOR` and
    /// `__REALTIME_TIMESTAMP` (microseconds since the epoch). A field sent more than
    /// once keeps its first value.
    ///
    /// - Throws: ``SystemdError`` from libsystemd, ``JournalReaderError/closed``.
    public func entries(matching match: [String: String]) async throws -> [[String: String]] {
        try await rawEntries(matching: match).map { entry in
            entry.mapValues { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Like ``entries(matching:)`` with the values as raw bytes.
    ///
    /// - Throws: ``SystemdError`` from libsystemd, ``JournalReaderError/closed``.
    public func rawEntries(matching match: [String: String]) async throws -> [[String: [UInt8]]] {
        try await thread.run { handle in try handle.entries(matching: match) }
    }

    /// The first entry whose fields equal all of `match`, waiting up to `timeout` for one
    /// to become readable (looking again every millisecond: journald's own change
    /// signal comes only every few hundred); `nil` when none did. Fields as in
    /// ``entries(matching:)``.
    ///
    /// - Throws: ``SystemdError`` from libsystemd, ``JournalReaderError/closed``.
    public func firstEntry(matching match: [String: String], timeout: Duration) async throws -> [String:
        String]?
    {
        try await thread.run { handle in
            try handle.firstEntry(matching: match, timeout: timeout)?.mapValues {
                String(decoding: $0, as: UTF8.self)
            }
        }
    }

    /// One page of the entries matching `match`, oldest first: at most `limit`, each with
    /// those of `fields` it carries (values decoded as UTF-8) plus `__CURSOR` and
    /// `__REALTIME_TIMESTAMP`. The page starts just after the entry at `cursor` (the last
    /// one of the previous page), else at the first entry written at or after `since`
    /// (microseconds since the epoch), else at the head, and ends before the first entry
    /// written after `until`. Reading page by page keeps a long journal's read going in
    /// steps a caller can report; a page shorter than `limit` is the last.
    ///
    /// - Throws: ``SystemdError`` from libsystemd, ``JournalReaderError/closed``.
    public func page(
        matching match: JournalMatch, fields: [String], after cursor: String? = nil, since: Int64? = nil,
        until: Int64? = nil, limit: Int
    ) async throws -> [[String: String]] {
        try await thread.run { handle in
            try handle.page(
                matching: match, fields: fields, after: cursor, since: since, until: until, limit: limit)
        }
    }

    /// Closes the handle once queries already started have finished; later queries
    /// throw ``JournalReaderError/closed``. Safe to call more than once.
    public func close() {
        thread.shutdown()
    }
}
