/// Finds the segment lines among bytes that arrived outside any message.
///
/// Blank lines, MLLP framing bytes (0x0B, 0x1C) and batch envelope segments
/// (FHS/BHS/BTS/FTS) are not orphans: a reader skips them anyway. Any other line is.
enum OrphanLines {
    /// The part of `bytes` from the start of its first orphan line to the end of its last
    /// one (with that line's terminator); `nil` when there is none.
    static func range(in bytes: [UInt8]) -> Range<Int>? {
        var first: Int?
        var last: Int?
        var start = 0
        let count = bytes.count
        while start < count {
            var end = start
            while end < count && bytes[end] != 0x0D && bytes[end] != 0x0A { end += 1 }
            var next = end
            if next < count && bytes[next] == 0x0D { next += 1 }
            if next < count && bytes[next] == 0x0A { next += 1 }
            if isOrphan(bytes[start..<end]) {
                if first == nil { first = start }
                last = next
            }
            start = next
        }
        guard let first, let last else { return nil }
        return first..<last
    }

    /// Whether a line (without its terminator) is a segment line that belongs to no message.
    static func isOrphan(_ line: ArraySlice<UInt8>) -> Bool {
        let content = line.drop { isIgnorable($0) }
        guard !content.isEmpty, content.contains(where: { !isIgnorable($0) }) else { return false }
        if content.count >= 3 {
            let id = Array(content.prefix(3))
            let envelope: [[UInt8]] = [
                Array("FHS".utf8), Array("BHS".utf8), Array("BTS".utf8), Array("FTS".utf8),
            ]
            if envelope.contains(id) {
                let after = content.dropFirst(3).first
                if after == nil || !isAlphanumeric(after!) { return false }
            }
        }
        return true
    }

    private static func isIgnorable(_ byte: UInt8) -> Bool {
        byte == 0x0B || byte == 0x1C || byte == 0x20 || byte == 0x09 || byte == 0x00
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
