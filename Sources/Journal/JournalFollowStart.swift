/// Where a journal follower starts (``JournalFollower``, ``JournalAccess``).
public enum JournalFollowStart: Sendable, Hashable {
    /// After the last entry written so far: only what is written from now on.
    case end
    /// At the journal's first entry: everything it still holds, then what is written.
    case head
    /// Just after the entry at this cursor (`__CURSOR`, as an earlier follower returned
    /// it): nothing written since is missed, also across restarts. When that entry is gone
    /// (the journal was vacuumed), at the first entry after where it stood.
    case after(cursor: String)
}
