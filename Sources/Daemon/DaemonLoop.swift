/// The daemon's loops, as the watchdog and the journal name them.
public enum DaemonLoop: String, Sendable, CaseIterable {
    /// The follower's thread: inotify, reads, settle and close-write completion.
    case follower
    /// Batches through the engine and into one store transaction each.
    case engine
    /// The state store's thread (checked with a write-lock round trip).
    case store
    /// Committed alerts to journald.
    case outbox
    /// On-call review: acknowledgements taken up, reminders fired.
    case review
}
