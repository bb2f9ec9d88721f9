/// Word-at-a-time byte searches (SWAR) for the reader's hot loops: eight bytes are
/// tested with a few integer operations instead of one comparison each.
@usableFromInline
enum ByteScan {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// A word whose bytes are `byte`.
    @inlinable @inline(__always)
    static func broadcast(_ byte: UInt8) -> UInt64 { UInt64(byte) &* ones }

    /// High bit set in each byte of `word` that is zero. The lowest set bit is exact
    /// (higher ones may be false positives), which is all a forward search needs.
    @inlinable @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highs }

    /// High bit set in exactly the bytes of `word` that are zero (no false positives).
    @inlinable @inline(__always)
    static func exactZeroBytes(_ word: UInt64) -> UInt64 {
        let low7 = ~highs
        return ~(((word & low7) &+ low7) | word | low7)
    }

    /// High bit set in each byte of `word` below `limit` (lowest set bit exact; `limit` <= 128).
    @inlinable @inline(__always)
    static func bytesBelow(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- broadcast(limit)) & ~word & highs
    }

    /// Index of the first byte at or after `start` (before `end`) that is below 0x1D,
    /// or `end`.
    @inlinable @inline(__always)
    static func firstControl(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let hits = bytesBelow(word, 0x1D)
            if hits != 0 { return index + hits.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end && base[index] > 0x1C { index += 1 }
        return index
    }

    /// Index of the first byte at or after `start` (before `end`) equal to `a` or `b`, or `end`.
    @inlinable @inline(__always)
    static func firstOf(
        _ a: UInt8, _ b: UInt8, _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, maskA: UInt64,
        maskB: UInt64
    ) -> Int {
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let hits = zeroBytes(word ^ maskA) | zeroBytes(word ^ maskB)
            if hits != 0 { return index + hits.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end {
            let byte = base[index]
            if byte == a || byte == b { return index }
            index += 1
        }
        return end
    }
}
