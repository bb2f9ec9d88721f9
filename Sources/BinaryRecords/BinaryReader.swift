/// Reads what a ``BinaryWriter`` wrote, in the same order. Every read checks the bytes
/// left and the shape of what it reads; a record cut short or damaged throws a
/// ``BinaryDecodingError`` naming the offset and the field, never traps.
public struct BinaryReader: Sendable {
    @usableFromInline let bytes: [UInt8]
    /// Where the next read starts.
    public var offset: Int { position }
    @usableFromInline var position: Int
    /// What is being read, for errors (set by the caller: ``reading(_:_:)``).
    @usableFromInline var field = "record"

    /// A reader of `bytes` from their start.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
    }

    /// Whether every byte was read.
    @inlinable
    public var isAtEnd: Bool { offset == bytes.count }

    /// Reads `field` with `body`: errors inside name it.
    @inlinable
    public mutating func reading<Value>(
        _ field: String, _ body: (inout BinaryReader) throws(BinaryDecodingError) -> Value
    ) throws(BinaryDecodingError) -> Value {
        let outer = self.field
        self.field = field
        defer { self.field = outer }
        return try body(&self)
    }

    /// An error at the current offset about the field being read.
    @inlinable
    public func error(_ code: BinaryDecodingError.Code, _ reason: String) -> BinaryDecodingError {
        BinaryDecodingError(code: code, offset: offset, field: field, reason: reason)
    }

    /// Fails unless every byte was read (a record with bytes left over is not this
    /// version's).
    @inlinable
    public func expectEnd() throws(BinaryDecodingError) {
        guard isAtEnd else {
            throw error(.trailingBytes, "\(bytes.count - offset) bytes left after the record")
        }
    }

    /// Reads one byte.
    @inlinable
    public mutating func byte() throws(BinaryDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw error(.truncated, "the record ends here") }
        defer { position += 1 }
        return bytes[offset]
    }

    /// Reads a LEB128 varint.
    @inlinable
    public mutating func unsigned() throws(BinaryDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            if shift == 63 && next > 1 { throw error(.malformed, "a varint longer than 64 bits") }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// Reads a count or an index, at most `limit` (a count of things written in the
    /// record itself: ``countWithinRecord()``).
    @inlinable
    public mutating func count(limit: Int = .max) throws(BinaryDecodingError) -> Int {
        let value = try unsigned()
        guard value <= UInt64(limit) else {
            throw error(.malformed, "a count of \(value), more than \(limit) possible here")
        }
        return Int(value)
    }

    /// Reads a count of things that take at least one byte each: at most the bytes left
    /// after the count itself (so a damaged count neither reads past the record nor makes
    /// a caller reserve more than it holds).
    @inlinable
    public mutating func countWithinRecord() throws(BinaryDecodingError) -> Int {
        let value = try unsigned()
        let left = bytes.count - offset
        guard value <= UInt64(left) else {
            throw error(.malformed, "a count of \(value), more than the \(left) bytes left")
        }
        return Int(value)
    }

    /// Reads a zigzag-encoded signed integer.
    @inlinable
    public mutating func signed() throws(BinaryDecodingError) -> Int64 {
        let value = try unsigned()
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// Reads a Boolean (0 or 1; any other byte is an error).
    @inlinable
    public mutating func bool() throws(BinaryDecodingError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let other: throw error(.malformed, "\(other) is not a Boolean (0 or 1)")
        }
    }

    /// Reads a double (8 bytes, little-endian).
    @inlinable
    public mutating func double() throws(BinaryDecodingError) -> Double {
        guard bytes.count - offset >= 8 else { throw error(.truncated, "a double needs 8 bytes") }
        var pattern: UInt64 = 0
        for index in 0..<8 { pattern |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        position += 8
        return Double(bitPattern: pattern)
    }

    /// Reads bytes written with their length.
    @inlinable
    public mutating func byteString() throws(BinaryDecodingError) -> [UInt8] {
        let length = try countWithinRecord()
        defer { position += length }
        return Array(bytes[offset..<(offset + length)])
    }

    /// Reads a string (UTF-8 checked: invalid bytes are an error, not repaired).
    @inlinable
    public mutating func string() throws(BinaryDecodingError) -> String {
        let length = try countWithinRecord()
        let start = offset
        let value = bytes.withUnsafeBufferPointer { buffer -> String? in
            let utf8 = UnsafeBufferPointer(rebasing: buffer[start..<(start + length)])
            // ASCII (most strings here) is valid as it is; anything else is validated.
            if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
            return String(validating: utf8, as: UTF8.self)
        }
        guard let value else { throw error(.malformed, "not valid UTF-8") }
        position += length
        return value
    }

    /// Reads an optional written by ``BinaryWriter/optional(_:_:)``.
    @inlinable
    public mutating func optional<Value>(
        _ read: (inout BinaryReader) throws(BinaryDecodingError) -> Value
    ) throws(BinaryDecodingError) -> Value? {
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        case let other: throw error(.malformed, "\(other) is not a presence byte (0 or 1)")
        }
    }

    /// Reads an optional string.
    @inlinable
    public mutating func optionalString() throws(BinaryDecodingError) -> String? {
        try optional { reader throws(BinaryDecodingError) in try reader.string() }
    }

    /// Reads an array written by ``BinaryWriter/array(_:_:)`` (each element at least one
    /// byte long, so a damaged count cannot make it reserve more than the record holds).
    @inlinable
    public mutating func array<Element>(
        _ read: (inout BinaryReader) throws(BinaryDecodingError) -> Element
    ) throws(BinaryDecodingError) -> [Element] {
        let count = try countWithinRecord()
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try read(&self)) }
        return elements
    }
}
