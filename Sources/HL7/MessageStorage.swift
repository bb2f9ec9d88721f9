/// Where one segment lies in a message's bytes.
@usableFromInline
struct SegmentEntry: Sendable {
    @usableFromInline var id: SegmentID
    /// Index of the first byte (the segment ID).
    @usableFromInline var start: Int32
    /// Index just past the last byte (before the terminator).
    @usableFromInline var end: Int32
    /// Index in the marks of this segment's first field-separator position.
    @usableFromInline var firstMark: Int32
    /// Fields as split at field separators (for MSH: MSH-2 onwards).
    @usableFromInline var splitFieldCount: Int32
}

/// Field-separator positions, growing by doubling: the parser's hot loop appends to
/// it (cheaper than `Array.append`, which checks uniqueness on every call).
struct MarkBuffer {
    private(set) var pointer: UnsafeMutablePointer<Int32>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 8)
        pointer = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ mark: Int) {
        if count == capacity { grow() }
        pointer[count] = Int32(truncatingIfNeeded: mark)
        count &+= 1
    }

    /// Appends the position of each field separator in the words (eight bytes each) of
    /// `bytes` from `start` on, up to the first word that holds a segment terminator or
    /// the last whole word before `count`; returns where it stopped (that word's start).
    ///
    /// The parser's hottest loop: its state (the position, the marks' count and pointer)
    /// stays in locals, written back once at the end of the run.
    @inline(__always)
    mutating func appendSeparators(
        _ bytes: UnsafePointer<UInt8>, from start: Int, count: Int, separatorMask: UInt64,
        terminatorMask: UInt64
    ) -> Int {
        var index = start
        var written = self.count
        var base = pointer
        // Room for a whole word's marks is made before the word is read.
        var room = capacity &- 8
        while index &+ 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
            if ByteScan.exactZeroBytes(word ^ terminatorMask) != 0 { break }
            var separators = ByteScan.exactZeroBytes(word ^ separatorMask)
            if written > room {
                self.count = written
                grow()
                base = pointer
                room = capacity &- 8
            }
            while separators != 0 {
                base[written] = Int32(truncatingIfNeeded: index &+ separators.trailingZeroBitCount &>> 3)
                written &+= 1
                separators &= separators &- 1
            }
            index &+= 8
        }
        self.count = written
        return index
    }

    /// Drops the marks from `newCount` on.
    @inline(__always)
    mutating func truncate(to newCount: Int) { count = newCount }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
        larger.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = larger
        capacity *= 2
    }

    func deallocate() { pointer.deallocate() }
}

/// The bytes of a parsed message and the index of its segment and field boundaries,
/// shared (not copied) by every view into the message. Immutable once built.
@usableFromInline
final class MessageStorage: @unchecked Sendable {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let delimiters: Delimiters
    @usableFromInline let segments: [SegmentEntry]
    /// For each segment: the position of each field separator, then the segment's end.
    /// Field `n` (as split) of a segment spans `mark(firstMark + n - 1) + 1 ..< mark(firstMark + n)`.
    @usableFromInline let markPointer: UnsafeMutablePointer<Int32>

    init(
        bytes: [UInt8], delimiters: Delimiters, segments: [SegmentEntry], marks: MarkBuffer
    ) {
        self.bytes = bytes
        self.delimiters = delimiters
        self.segments = segments
        markPointer = marks.pointer
    }

    deinit { markPointer.deallocate() }

    @inlinable var segmentCount: Int { segments.count }

    @inlinable @inline(__always)
    func segment(_ index: Int) -> SegmentEntry { segments[index] }

    @inlinable @inline(__always)
    func mark(_ index: Int32) -> Int { Int(markPointer[Int(index)]) }
}
