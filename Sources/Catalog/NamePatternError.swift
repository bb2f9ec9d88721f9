/// Why a string is not a valid name pattern.
///
/// The code is extensible: new codes may be added without breaking callers that
/// switch over the ones they know.
public struct NamePatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name, e.g. `empty_pattern`.
        public var rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// The pattern holds no word at all.
        public static let emptyPattern = Code(rawValue: "empty_pattern")
        /// The pattern holds a character that patterns do not use (e.g. a regular
        /// expression operator such as `[`, `|`, `^`, `\`).
        public static let forbiddenCharacter = Code(rawValue: "forbidden_character")
        /// A word of the pattern is made of `*` only: it would match any word.
        public static let bareWildcard = Code(rawValue: "bare_wildcard")
    }

    /// What is wrong.
    public var code: Code
    /// The pattern, exactly as written.
    public var pattern: String
    /// A sentence for people.
    public var reason: String

    /// Creates an error.
    public init(code: Code, pattern: String, reason: String) {
        self.code = code
        self.pattern = pattern
        self.reason = reason
    }

    /// `bad name pattern "PATTERN": REASON`.
    public var description: String { "bad name pattern \"\(pattern)\": \(reason)" }
}
