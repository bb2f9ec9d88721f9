/// What separates a token from the one before it, weakest first.
///
/// - `none`: spaces, a hyphen inside a word ("white-yellow"), `^`, `&`, `(`, quotes.
/// - `slash`: `/` ("0/10", "w/o", "red/swollen"), or `-` between digits ("0-10").
/// - `comma`: `,`, a conditional break (a negation may continue a list across it).
/// - `colon`: `:`, or a free-standing dash (" - ", "--", an en or em dash): ends a
///   negation; a negation word right after it can answer the words before it
///   ("Redness: none").
/// - `clause`: `.`, `;`, `!`, `?`, a line break, a bullet: ends everything.
enum TokenSeparator: UInt8, Sendable, Comparable {
    case none, slash, comma, colon, clause

    static func < (lhs: TokenSeparator, rhs: TokenSeparator) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// A word or a number in a text: a range of the lower-cased bytes.
struct TextToken: Sendable {
    /// Start of the token in `TokenizedText.bytes`.
    var start: Int
    /// End (exclusive) of the token in `TokenizedText.bytes`.
    var end: Int
    /// Whether the token is a number (digits, with at most one decimal point).
    var isNumber: Bool
    /// The strongest separator between this token and the one before it.
    var separator: TokenSeparator
    /// Whether an opening parenthesis stands between this token and the one before it.
    var afterOpenParenthesis: Bool
}

/// A text split into lower-cased ASCII words and numbers (no Foundation).
///
/// Words are runs of letters (ASCII letters, and any non-ASCII character other than
/// common Unicode punctuation, so accented words stay whole); numbers are runs of
/// digits with an optional decimal part; a letter-digit boundary splits tokens
/// ("22G" is "22" "g", "0.5cm" is "0.5" "cm"). Everything else separates tokens.
struct TokenizedText: Sendable {
    /// The text's UTF-8 bytes, ASCII letters lower-cased.
    let bytes: [UInt8]
    /// The tokens, in order.
    let tokens: [TextToken]

    /// The token count.
    var count: Int { tokens.count }

    /// The bytes of token `index`.
    @inline(__always)
    func word(_ index: Int) -> ArraySlice<UInt8> {
        let token = tokens[index]
        return bytes[token.start..<token.end]
    }

    /// The value of number token `index`, or nil for a word.
    func number(_ index: Int) -> Double? {
        guard tokens[index].isNumber else { return nil }
        return DecimalText.value(of: word(index))
    }

    init(_ text: String) {
        var bytes = Array(text.utf8)
        self.tokens = bytes.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices where buffer[index] &- 0x41 < 26 {
                buffer[index] |= 0x20
            }
            return TokenizedText.tokenize(UnsafeBufferPointer(buffer))
        }
        self.bytes = bytes
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func isLowerLetter(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }

    /// For a non-ASCII byte at `position`: the length of the Unicode punctuation or
    /// space sequence that starts there (U+0080-U+00BF, U+2000-U+207F), or 0 when it
    /// is part of a letter.
    @inline(__always)
    private static func punctuationLength(_ bytes: UnsafeBufferPointer<UInt8>, _ position: Int) -> Int {
        let byte = bytes[position]
        if byte == 0xC2, position + 1 < bytes.count { return 2 }
        if byte == 0xE2, position + 2 < bytes.count, bytes[position + 1] & 0xFE == 0x80 { return 3 }
        return 0
    }

    /// Whether the byte at `position` belongs to a word or a number.
    @inline(__always)
    private static func isWordByte(_ bytes: UnsafeBufferPointer<UInt8>, _ position: Int) -> Bool {
        guard position >= 0, position < bytes.count else { return false }
        let byte = bytes[position]
        if byte < 0x80 { return isLowerLetter(byte) || isDigit(byte) }
        return punctuationLength(bytes, position) == 0
    }

    /// The tokens of lower-cased `bytes`.
    private static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) -> [TextToken] {
        var tokens: [TextToken] = []
        tokens.reserveCapacity(bytes.count / 4 + 2)
        var separator = TokenSeparator.none
        var openParenthesis = false
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if isLowerLetter(byte) || (byte >= 0x80 && punctuationLength(bytes, index) == 0) {
                let start = index
                index += 1
                while index < count {
                    let next = bytes[index]
                    if isLowerLetter(next) || (next >= 0x80 && punctuationLength(bytes, index) == 0) {
                        index += 1
                    } else {
                        break
                    }
                }
                tokens.append(
                    TextToken(
                        start: start, end: index, isNumber: false, separator: separator,
                        afterOpenParenthesis: openParenthesis))
                separator = .none
                openParenthesis = false
            } else if isDigit(byte) {
                let start = index
                index += 1
                while index < count, isDigit(bytes[index]) { index += 1 }
                if index + 1 < count, bytes[index] == 0x2E, isDigit(bytes[index + 1]) {
                    index += 2
                    while index < count, isDigit(bytes[index]) { index += 1 }
                }
                tokens.append(
                    TextToken(
                        start: start, end: index, isNumber: true, separator: separator,
                        afterOpenParenthesis: openParenthesis))
                separator = .none
                openParenthesis = false
            } else if byte >= 0x80 {
                let length = punctuationLength(bytes, index)
                if byte == 0xE2 {
                    switch bytes[index + 2] {
                    case 0x93, 0x94:  // en dash, em dash
                        separator = max(separator, .colon)
                    case 0xA2, 0xA6, 0xA8, 0xA9:  // bullet, ellipsis, line and paragraph separators
                        separator = .clause
                    default:
                        break
                    }
                }
                index += length
            } else {
                switch byte {
                case 0x0A, 0x0D, 0x2E, 0x3B, 0x21, 0x3F, 0x7C, 0x7E:  // \n \r . ; ! ? | ~
                    separator = .clause
                case 0x3A:  // :
                    separator = max(separator, .colon)
                case 0x2C:  // ,
                    separator = max(separator, .comma)
                case 0x2F:  // /
                    separator = max(separator, .slash)
                case 0x2D:  // -
                    if isWordByte(bytes, index - 1) && isWordByte(bytes, index + 1) {
                        if isDigit(bytes[index - 1]) && isDigit(bytes[index + 1]) {
                            separator = max(separator, .slash)
                        }
                    } else {
                        separator = max(separator, .colon)
                    }
                case 0x28:  // (
                    openParenthesis = true
                default:
                    break
                }
                index += 1
            }
        }
        return tokens
    }
}

extension TokenizedText {
    /// Calls `body` with a view of the bytes and tokens that needs no reference
    /// counting; the view is valid only inside `body`.
    func withView<R>(_ body: (TokenView) -> R) -> R {
        bytes.withUnsafeBufferPointer { bytes in
            tokens.withUnsafeBufferPointer { tokens in
                body(TokenView(bytes: bytes, tokens: tokens))
            }
        }
    }
}

/// The bytes and tokens of a `TokenizedText`, borrowed for a scan.
struct TokenView {
    /// The lower-cased bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The tokens.
    let tokens: UnsafeBufferPointer<TextToken>

    /// The token count.
    @inline(__always)
    var count: Int { tokens.count }

    /// Whether a comma or a stronger break, or the end of the text, stands before token
    /// `index`.
    @inline(__always)
    func isBoundary(before index: Int) -> Bool {
        index >= tokens.count || tokens[index].separator >= .comma
    }

    /// The bytes of token `index`.
    @inline(__always)
    func word(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let token = tokens[index]
        return UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
    }

    /// Whether token `index` is `word`.
    @inline(__always)
    func token(_ index: Int, is word: StaticString) -> Bool {
        let token = tokens[index]
        let length = word.utf8CodeUnitCount
        guard token.end - token.start == length else { return false }
        let expected = word.utf8Start
        for offset in 0..<length where bytes[token.start + offset] != expected[offset] { return false }
        return true
    }

    /// The value of number token `index`, or nil for a word.
    @inline(__always)
    func number(_ index: Int) -> Double? {
        guard tokens[index].isNumber else { return nil }
        return DecimalText.value(of: word(index))
    }
}
