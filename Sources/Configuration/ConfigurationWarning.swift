/// Something in the configuration that loads but does not do what it says, with its
/// place: `check-config` prints it (exit status unchanged) and `run` logs it once at start.
///
/// `description` is `FILE:LINE:COLUMN: warning: REASON`.
public struct ConfigurationWarning: Sendable, Hashable, CustomStringConvertible {
    /// The configuration file, as named.
    public var file: String
    /// Line, from 1.
    public var line: Int
    /// Column, from 1.
    public var column: Int
    /// What does not happen, for people.
    public var reason: String

    /// Creates a warning.
    public init(file: String, line: Int, column: Int, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `FILE:LINE:COLUMN: warning: REASON`.
    public var description: String { "\(file):\(line):\(column): warning: \(reason)" }
}
