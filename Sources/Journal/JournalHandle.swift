import CSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An `sd_journal` reading handle. Not thread-safe and thread-bound: only
/// ``JournalThread`` creates and uses it, always from its one thread.
final class JournalHandle {
    private var journal: OpaquePointer?
    /// Where a follower stands (see ``follow(matching:)``): the last entry returned, or
    /// the journal's end when following began.
    private var followed: FollowPosition?

    private enum FollowPosition {
        case cursor(String)
        case realtime(UInt64)
        case head
    }

    /// Opens the journal named by `source`, replacing any handle already open.
    func open(_ source: JournalReader.Source) throws(SystemdError) {
        close()
        var opened: OpaquePointer?
        switch source {
        case .local:
            try SystemdError.check(sd_journal_open(&opened, Int32(SD_JOURNAL_LOCAL_ONLY)), "sd_journal_open")
        case .directory(let path):
            try SystemdError.check(sd_journal_open_directory(&opened, path, 0), "sd_journal_open_directory")
        }
        journal = opened
        // Return whole values, however long (the default truncates at 64 KiB).
        try SystemdError.check(sd_journal_set_data_threshold(opened, 0), "sd_journal_set_data_threshold")
        // Sets up inotify so `sd_journal_process` notices files created or rotated later.
        // Best effort: without it, entries in already-open files are still found.
        _ = sd_journal_get_fd(opened)
    }

    /// Closes the handle; safe to call when none is open.
    func close() {
        if let journal { sd_journal_close(journal) }
        journal = nil
        followed = nil
    }

    /// Every entry, oldest first, whose fields equal all of `match` (an empty match
    /// returns every entry). Each entry maps field names to raw values, including the
    /// fields journald added (`_PID`, ...) plus `__CURSOR` and `__REALTIME_TIMESTAMP`.
    func entries(matching match: [String: String], limit: Int = .max) throws -> [[String: [UInt8]]] {
        guard let journal else { throw JournalReaderError.closed }
        try SystemdError.check(sd_journal_process(journal), "sd_journal_process")
        sd_journal_flush_matches(journal)
        defer { sd_journal_flush_matches(journal) }
        for (name, value) in match.sorted(by: { $0.key < $1.key }) {
            let term = Array("\(name)=\(value)".utf8)
            let result = term.withUnsafeBytes { sd_journal_add_match(journal, $0.baseAddress, $0.count) }
            try SystemdError.check(result, "sd_journal_add_match")
        }
        try SystemdError.check(sd_journal_seek_head(journal), "sd_journal_seek_head")
        var entries: [[String: [UInt8]]] = []
        while entries.count < limit, try SystemdError.check(sd_journal_next(journal), "sd_journal_next") > 0 {
            entries.append(try currentEntry(journal))
        }
        return entries
    }

    /// The first entry matching `match`, waiting up to `timeout` for one to become
    /// readable; `nil` on timeout. journald writes entries through a shared mapping and
    /// signals readers (inotify) only every few hundred milliseconds, so the wait looks
    /// again every millisecond (`sd_journal_wait` with a 1 ms timeout) rather than
    /// sleeping until the signal.
    func firstEntry(matching match: [String: String], timeout: Duration) throws -> [String: [UInt8]]? {
        guard let journal else { throw JournalReaderError.closed }
        let deadline = ContinuousClock.now + timeout
        while true {
            // The whole query again each time: continuing a match past the end of the
            // journal does not always see entries appended later.
            if let entry = try entries(matching: match, limit: 1).first { return entry }
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return nil }
            let (seconds, attoseconds) = remaining.components
            let microseconds = UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
            _ = try SystemdError.check(
                sd_journal_wait(journal, min(1_000, max(1, microseconds))), "sd_journal_wait")
        }
    }

    /// The fields of the entry the handle points at. When a field occurs more than once
    /// the first value is kept; fields libsystemd cannot decode are skipped.
    private func currentEntry(_ journal: OpaquePointer) throws(SystemdError) -> [String: [UInt8]] {
        var fields: [String: [UInt8]] = [:]
        sd_journal_restart_data(journal)
        var data: UnsafeRawPointer?
        var length = 0
        while try SystemdError.check(
            sd_journal_enumerate_available_data(journal, &data, &length),
            "sd_journal_enumerate_available_data") > 0
        {
            guard let data else { continue }
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: bytes[..<equals], as: UTF8.self)
            if fields[name] == nil {
                fields[name] = Array(bytes[(equals + 1)...])
            }
        }
        var cursor: UnsafeMutablePointer<CChar>?
        try SystemdError.check(sd_journal_get_cursor(journal, &cursor), "sd_journal_get_cursor")
        if let cursor {
            fields["__CURSOR"] = Array(String(cString: cursor).utf8)
            free(cursor)
        }
        var realtime: UInt64 = 0
        try SystemdError.check(
            sd_journal_get_realtime_usec(journal, &realtime), "sd_journal_get_realtime_usec")
        fields["__REALTIME_TIMESTAMP"] = Array(String(realtime).utf8)
        return fields
    }
}

extension JournalHandle {
    /// From now on, ``newEntries(fields:timeout:)`` returns the entries matching `match`
    /// from `start`: appended after this call (`.end`), from the journal's head, or after
    /// a cursor. The handle then serves no other query.
    func follow(matching match: [String: String], from start: JournalFollowStart = .end) throws(SystemdError)
    {
        guard let journal else { throw SystemdError(function: "sd_journal_seek_tail", errno: EBADF) }
        try SystemdError.check(sd_journal_process(journal), "sd_journal_process")
        sd_journal_flush_matches(journal)
        for (name, value) in match.sorted(by: { $0.key < $1.key }) {
            let term = Array("\(name)=\(value)".utf8)
            let result = term.withUnsafeBytes { sd_journal_add_match(journal, $0.baseAddress, $0.count) }
            try SystemdError.check(result, "sd_journal_add_match")
        }
        switch start {
        case .head:
            followed = .head
        case .after(let cursor):
            followed = .cursor(cursor)
        case .end:
            try SystemdError.check(sd_journal_seek_tail(journal), "sd_journal_seek_tail")
            var position = FollowPosition.realtime(UInt64(realtimeMicroseconds()))
            if try SystemdError.check(sd_journal_previous(journal), "sd_journal_previous") > 0 {
                position = .cursor(try cursor(journal))
            }
            followed = position
        }
    }

    /// The entries appended since the last call (or from where ``follow(matching:from:)``
    /// started), oldest first, each with those of `fields` it carries (plus `__CURSOR` and
    /// `__REALTIME_TIMESTAMP`); waits up to
    /// `timeout` for journald's change signal when there are none yet.
    ///
    /// The handle seeks back to where it stood each time: continuing a match past the end
    /// of the journal does not always see entries appended later (nor, after journald
    /// restarts, entries in the file it opens then).
    func newEntries(fields: [String], timeout: Duration) throws(SystemdError) -> [[String: String]] {
        guard let journal, let position = followed else {
            throw SystemdError(function: "sd_journal_next", errno: EBADF)
        }
        var found = try entries(after: position, fields: fields, journal)
        if found.isEmpty {
            let (seconds, attoseconds) = timeout.components
            let microseconds =
                UInt64(max(0, seconds)) * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
            _ = try SystemdError.check(sd_journal_wait(journal, max(1, microseconds)), "sd_journal_wait")
            found = try entries(after: position, fields: fields, journal)
        }
        return found
    }

    private func entries(after position: FollowPosition, fields: [String], _ journal: OpaquePointer)
        throws(SystemdError) -> [[String: String]]
    {
        try SystemdError.check(sd_journal_process(journal), "sd_journal_process")
        switch position {
        case .cursor(let cursor):
            // A cursor libsystemd cannot parse (a state moved from another machine, a
            // damaged one): from the head, rather than never again.
            guard sd_journal_seek_cursor(journal, cursor) >= 0 else {
                followed = .head
                return try entries(after: .head, fields: fields, journal)
            }
            // The entry at the cursor was returned already; `next` lands on it, or on the
            // first one after it when it is gone (a file deleted).
            guard try SystemdError.check(sd_journal_next(journal), "sd_journal_next") > 0 else { return [] }
            if sd_journal_test_cursor(journal, cursor) <= 0 {
                try SystemdError.check(sd_journal_previous(journal), "sd_journal_previous")
            }
        case .realtime(let microseconds):
            try SystemdError.check(
                sd_journal_seek_realtime_usec(journal, microseconds), "sd_journal_seek_realtime_usec")
        case .head:
            try SystemdError.check(sd_journal_seek_head(journal), "sd_journal_seek_head")
        }
        var found: [[String: String]] = []
        while found.count < 10_000, try SystemdError.check(sd_journal_next(journal), "sd_journal_next") > 0 {
            var entry: [String: String] = [:]
            for name in fields {
                var data: UnsafeRawPointer?
                var length = 0
                guard sd_journal_get_data(journal, name, &data, &length) >= 0, let data else { continue }
                let bytes = UnsafeRawBufferPointer(start: data, count: length)
                guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { continue }
                entry[name] = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
            }
            let current = try cursor(journal)
            entry["__CURSOR"] = current
            var realtime: UInt64 = 0
            if sd_journal_get_realtime_usec(journal, &realtime) >= 0 {
                entry["__REALTIME_TIMESTAMP"] = String(realtime)
            }
            followed = .cursor(current)
            found.append(entry)
        }
        return found
    }

    private func cursor(_ journal: OpaquePointer) throws(SystemdError) -> String {
        var cursor: UnsafeMutablePointer<CChar>?
        try SystemdError.check(sd_journal_get_cursor(journal, &cursor), "sd_journal_get_cursor")
        guard let cursor else { return "" }
        defer { free(cursor) }
        return String(cString: cursor)
    }
}

/// Microseconds since the epoch (CLOCK_REALTIME), as journald stamps entries.
private func realtimeMicroseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
}
