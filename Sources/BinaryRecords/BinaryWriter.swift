/// Writes values as compact, versioned binary records: unsigned integers as LEB128
/// varints, signed ones zigzag-encoded first, strings and byte strings with their length
/// in front, doubles as their 8 IEEE 754 bytes (little-endian), optionals as a presence
/// byte. The layout of a record is its writer's: what is written in which order (see
/// ``BinaryReader``, which reads it back in the same order).
///
/// Equal values written in the same order give equal bytes, whatever the platform:
/// records can be compared and used as keys byte for byte.
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] { storage }
    @usableFromInline var storage: [UInt8]

    /// An empty writer, with room for `capacity` bytes before it grows.
    public init(capacity: Int = 256) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// Writes one byte.
    @inlinable
    public mutating func byte(_ value: UInt8) { storage.append(value) }

    /// Writes an unsigned integer as a LEB128 varint (1 byte below 128, at most 10).
    @inlinable
    public mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            storage.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        storage.append(UInt8(rest))
    }

    /// Writes a count or an index (never negative).
    @inlinable
    public mutating func count(_ value: Int) {
        precondition(value >= 0, "a count is never negative")
        unsigned(UInt64(value))
    }

    /// Writes a signed integer, zigzag-encoded (small magnitudes stay short).
    @inlinable
    public mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Writes a Boolean as one byte (0 or 1).
    @inlinable
    public mutating func bool(_ value: Bool) { storage.append(value ? 1 : 0) }

    /// Writes a double as its 8 bytes, little-endian (every value, NaN included, reads back
    /// bit for bit).
    @inlinable
    public mutating func double(_ value: Double) {
        var pattern = value.bitPattern.littleEndian
        withUnsafeBytes(of: &pattern) { storage.append(contentsOf: $0) }
    }

    /// Writes a string's UTF-8 bytes, its length first.
    @inlinable
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            count(utf8.count)
            storage.append(contentsOf: utf8)
        }
    }

    /// Writes bytes, their length first.
    @inlinable
    public mutating func byteString(_ value: some Collection<UInt8>) {
        count(value.count)
        storage.append(contentsOf: value)
    }

    /// Writes whether `value` is present, then the value with `write` when it is.
    @inlinable
    public mutating func optional<Value>(_ value: Value?, _ write: (inout BinaryWriter, Value) -> Void) {
        guard let value else {
            storage.append(0)
            return
        }
        storage.append(1)
        write(&self, value)
    }

    /// Writes an optional string (presence byte, then the string).
    @inlinable
    public mutating func optionalString(_ value: String?) {
        optional(value) { $0.string($1) }
    }

    /// Writes the number of elements, then each with `write`, in order.
    @inlinable
    public mutating func array<Element>(
        _ elements: some Collection<Element>, _ write: (inout BinaryWriter, Element) -> Void
    ) {
        count(elements.count)
        for element in elements { write(&self, element) }
    }
}
