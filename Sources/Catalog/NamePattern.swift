/// A case-insensitive, word-aware pattern over a drug's name (the give code's text).
///
/// Syntax (deliberately small, not a regular expression):
/// - A pattern is a sequence of words; it matches when the same words appear
///   consecutively, in that order, anywhere in the name. Case never matters.
/// - Names and patterns are cut into words the same way (see ``words(in:)``): runs of
///   letters and digits; apostrophes vanish ("Ringer's" = `ringers`); `%` is a word of
///   its own ("10%" = `10 %`); `.` stays only between digits (`12.5`); every other
///   character (space, `-`, `/`, `,`, `+`, brackets) only separates words.
/// - Words match whole words: `lr` matches "LR" and "D5 LR" but never "BLR" or "LRX";
///   `pn` never matches "PNEUMOVAX".
/// - `*` inside a word matches any run of letters and digits, including none, within
///   that one word: `ringer*` matches "Ringer", "Ringers", "Ringer's"; `*cillin`
///   matches "ampicillin". A word made of `*` only is not allowed.
/// - Allowed characters: letters, digits, spaces and `* % ' ’ - / . , + ( ) & :`.
///   Regular-expression operators (`[ ] ^ $ ? | \ { }`, ...) are rejected, so a pattern
///   written as a regular expression is reported instead of silently never matching.
///
/// Examples: `calcium gluconate` matches "CALCIUM GLUCONATE 100 MG/ML" and
/// "Calcium Gluconate 10% inj"; `dextrose 10%` matches "Dextrose 10% in water" but not
/// "dextrose 100 mg"; `cacl2` matches "CaCl2".
public struct NamePattern: Sendable, Hashable, CustomStringConvertible {
    /// One word of a pattern.
    enum Word: Sendable, Hashable {
        /// A word without wildcard, compared exactly (already lower-cased).
        case literal(String)
        /// A word with `*` wildcards, matched byte-wise over UTF-8.
        case glob([UInt8])

        /// `true` when `word` (lower-cased) matches this pattern word.
        func matches(_ word: String) -> Bool {
            switch self {
            case .literal(let literal):
                return literal == word
            case .glob(let glob):
                return NamePattern.globMatches(glob, Array(word.utf8))
            }
        }
    }

    /// The pattern exactly as written.
    public let source: String
    /// The pattern's words.
    let words: [Word]

    /// Separators allowed in a pattern besides spaces and letters and digits.
    private static let allowedPunctuation: Set<Unicode.Scalar> = [
        " ", "\t", "*", "%", "'", "\u{2019}", "\u{2018}", "-", "/", ".", ",", "+", "(", ")", "&", ":",
    ]

    /// Parses a pattern.
    ///
    /// - Throws: ``NamePatternError`` when the pattern holds a forbidden character,
    ///   no word at all, or a word made only of `*`.
    public init(_ source: String) throws(NamePatternError) {
        for scalar in source.unicodeScalars
        where !DrugNameWords.isWordScalar(scalar) && !NamePattern.allowedPunctuation.contains(scalar) {
            throw NamePatternError(
                code: .forbiddenCharacter, pattern: source,
                reason:
                    "the character '\(scalar.escaped(asASCII: false))' is not allowed; patterns are words with '*' wildcards, not regular expressions"
            )
        }
        let parts = DrugNameWords.words(in: source, keepingWildcards: true)
        guard !parts.isEmpty else {
            throw NamePatternError(code: .emptyPattern, pattern: source, reason: "it holds no word")
        }
        var words: [Word] = []
        for part in parts {
            if part.allSatisfy({ $0 == "*" }) {
                throw NamePatternError(
                    code: .bareWildcard, pattern: source,
                    reason:
                        "a word made only of '*' would match any word; write part of the word, e.g. 'ringer*'"
                )
            }
            words.append(part.contains("*") ? .glob(Array(part.utf8)) : .literal(part))
        }
        self.source = source
        self.words = words
    }

    /// The words of a drug name, as patterns see them (lower case; see the type's
    /// documentation for how names are cut).
    public static func words(in text: String) -> [String] {
        DrugNameWords.words(in: text)
    }

    /// `true` when the pattern's words appear consecutively in `text`.
    public func matches(_ text: String) -> Bool {
        matches(words: DrugNameWords.words(in: text))
    }

    /// `true` when the pattern's words appear consecutively in `textWords` (as
    /// returned by ``words(in:)``).
    public func matches(words textWords: [String]) -> Bool {
        guard !words.isEmpty, textWords.count >= words.count else { return false }
        var start = 0
        while start + words.count <= textWords.count {
            var offset = 0
            while offset < words.count, words[offset].matches(textWords[start + offset]) {
                offset += 1
            }
            if offset == words.count { return true }
            start += 1
        }
        return false
    }

    /// The pattern as written.
    public var description: String { source }

    /// Patterns are equal when written the same.
    public static func == (lhs: NamePattern, rhs: NamePattern) -> Bool { lhs.source == rhs.source }

    /// Hashes the pattern as written.
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// Glob matching where `*` (0x2A) matches any run of bytes, including none.
    static func globMatches(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] != 0x2A, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == 0x2A {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == 0x2A { p += 1 }
        return p == pattern.count
    }
}
