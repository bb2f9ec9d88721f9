import CSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The journald sink: sends each entry through libsystemd's `sd_journal_sendv`.
///
/// Each field becomes one `NAME=value` iovec; values may contain newlines and arbitrary
/// bytes (libsystemd switches to its binary field encoding for them). `sd_journal_sendv`
/// is safe to call from any thread.
///
/// `sd_journal_sendv` reports success when the journald socket does not exist, so check
/// ``JournalSocket/isAvailable(path:)`` before relying on this sink. Journald writes
/// asynchronously: an entry becomes readable some time after ``send(_:)`` returns
/// (`journalctl --sync` waits for it).
public struct SystemdJournal: JournalSink {
    /// Creates the sink; it holds no state (libsystemd keeps one shared socket).
    public init() {}

    /// Sends `entry` to journald.
    ///
    /// - Throws: ``SystemdError`` from `sd_journal_sendv` (for example `EINVAL` for an
    ///   entry without fields, `ECONNREFUSED` when nobody listens on an existing socket).
    public func send(_ entry: JournalEntry) throws(SystemdError) {
        guard !entry.fields.isEmpty else {
            throw SystemdError(function: "sd_journal_sendv", errno: EINVAL)
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(
            entry.fields.reduce(0) { $0 + $1.name.rawValue.utf8.count + 1 + $1.value.count })
        var spans: [(offset: Int, count: Int)] = []
        spans.reserveCapacity(entry.fields.count)
        for field in entry.fields {
            let start = buffer.count
            buffer.append(contentsOf: field.name.rawValue.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: field.value)
            spans.append((start, buffer.count - start))
        }
        let result = buffer.withUnsafeMutableBytes { bytes -> Int32 in
            let base = bytes.baseAddress!
            let vectors = spans.map { iovec(iov_base: base + $0.offset, iov_len: $0.count) }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
        try SystemdError.check(result, "sd_journal_sendv")
    }
}
