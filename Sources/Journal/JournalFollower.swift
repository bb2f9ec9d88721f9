/// Follows the journal: returns the entries matching a filter as they are appended, from
/// the moment it was opened (the daemon reads its own alerts back this way), from the
/// journal's head, or from just after a saved cursor (the daemon takes up
/// acknowledgements this way: none is missed across restarts).
///
/// Like ``JournalReader`` it owns a dedicated thread that opens, reads and closes its
/// `sd_journal` handle (libsystemd binds a handle to one thread); ``next(fields:wait:)``
/// hops there and back. The handle is closed and the thread ends on ``close()`` or when
/// the follower is deinitialized.
public final class JournalFollower: Sendable {
    private let thread: JournalThread<JournalHandle>

    /// Opens `source` on a new dedicated thread and starts following entries whose fields
    /// equal all of `match` (trusted fields such as `_PID` included), from `start` (by
    /// default its end).
    ///
    /// - Throws: ``SystemdError`` when libsystemd cannot open the journal.
    public convenience init(
        _ source: JournalReader.Source = .local, matching match: [String: String],
        from start: JournalFollowStart = .end
    ) async throws {
        try await self.init(source, matchingAny: JournalMatch(match), from: start)
    }

    /// Opens `source` on a new dedicated thread and starts following the entries matching
    /// `match` (any of its alternatives), from `start` (by default its end).
    ///
    /// - Throws: ``SystemdError`` when libsystemd cannot open the journal.
    public init(
        _ source: JournalReader.Source = .local, matchingAny match: JournalMatch,
        from start: JournalFollowStart = .end
    ) async throws {
        let thread = JournalThread(name: "extravasd.journal-follower", resource: JournalHandle()) {
            $0.close()
        }
        do {
            try await thread.run { handle in
                try handle.open(source)
                try handle.follow(matching: match, from: start)
            }
        } catch {
            thread.shutdown()
            throw error
        }
        self.thread = thread
    }

    deinit {
        thread.shutdown()
    }

    /// The matching entries appended since the last call, oldest first, each with those
    /// of `fields` it carries (plus `__CURSOR` and `__REALTIME_TIMESTAMP`, microseconds
    /// since the epoch). At most 10,000 a call. When there are none yet it waits up to
    /// `wait` for journald's change signal (which journald sends every few hundred
    /// milliseconds at most, so a short `wait` means looking more often).
    ///
    /// - Throws: ``SystemdError`` from libsystemd, ``JournalReaderError/closed``.
    public func next(fields: [String], wait: Duration) async throws -> [[String: String]] {
        try await thread.run { handle in try handle.newEntries(fields: fields, timeout: wait) }
    }

    /// Closes the handle once a read already started has finished; safe to call more
    /// than once.
    public func close() {
        thread.shutdown()
    }
}
