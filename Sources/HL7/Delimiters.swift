/// The encoding characters of one message, read from MSH-1 and MSH-2.
///
/// MSH-2 is read positionally whatever the message's version: component,
/// repetition, escape, subcomponent and (v2.7) truncation character. A message
/// may name only the first two or three of them; the others are then absent and
/// have no special meaning in that message.
public struct Delimiters: Sendable, Hashable {
    /// MSH-1, the field separator (usually `|`).
    public var field: UInt8
    /// The component separator (usually `^`).
    public var component: UInt8
    /// The repetition separator (usually `~`).
    public var repetition: UInt8
    /// The escape character (usually `\`), when MSH-2 names one.
    public var escape: UInt8?
    /// The subcomponent separator (usually `&`), when MSH-2 names one.
    public var subcomponent: UInt8?
    /// The v2.7 truncation character (usually `#`), when MSH-2 names one. It has
    /// no meaning to a reader: values carrying it are kept as written.
    public var truncation: UInt8?

    /// The delimiters almost every feed uses: `|^~\&`.
    public static let standard = Delimiters(
        field: UInt8(ascii: "|"), component: UInt8(ascii: "^"), repetition: UInt8(ascii: "~"),
        escape: UInt8(ascii: "\\"), subcomponent: UInt8(ascii: "&"), truncation: nil)

    /// Creates a set of delimiters.
    public init(
        field: UInt8, component: UInt8, repetition: UInt8, escape: UInt8?, subcomponent: UInt8?,
        truncation: UInt8?
    ) {
        self.field = field
        self.component = component
        self.repetition = repetition
        self.escape = escape
        self.subcomponent = subcomponent
        self.truncation = truncation
    }

    /// Whether `byte` may serve as a field separator or encoding character: printable
    /// ASCII punctuation (not a letter, digit, space or control character).
    @inlinable
    public static func isDelimiterCandidate(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }

    /// Reads the delimiters from the start of a message (`MSH` + MSH-1 + MSH-2).
    ///
    /// - Parameters:
    ///   - bytes: the message, starting with `MSH`.
    /// - Returns: the delimiters, or the reason they cannot be read.
    static func read(
        from bytes: UnsafeBufferPointer<UInt8>
    ) -> Result<Delimiters, HL7ReadError> {
        guard bytes.count >= 4 else {
            return .failure(
                HL7ReadError(
                    code: .encodingCharactersMissing, offset: 0, segment: "MSH", field: 2,
                    reason: "MSH is too short to name its encoding characters"))
        }
        let separator = bytes[3]
        var length = 0
        var index = 4
        while index < bytes.count {
            let byte = bytes[index]
            if byte == separator || byte == 0x0D || byte == 0x0A { break }
            length += 1
            index += 1
        }
        guard length >= 2 else {
            return .failure(
                HL7ReadError(
                    code: .encodingCharactersMissing, offset: 4, segment: "MSH", field: 2,
                    reason:
                        "MSH-2 has \(length) encoding character\(length == 1 ? "" : "s"); at least 2 are needed"
                ))
        }
        guard length <= 5 else {
            return .failure(
                HL7ReadError(
                    code: .badEncodingCharacters, offset: 4, segment: "MSH", field: 2,
                    reason: "MSH-2 has \(length) characters; 2 to 5 encoding characters are expected"))
        }
        for position in 0..<length {
            let byte = bytes[4 + position]
            guard isDelimiterCandidate(byte) else {
                return .failure(
                    HL7ReadError(
                        code: .badEncodingCharacters, offset: 4 + position, segment: "MSH", field: 2,
                        reason: "MSH-2 character \(position + 1) is not a punctuation character"))
            }
            var repeats = byte == separator
            for earlier in 0..<position where bytes[4 + earlier] == byte { repeats = true }
            guard !repeats else {
                return .failure(
                    HL7ReadError(
                        code: .badEncodingCharacters, offset: 4 + position, segment: "MSH", field: 2,
                        reason: "MSH-2 character \(position + 1) repeats another delimiter"))
            }
        }
        let delimiters = Delimiters(
            field: separator, component: bytes[4], repetition: bytes[5],
            escape: length >= 3 ? bytes[6] : nil,
            subcomponent: length >= 4 ? bytes[7] : nil,
            truncation: length >= 5 ? bytes[8] : nil)
        return .success(delimiters)
    }
}
