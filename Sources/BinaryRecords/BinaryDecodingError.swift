/// Why a binary record could not be read: a code, where (the byte offset in the record
/// and the field being read) and why.
public struct BinaryDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure (extensible: match known codes, keep a default).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The record ends before the value being read.
        public static let truncated = Code("truncated")
        /// A value that this format never writes (a bad varint, presence byte, UTF-8).
        public static let malformed = Code("malformed")
        /// A record format version this build does not read.
        public static let unknownVersion = Code("unknown version")
        /// Bytes left after a whole record.
        public static let trailingBytes = Code("trailing bytes")
        /// The code's name.
        public var description: String { name }
    }

    /// What kind of failure.
    public var code: Code
    /// The byte offset in the record where it was found.
    public var offset: Int
    /// The field being read (e.g. `orders.exposures.start`).
    public var field: String
    /// Why, in words.
    public var reason: String

    /// Creates an error.
    public init(code: Code, offset: Int, field: String, reason: String) {
        self.code = code
        self.offset = offset
        self.field = field
        self.reason = reason
    }

    /// `offset 12, field orders.drug: truncated: the record ends here`.
    public var description: String { "offset \(offset), field \(field): \(code): \(reason)" }
}
