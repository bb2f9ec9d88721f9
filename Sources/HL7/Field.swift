/// A part of a message's text: a field, a repetition, a component or a subcomponent.
/// Each knows its byte range and splits into the next level on demand.
public protocol MessagePart: Sendable {
    /// Byte range in the message's bytes.
    var byteRange: Range<Int> { get }
    /// The message's bytes and delimiters.
    var message: MessageText { get }
}

/// The bytes and delimiters of a message, as seen from one of its parts.
public struct MessageText: Sendable {
    @usableFromInline let storage: MessageStorage
    @usableFromInline init(storage: MessageStorage) { self.storage = storage }
    /// The message's bytes.
    @inlinable public var bytes: [UInt8] { storage.bytes }
    /// The message's encoding characters.
    @inlinable public var delimiters: Delimiters { storage.delimiters }
}

extension MessagePart {
    /// Whether the part is empty ("not sent").
    @inlinable public var isEmpty: Bool { byteRange.isEmpty }

    /// Whether the part is the explicit null `""` ("clear the value").
    @inlinable public var isNull: Bool {
        let range = byteRange
        guard range.count == 2 else { return false }
        let bytes = message.storage.bytes
        return bytes[range.lowerBound] == 0x22 && bytes[range.lowerBound + 1] == 0x22
    }

    /// Whether the part has a value: neither empty nor the explicit null.
    @inlinable public var hasValue: Bool { !isEmpty && !isNull }

    /// The bytes as written (escape sequences and inner delimiters kept).
    @inlinable public var rawBytes: ArraySlice<UInt8> { message.storage.bytes[byteRange] }

    /// The text with escape sequences decoded (inner delimiters kept as written),
    /// as UTF-8 when valid, else ISO-8859-1. The explicit null reads as `""`.
    @inlinable public var string: String { withDecodedBytes { HL7Text.string(buffer: $0) } }

    /// The decoded text, or `nil` when the part is empty or the explicit null.
    @inlinable public var value: String? { hasValue ? string : nil }

    /// The decoded text in upper case, as `string.uppercased()`; text that is ASCII
    /// with no lower-case letter (most codes) is taken as is, without a second String.
    @inlinable public var uppercasedString: String {
        withDecodedBytes { bytes in
            var plain = true
            for byte in bytes where byte >= 0x80 || (byte >= 0x61 && byte <= 0x7A) { plain = false }
            return plain ? String(decoding: bytes, as: UTF8.self) : HL7Text.string(buffer: bytes).uppercased()
        }
    }

    /// The decoded text in upper case, or `nil` when the part is empty or the explicit
    /// null: as `value?.uppercased()`.
    @inlinable public var uppercasedValue: String? { hasValue ? uppercasedString : nil }

    /// Calls `body` with the bytes, escape sequences decoded: the message's own bytes
    /// when the part holds no escape character (no copy), else a decoded copy.
    @inlinable public func withDecodedBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result)
        rethrows -> Result
    {
        let storage = message.storage
        let range = byteRange
        return try storage.bytes.withUnsafeBufferPointer { all in
            let raw = UnsafeBufferPointer(rebasing: all[range])
            guard let escape = storage.delimiters.escape, raw.contains(escape) else { return try body(raw) }
            var decoded: [UInt8] = []
            decoded.reserveCapacity(raw.count)
            EscapeDecoder.decode(raw, delimiters: storage.delimiters, into: &decoded)
            return try decoded.withUnsafeBufferPointer { try body($0) }
        }
    }

    /// Appends the bytes with escape sequences decoded to `buffer` (which is not
    /// cleared, so a caller can reuse one buffer for many values).
    public func decodeEscapes(into buffer: inout [UInt8]) {
        message.storage.bytes.withUnsafeBufferPointer { bytes in
            EscapeDecoder.decode(
                UnsafeBufferPointer(rebasing: bytes[byteRange]), delimiters: message.storage.delimiters,
                into: &buffer)
        }
    }

    @inlinable
    func split(on delimiter: UInt8?) -> [Range<Int>] {
        let range = byteRange
        guard let delimiter else { return [range] }
        var ranges: [Range<Int>] = []
        var start = range.lowerBound
        let bytes = message.storage.bytes
        for index in range where bytes[index] == delimiter {
            ranges.append(start..<index)
            start = index + 1
        }
        ranges.append(start..<range.upperBound)
        return ranges
    }

    @inlinable
    func piece(_ number: Int, on delimiter: UInt8?) -> Range<Int> {
        let range = byteRange
        guard number >= 1 else { return range.upperBound..<range.upperBound }
        guard let delimiter else {
            return number == 1 ? range : range.upperBound..<range.upperBound
        }
        let bytes = message.storage.bytes
        var current = 1
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == delimiter {
                if current == number { return start..<index }
                current += 1
                start = index + 1
            }
            index += 1
        }
        return current == number ? start..<range.upperBound : range.upperBound..<range.upperBound
    }
}

/// A field: one or more repetitions separated by the repetition character.
public struct Field: MessagePart {
    @usableFromInline let storage: MessageStorage
    /// Byte range in the message.
    public let byteRange: Range<Int>
    /// MSH-1 and MSH-2 are literal: never split or unescaped.
    public let isLiteral: Bool

    @usableFromInline
    init(storage: MessageStorage, range: Range<Int>, isLiteral: Bool) {
        self.storage = storage
        self.byteRange = range
        self.isLiteral = isLiteral
    }

    /// The message this field belongs to.
    @inlinable public var message: MessageText { MessageText(storage: storage) }

    /// The repetitions (a field that does not repeat has one).
    @inlinable public var repetitions: [Repetition] {
        if isLiteral { return [Repetition(storage: storage, byteRange: byteRange)] }
        return split(on: storage.delimiters.repetition).map { Repetition(storage: storage, byteRange: $0) }
    }

    /// Repetition `number` (1-based); empty when there is no such repetition.
    @inlinable public func repetition(_ number: Int) -> Repetition {
        if isLiteral {
            return Repetition(
                storage: storage,
                byteRange: number == 1 ? byteRange : byteRange.upperBound..<byteRange.upperBound)
        }
        return Repetition(storage: storage, byteRange: piece(number, on: storage.delimiters.repetition))
    }

    /// Component `number` of the first repetition, e.g. `PID-3.4` is `pid[3].component(4)`.
    @inlinable public func component(_ number: Int) -> Component { repetition(1).component(number) }

    /// The text as written, for MSH-1 and MSH-2, else as ``MessagePart/string``.
    public var literalText: String { HL7Text.string(Array(rawBytes)) }
}

/// One repetition of a field: components separated by the component separator.
public struct Repetition: MessagePart {
    @usableFromInline let storage: MessageStorage
    /// Byte range in the message.
    public let byteRange: Range<Int>

    @usableFromInline
    init(storage: MessageStorage, byteRange: Range<Int>) {
        self.storage = storage
        self.byteRange = byteRange
    }
    /// The message this repetition belongs to.
    @inlinable public var message: MessageText { MessageText(storage: storage) }

    /// The components (at least one).
    @inlinable public var components: [Component] {
        split(on: storage.delimiters.component).map { Component(storage: storage, byteRange: $0) }
    }

    /// Component `number` (1-based); empty when absent.
    @inlinable public func component(_ number: Int) -> Component {
        Component(storage: storage, byteRange: piece(number, on: storage.delimiters.component))
    }
}

/// One component: subcomponents separated by the subcomponent separator (when the
/// message names one).
public struct Component: MessagePart {
    @usableFromInline let storage: MessageStorage
    /// Byte range in the message.
    public let byteRange: Range<Int>

    @usableFromInline
    init(storage: MessageStorage, byteRange: Range<Int>) {
        self.storage = storage
        self.byteRange = byteRange
    }
    /// The message this component belongs to.
    @inlinable public var message: MessageText { MessageText(storage: storage) }

    /// The subcomponents (at least one).
    @inlinable public var subcomponents: [Subcomponent] {
        split(on: storage.delimiters.subcomponent).map { Subcomponent(storage: storage, byteRange: $0) }
    }

    /// Subcomponent `number` (1-based); empty when absent.
    @inlinable public func subcomponent(_ number: Int) -> Subcomponent {
        Subcomponent(storage: storage, byteRange: piece(number, on: storage.delimiters.subcomponent))
    }
}

/// One subcomponent: the smallest part of a value.
public struct Subcomponent: MessagePart {
    @usableFromInline let storage: MessageStorage
    /// Byte range in the message.
    public let byteRange: Range<Int>

    @usableFromInline
    init(storage: MessageStorage, byteRange: Range<Int>) {
        self.storage = storage
        self.byteRange = byteRange
    }
    /// The message this subcomponent belongs to.
    @inlinable public var message: MessageText { MessageText(storage: storage) }
}
