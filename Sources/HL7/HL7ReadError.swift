/// Why a message could not be read, and where.
///
/// A malformed message never stops a reader: it yields this error for the message
/// and goes on with the next one. The code is extensible (new codes can be added
/// without breaking callers that switch over the ones they know).
public struct HL7ReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name, e.g. `encoding_characters_missing`.
        public var rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// MSH is too short to name its field separator and encoding characters.
        public static let encodingCharactersMissing = Code(rawValue: "encoding_characters_missing")
        /// MSH-2 is too long, repeats a delimiter or uses a letter, digit or control character.
        public static let badEncodingCharacters = Code(rawValue: "bad_encoding_characters")
        /// The message is larger than the configured limit.
        public static let messageTooLarge = Code(rawValue: "message_too_large")
        /// The message has more segments than the configured limit.
        public static let tooManySegments = Code(rawValue: "too_many_segments")
        /// A field is larger than the configured limit.
        public static let fieldTooLarge = Code(rawValue: "field_too_large")
        /// A field that must be present is missing or empty.
        public static let missingField = Code(rawValue: "missing_field")
        /// A timestamp field does not read as an HL7 date/time.
        public static let badTimestamp = Code(rawValue: "bad_timestamp")
        /// The bytes do not start with an `MSH` segment (a frame of another content).
        public static let missingHeader = Code(rawValue: "missing_header")
    }

    /// What went wrong.
    public var code: Code
    /// Byte offset of the problem. Relative to the message's `MSH` while the error is
    /// produced by the parser; ``absolute(messageOffset:)`` rebases it into the input.
    public var offset: Int
    /// The segment involved, when known (e.g. `MSH`).
    public var segment: String?
    /// The field number involved, when known (e.g. 2 for MSH-2).
    public var field: Int?
    /// A sentence for people: what is wrong. It never quotes message content.
    public var reason: String
    /// For a message over the size limit (``Code/messageTooLarge``): its length in bytes.
    public var messageLength: Int?
    /// For a message over the size limit: its first bytes (at most
    /// ``MessageFramer/oversizedPrefixBytes``; the rest was skipped while it streamed),
    /// for a dead letter. Never part of ``description``.
    public var retainedPrefix: [UInt8]

    /// Creates an error.
    public init(
        code: Code, offset: Int, segment: String? = nil, field: Int? = nil, reason: String,
        messageLength: Int? = nil, retainedPrefix: [UInt8] = []
    ) {
        self.code = code
        self.offset = offset
        self.segment = segment
        self.field = field
        self.reason = reason
        self.messageLength = messageLength
        self.retainedPrefix = retainedPrefix
    }

    /// The same error with its offset moved by `messageOffset` (the message's offset in the input).
    public func absolute(messageOffset: Int) -> HL7ReadError {
        var copy = self
        copy.offset += messageOffset
        return copy
    }

    /// `MSH-2: reason (at byte N)`.
    public var description: String {
        var place = ""
        if let segment {
            place = segment
            if let field { place += "-\(field)" }
            place += ": "
        }
        return "\(place)\(reason) (at byte \(offset))"
    }
}

/// Something a reader skipped inside an otherwise readable message.
public struct ReadWarning: Sendable, Hashable, CustomStringConvertible {
    /// Byte offset of the skipped line, counted from the start of the input.
    public var offset: Int
    /// How many bytes were skipped.
    public var length: Int
    /// Why (never the skipped content itself, which may hold patient data).
    public var reason: String

    /// Creates a warning.
    public init(offset: Int, length: Int, reason: String) {
        self.offset = offset
        self.length = length
        self.reason = reason
    }

    /// `reason (N bytes at byte M)`.
    public var description: String { "\(reason) (\(length) bytes at byte \(offset))" }
}
