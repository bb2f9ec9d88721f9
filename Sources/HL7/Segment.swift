/// One segment of a message: an ID and numbered fields (HL7 numbering, from 1).
public struct Segment: Sendable {
    @usableFromInline let storage: MessageStorage
    @usableFromInline let index: Int

    @usableFromInline
    init(storage: MessageStorage, index: Int) {
        self.storage = storage
        self.index = index
    }

    @inlinable
    var entry: SegmentEntry { storage.segment(index) }

    /// The segment's ID, e.g. `OBX`.
    @inlinable public var id: SegmentID { entry.id }

    /// Position of this segment in its message (0 is MSH).
    public var position: Int { index }

    /// Whether this is the message header, whose first two fields are the delimiters.
    public var isHeader: Bool { entry.id == .msh }

    /// Number of fields, trailing empty fields included. For MSH this counts MSH-1.
    public var fieldCount: Int { Int(isHeader ? entry.splitFieldCount + 1 : entry.splitFieldCount) }

    /// Byte range of the segment (from its ID to before its terminator) in the message.
    public var byteRange: Range<Int> { Int(entry.start)..<Int(entry.end) }

    /// Field `number` (1-based). A field beyond the last one is empty (not sent).
    /// For MSH, field 1 is the field separator and field 2 the encoding characters,
    /// both literal (never split or unescaped).
    @inlinable
    public subscript(number: Int) -> Field {
        let entry = self.entry
        if entry.id == .msh {
            if number == 1 {
                let start = Int(entry.start)
                return Field(storage: storage, range: start + 3..<start + 4, isLiteral: true)
            }
            return splitField(number - 1, entry: entry, isLiteral: number == 2)
        }
        return splitField(number, entry: entry, isLiteral: false)
    }

    @inlinable
    func splitField(_ split: Int, entry: SegmentEntry, isLiteral: Bool) -> Field {
        guard split >= 1 && split <= Int(entry.splitFieldCount) else {
            let end = Int(entry.end)
            return Field(storage: storage, range: end..<end, isLiteral: false)
        }
        let first = entry.firstMark + Int32(truncatingIfNeeded: split)
        let start = storage.mark(first - 1) + 1
        let end = storage.mark(first)
        return Field(storage: storage, range: start..<end, isLiteral: isLiteral)
    }

    /// The byte range of field `number` in the message's bytes: `self[number].byteRange`
    /// without making a ``Field`` (which holds a counted reference to the message), for
    /// loops that only look at a field's bytes.
    @inlinable
    public func fieldRange(_ number: Int) -> Range<Int> {
        let entry = self.entry
        var split = number
        if entry.id == .msh {
            if number == 1 {
                let start = Int(entry.start)
                return start + 3..<start + 4
            }
            split = number - 1
        }
        guard split >= 1 && split <= Int(entry.splitFieldCount) else {
            let end = Int(entry.end)
            return end..<end
        }
        let first = entry.firstMark + Int32(truncatingIfNeeded: split)
        return storage.mark(first - 1) + 1..<storage.mark(first)
    }

    /// The bytes and delimiters of the message this segment belongs to.
    @inlinable public var message: MessageText { MessageText(storage: storage) }

    /// Every field in order, from field 1.
    public var fields: [Field] { (0..<fieldCount).map { self[$0 + 1] } }
}
