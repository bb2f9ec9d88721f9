/// Every problem found while loading a configuration (all of them, not only the first).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order (the configuration file's first, then each catalog
    /// file's), each file's by line and column.
    public var issues: [ConfigurationIssue]

    /// Creates an error from its issues.
    public init(issues: [ConfigurationIssue]) {
        self.issues = issues
    }

    /// One `FILE:LINE:COLUMN: error: REASON` line per issue.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
