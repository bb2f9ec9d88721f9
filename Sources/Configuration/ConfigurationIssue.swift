/// One problem found in the configuration file or in a catalog file, with its place.
///
/// `description` is the line `check-config` prints: `FILE:LINE:COLUMN: error: REASON`.
/// Lines and columns count from 1 (columns in Unicode scalars); a problem that has no
/// place in the file (the file cannot be read) is at line 0, column 0.
public struct ConfigurationIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable kind of problem. Extensible: new codes may be added
    /// without breaking callers that switch over the ones they know.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name, e.g. `unknown_key`.
        public var rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// The file cannot be read (missing, unreadable, not UTF-8).
        public static let unreadableFile = Code(rawValue: "unreadable_file")
        /// The file is not valid YAML.
        public static let syntax = Code(rawValue: "syntax")
        /// A key that the configuration or catalog format does not know (often a typo).
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// A required key is missing.
        public static let missingKey = Code(rawValue: "missing_key")
        /// A value of the wrong type (a string where a number belongs, ...).
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A value of the right type that is not allowed (out of range, unknown name).
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// A catalog entry id used twice in one file.
        public static let duplicateID = Code(rawValue: "duplicate_id")
        /// A name pattern that is not valid (see `NamePattern`).
        public static let badPattern = Code(rawValue: "bad_pattern")
        /// A reference to something that does not exist (an unknown catalog entry id).
        public static let unknownReference = Code(rawValue: "unknown_reference")
        /// Settings that contradict each other.
        public static let conflict = Code(rawValue: "conflict")
    }

    /// The file the problem is in, as named (the configuration file or a catalog file).
    public var file: String
    /// Line of the problem, from 1 (0 when the problem has no place in the file).
    public var line: Int
    /// Column of the problem, from 1 (0 when the problem has no place in the file).
    public var column: Int
    /// What is wrong, for people.
    public var reason: String
    /// What kind of problem it is.
    public var code: Code

    /// Creates an issue.
    public init(file: String, line: Int, column: Int, reason: String, code: Code) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.code = code
    }

    /// `FILE:LINE:COLUMN: error: REASON`.
    public var description: String { "\(file):\(line):\(column): error: \(reason)" }
}
