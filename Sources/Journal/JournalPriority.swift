/// A syslog priority as journald stores it in the `PRIORITY` field (`0` to `7`).
///
/// Journald syncs entries of priority ``critical`` and more severe to disk at once.
public enum JournalPriority: Int, Sendable, Hashable, CaseIterable, Comparable {
    /// `0`: the system is unusable.
    case emergency = 0
    /// `1`: action must be taken immediately.
    case alert = 1
    /// `2`: critical condition.
    case critical = 2
    /// `3`: error condition.
    case error = 3
    /// `4`: warning condition.
    case warning = 4
    /// `5`: normal but significant condition.
    case notice = 5
    /// `6`: informational.
    case info = 6
    /// `7`: debug-level message.
    case debug = 7

    /// Orders by numeric value: a more severe priority is *smaller*.
    public static func < (lhs: JournalPriority, rhs: JournalPriority) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
