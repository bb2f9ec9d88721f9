/// Which entries a journal query reads, as libsystemd's matches express it: an entry
/// matches when it matches any one of the ``alternatives``; it matches an alternative
/// when, for every field the alternative names, its value is one of the values listed.
///
/// `[["MESSAGE_ID": [a, b], "EXTRAVASD_PATIENT": [p]], ["MESSAGE_ID": [c]]]` reads the
/// entries with MESSAGE_ID `a` or `b` and patient `p`, and every entry with MESSAGE_ID
/// `c` (`sd_journal_add_match` for each value, `sd_journal_add_disjunction` between
/// alternatives). No alternatives match every entry.
public struct JournalMatch: Sendable, Hashable {
    /// The alternatives: field name to the values it may have. Each list of values is
    /// non-empty.
    public var alternatives: [[String: [String]]]

    /// Entries matching any one of `alternatives`.
    public init(anyOf alternatives: [[String: [String]]]) {
        precondition(
            alternatives.allSatisfy { $0.values.allSatisfy { !$0.isEmpty } },
            "a field of a journal match needs at least one value")
        self.alternatives = alternatives
    }

    /// Entries whose fields equal all of `fields` (an empty dictionary: every entry).
    public init(_ fields: [String: String]) {
        alternatives = fields.isEmpty ? [] : [fields.mapValues { [$0] }]
    }
}
