/// Where one segment lies in a message's bytes.
@usableFromInline
struct SegmentEntry: Sendable {
    @usableFromInline var id: SegmentID
    /// Index of the first byte (the segment ID).
    @usableFromInline var start: Int
    /// Index just past the last byte (before the terminator).
    @usableFromInline var end: Int
    /// Index in `marks` of this segment's first field-separator position.
    @usableFromInline var firstMark: Int
    /// Fields as split at field separators (for MSH: MSH-2 onwards).
    @usableFromInline var splitFieldCount: Int
}

/// The bytes of a parsed message and the index of its segment and field boundaries,
/// shared (not copied) by every view into the message.
@usableFromInline
final class MessageStorage: Sendable {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let delimiters: Delimiters
    @usableFromInline let segments: [SegmentEntry]
    /// For each segment: the position of each field separator, then the segment's end.
    /// Field `n` (as split) of a segment spans `marks[firstMark + n - 1] + 1 ..< marks[firstMark + n]`.
    @usableFromInline let marks: [Int]

    init(bytes: [UInt8], delimiters: Delimiters, segments: [SegmentEntry], marks: [Int]) {
        self.bytes = bytes
        self.delimiters = delimiters
        self.segments = segments
        self.marks = marks
    }
}
