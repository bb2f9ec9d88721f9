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
        try follow(matching: JournalMatch(match), from: start)
    }

    /// Like ``follow(matching:from:)-([String: String],_)`` with any ``JournalMatch``.
    func follow(matching match: JournalMatch, from start: JournalFollowStart = .end) throws(SystemdError) {
        guard let journal else { throw SystemdError(function: "sd_journal_seek_tail", errno: EBADF) }
        try SystemdError.check(sd_journal_process(journal), "sd_journal_process")
        try apply(match, journal)
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

    private func realtime(_ journal: OpaquePointer) throws(SystemdError) -> UInt64 {
        var realtime: UInt64 = 0
        try SystemdError.check(
            sd_journal_get_realtime_usec(journal, &realtime), "sd_journal_get_realtime_usec")
        return realtime
    }

    private func cursor(_ journal: OpaquePointer) throws(SystemdError) -> String {
        var cursor: UnsafeMutablePointer<CChar>?
        try SystemdError.check(sd_journal_get_cursor(journal, &cursor), "sd_journal_get_cursor")
        guard let cursor else { return "" }
        defer { free(cursor) }
        return String(cString: cursor)
    }
}

extension JournalHandle {
    /// Replaces the handle's matches with `match`: each value of a field is an
    /// `sd_journal_add_match` (values of one field are alternatives, fields of one
    /// alternative all hold), alternatives are joined by `sd_journal_add_disjunction`.
    func apply(_ match: JournalMatch, _ journal: OpaquePointer) throws(SystemdError) {
        sd_journal_flush_matches(journal)
        for (index, alternative) in match.alternatives.enumerated() {
            if index > 0 {
                try SystemdError.check(sd_journal_add_disjunction(journal), "sd_journal_add_disjunction")
            }
            for (name, values) in alternative.sorted(by: { $0.key < $1.key }) {
                for value in values {
                    let term = Array("\(name)=\(value)".utf8)
                    let result = term.withUnsafeBytes {
                        sd_journal_add_match(journal, $0.baseAddress, $0.count)
                    }
                    try SystemdError.check(result, "sd_journal_add_match")
                }
            }
        }
    }

    /// Up to `limit` entries matching `match`, oldest first, each with those of `fields`
    /// it carries plus `__CURSOR` and `__REALTIME_TIMESTAMP`: from just after the entry at
    /// `cursor` when given, else from the first written at or after `since`
    /// (microseconds since the epoch) when given, else from the head; the page ends
    /// before the first entry written after `until`.
    func page(
        matching match: JournalMatch, fields: [String], after cursor: String?, since: Int64?, until: Int64?,
        limit: Int
    ) throws -> [[String: String]] {
        guard let journal else { throw JournalReaderError.closed }
        try SystemdError.check(sd_journal_process(journal), "sd_journal_process")
        try apply(match, journal)
        defer { sd_journal_flush_matches(journal) }
        if let cursor {
            try SystemdError.check(sd_journal_seek_cursor(journal, cursor), "sd_journal_seek_cursor")
            // `next` lands on the entry at the cursor (already returned), or on the first
            // one after it when it is gone: then step back so the loop returns that one.
            guard try SystemdError.check(sd_journal_next(journal), "sd_journal_next") > 0 else { return [] }
            if sd_journal_test_cursor(journal, cursor) <= 0 {
                try SystemdError.check(sd_journal_previous(journal), "sd_journal_previous")
            }
        } else if let since {
            try SystemdError.check(
                sd_journal_seek_realtime_usec(journal, UInt64(max(0, since))), "sd_journal_seek_realtime_usec"
            )
        } else {
            try SystemdError.check(sd_journal_seek_head(journal), "sd_journal_seek_head")
        }
        // Each entry's data is enumerated once (asking for each field in turn walks the
        // entry's items again for each, which on a large journal is many times slower), its
        // names compared as bytes.
        let wanted = fields.map { (name: $0, bytes: Array($0.utf8)) }
        var found: [[String: String]] = []
        while found.count < limit, try SystemdError.check(sd_journal_next(journal), "sd_journal_next") > 0 {
            let written = try realtime(journal)
            if let until, written > UInt64(max(0, until)) { break }
            var entry: [String: String] = [:]
            sd_journal_restart_data(journal)
            var data: UnsafeRawPointer?
            var length = 0
            while try SystemdError.check(
                sd_journal_enumerate_available_data(journal, &data, &length),
                "sd_journal_enumerate_available_data") > 0
            {
                guard let data, let equals = memchr(data, 0x3D, length) else { continue }
                let nameLength = data.distance(to: UnsafeRawPointer(equals))
                for field in wanted where field.bytes.count == nameLength && entry[field.name] == nil {
                    guard field.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, data, nameLength) }) == 0
                    else {
                        continue
                    }
                    let value = UnsafeRawBufferPointer(
                        start: data + nameLength + 1, count: length - nameLength - 1)
                    entry[field.name] = String(decoding: value, as: UTF8.self)
                    break
                }
            }
            entry["__CURSOR"] = try self.cursor(journal)
            entry["__REALTIME_TIMESTAMP"] = String(written)
            found.append(entry)
        }
        return found
    }
}

/// Microseconds since the epoch (CLOCK_REALTIME), as journald stamps entries.
private func realtimeMicroseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
}
