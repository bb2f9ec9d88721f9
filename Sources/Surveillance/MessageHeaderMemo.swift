import HL7

/// What the engine reads from the header fields that recur message after message: the
/// sender (MSH-3, MSH-4) and the type (MSH-9), by their raw bytes. Saved work, not state:
/// a feed has a few senders and types, and the same bytes read the same whenever they
/// hold no escape character (for MSH-9, under the same component and repetition
/// separators, which split it). Bytes with an escape character are read every time.
/// Bounded: at most ``capacity`` entries of each kind, cleared when full.
struct MessageHeaderMemo: Sendable {
    /// The most entries of each kind.
    static let capacity = 64

    private var texts: [(bytes: [UInt8], text: String)] = []
    private var kinds: [(bytes: [UInt8], separators: UInt16, kind: SurveillanceEngine.MessageKind)] = []

    /// `field.string`, from the memo when the same bytes were read before.
    mutating func text(_ field: Field) -> String {
        let range = field.byteRange
        let text = field.message
        let bytes = text.bytes
        guard Self.isPlain(bytes[range], escape: text.delimiters.escape) else { return field.string }
        for index in texts.indices where Self.equal(texts[index].bytes, bytes, range) {
            return texts[index].text
        }
        let made = field.string
        if texts.count == Self.capacity { texts.removeAll(keepingCapacity: true) }
        texts.append((Array(bytes[range]), made))
        return made
    }

    /// The kind of a message whose MSH-9 is `type`, from the memo when the same bytes were
    /// read before; else `make()`, kept when MSH-9 names the event itself (no EVN fallback).
    mutating func kind(_ type: Field, make: () -> SurveillanceEngine.MessageKind)
        -> SurveillanceEngine.MessageKind
    {
        let range = type.byteRange
        let text = type.message
        let bytes = text.bytes
        let delimiters = text.delimiters
        guard Self.isPlain(bytes[range], escape: delimiters.escape) else { return make() }
        let separators = UInt16(delimiters.component) << 8 | UInt16(delimiters.repetition)
        for index in kinds.indices
        where kinds[index].separators == separators && Self.equal(kinds[index].bytes, bytes, range) {
            return kinds[index].kind
        }
        let made = make()
        guard !type.component(2).isEmpty else { return made }
        if kinds.count == Self.capacity { kinds.removeAll(keepingCapacity: true) }
        kinds.append((Array(bytes[range]), separators, made))
        return made
    }

    /// Whether `bytes` hold no escape character (so they read as they are written).
    private static func isPlain(_ bytes: ArraySlice<UInt8>, escape: UInt8?) -> Bool {
        guard let escape else { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer where byte == escape { return false }
            return true
        }
    }

    /// Whether `kept` holds the same bytes as `message[range]`: lengths first, then the
    /// bytes compared in place (no iterator over either).
    private static func equal(_ kept: [UInt8], _ message: [UInt8], _ range: Range<Int>) -> Bool {
        guard kept.count == range.count else { return false }
        return kept.withUnsafeBufferPointer { left in
            message.withUnsafeBufferPointer { right in
                for offset in 0..<left.count where left[offset] != right[range.lowerBound + offset] {
                    return false
                }
                return true
            }
        }
    }
}
