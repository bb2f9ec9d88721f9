/// A three-character segment identifier (`MSH`, `PID`, `OBX`, `ZNA`, ...), compared
/// as a packed integer so that lookups never build strings.
public struct SegmentID: Sendable, Hashable, BitwiseCopyable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The three ASCII bytes packed big-endian into the low 24 bits.
    public let packed: UInt32

    /// Creates an identifier from its packed form.
    @inlinable
    public init(packed: UInt32) { self.packed = packed }

    /// Creates an identifier from three bytes.
    @inlinable
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
        packed = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
    }

    /// Creates an identifier from a three-character literal such as `"OBX"`.
    @inlinable
    public init(stringLiteral value: StaticString) {
        precondition(value.utf8CodeUnitCount == 3, "a segment ID has three characters")
        let start = value.utf8Start
        self.init(start[0], start[1], start[2])
    }

    /// Creates an identifier from a string, when it is three ASCII letters or digits.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 3, bytes.allSatisfy(SegmentID.isIDByte) else { return nil }
        self.init(bytes[0], bytes[1], bytes[2])
    }

    /// Whether `byte` may appear in a segment ID (A-Z, 0-9).
    @inlinable
    public static func isIDByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// The identifier as text.
    public var description: String {
        String(
            decoding: [UInt8(packed >> 16 & 0xFF), UInt8(packed >> 8 & 0xFF), UInt8(packed & 0xFF)],
            as: UTF8.self)
    }

    /// `MSH`, the message header (a constant, inlined where it is compared).
    @inlinable public static var msh: SegmentID { SegmentID(packed: 0x4D_53_48) }
    /// Whether this is a batch or file envelope segment (FHS, BHS, BTS, FTS), which
    /// belongs to no message.
    @inlinable
    public var isEnvelope: Bool {
        switch packed {
        case 0x46_48_53, 0x42_48_53, 0x42_54_53, 0x46_54_53: return true
        default: return false
        }
    }
}
