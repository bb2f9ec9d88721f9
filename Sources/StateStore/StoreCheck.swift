/// What `extravasd state check` found in a state database (DESIGN.md section 2): damage
/// (``problems``: the store cannot be trusted) and facts worth knowing (``notes``).
public struct StoreCheck: Sendable {
    /// The database file.
    public var path: String
    /// Whether it exists (a missing one is created empty at the first start).
    public var exists: Bool
    /// What is wrong: `PRAGMA quick_check`'s findings, a schema this build cannot use,
    /// a missing table, an error reading it. Empty when healthy.
    public var problems: [String] = []
    /// What is worth knowing and is not damage: the last stop, the schema version, alerts
    /// still to deliver, checkpoints of files that are gone or shorter.
    public var notes: [String] = []
    /// The checkpoints it holds.
    public var checkpoints: [FileCheckpoint] = []

    /// Creates an empty result for `path`.
    public init(path: String, exists: Bool) {
        self.path = path
        self.exists = exists
    }

    /// Whether nothing is wrong.
    public var isHealthy: Bool { problems.isEmpty }
}
