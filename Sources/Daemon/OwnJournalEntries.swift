import Journal

/// Which journal entries the daemon itself wrote: only those count as delivered, at
/// start (reconciliation) and while running (read-back confirmation).
///
/// journald adds trusted fields no sender can set: an entry counts when its `_UID` is
/// the daemon's, its `_COMM` the daemon's process name, its `_SYSTEMD_UNIT` the daemon's
/// unit (or none when the daemon runs in none), and it is not a replayed alert
/// (`EXTRAVASD_REPLAY`). `extravasd replay --journal` and entries another user wrote
/// never count. `_COMM` and `_SYSTEMD_UNIT` are compared when present: journald leaves
/// them out when the sender exited before its entry was read (a daemon killed right
/// after a send), and `_COMM` is no barrier against the same user anyway (a process may
/// rename itself); `_UID` is.
struct OwnJournalEntries: Sendable {
    /// The daemon as journald records it.
    let identity: JournalSenderIdentity

    /// The fields ``isOwn(_:)`` looks at, plus the ids the delivery reads.
    static let fields = [
        "_PID", "_UID", "_COMM", "_SYSTEMD_UNIT", "EXTRAVASD_ALERT_ID", "EXTRAVASD_MARKER", "EXTRAVASD_REPLAY",
    ]

    /// Whether `entry` (field name to value) was written by the daemon.
    func isOwn(_ entry: [String: String]) -> Bool {
        guard entry["EXTRAVASD_REPLAY"] == nil, entry["_UID"] == identity.uid else { return false }
        if let comm = entry["_COMM"], comm != identity.comm { return false }
        if let unit = entry["_SYSTEMD_UNIT"], unit != identity.unit { return false }
        return true
    }
}
