import Journal

/// Which journal entries the daemon itself wrote: only those count as delivered, at
/// start (reconciliation) and while running (read-back confirmation), and only with the
/// MESSAGE_ID and alert id of the outbox entry (``OutboxEntryIdentity``).
///
/// journald adds trusted fields no sender can set. An entry is the daemon's when it is
/// not a replayed alert (`EXTRAVASD_REPLAY`), its `_UID` is the daemon's, its
/// `_SYSTEMD_UNIT`, when present, the daemon's unit, and its `_COMM` the daemon's
/// process name. `extravasd replay --journal`, another user's entry and another program
/// of the same user never count.
///
/// journald leaves `_COMM` (and `_SYSTEMD_UNIT`, `_EXE`) out when the sender exited
/// before its entry was read: a daemon killed right after a send, but also any program
/// that sends and exits at once. Such an entry counts only when the same process
/// (`_BOOT_ID` and `_PID`) wrote another entry that does carry the daemon's `_COMM` and
/// `_UID` (the daemon writes `started` long before any alert): ``verdict(_:)`` says which
/// process to look up.
struct OwnJournalEntries: Sendable {
    /// What ``verdict(_:)`` concludes from an entry's own fields.
    enum Verdict: Equatable {
        /// Written by the daemon.
        case own
        /// Not written by the daemon.
        case foreign
        /// The daemon's if that process wrote an entry with the daemon's `_COMM` and `_UID`.
        case ownIfProcessWasTheDaemon(bootID: String, pid: String)
    }

    /// The daemon as journald records it.
    let identity: JournalSenderIdentity

    /// The fields the read-back follower asks for.
    static let fields = [
        "_PID", "_UID", "_COMM", "_SYSTEMD_UNIT", "_BOOT_ID", "MESSAGE_ID", "EXTRAVASD_ALERT_ID",
        "EXTRAVASD_MARKER", "EXTRAVASD_REPLAY",
    ]

    /// Judges `entry` (field name to value) on its own fields.
    func verdict(_ entry: [String: String]) -> Verdict {
        guard entry["EXTRAVASD_REPLAY"] == nil, entry["_UID"] == identity.uid else { return .foreign }
        if let unit = entry["_SYSTEMD_UNIT"], unit != identity.unit { return .foreign }
        if let comm = entry["_COMM"] { return comm == identity.comm ? .own : .foreign }
        guard let bootID = entry["_BOOT_ID"], let pid = entry["_PID"] else { return .foreign }
        return .ownIfProcessWasTheDaemon(bootID: bootID, pid: pid)
    }

    /// The match that finds an entry of process `pid` (boot `bootID`) carrying the
    /// daemon's `_COMM` and `_UID`.
    func processMatch(bootID: String, pid: String) -> [String: String] {
        ["_BOOT_ID": bootID, "_PID": pid, "_COMM": identity.comm, "_UID": identity.uid]
    }

    /// Whether an entry of this very process (the follower matches `_PID`) is the
    /// daemon's: the process is alive, so a missing `_COMM` is no doubt.
    func isOwnWhileRunning(_ entry: [String: String]) -> Bool {
        entry["_PID"] == identity.pid && verdict(entry) != .foreign
    }
}
