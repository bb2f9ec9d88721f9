import HL7

/// What a ``FeedFollower`` follows and how.
public struct FollowerSettings: Sendable {
    /// Glob patterns (glob(3)) of the feed files, e.g. `/var/spool/hl7/*.hl7`. Files that
    /// come to match while following are picked up.
    public var patterns: [String]
    /// Quiet time after which a trailing message whose last byte is a segment terminator
    /// is complete (default 200 ms).
    public var settle: Duration
    /// How long a file renamed away or deleted is kept (and read) after it last grew
    /// before it is let go, unless the file that took its path has data first (default
    /// 5 s; never less than ``settle``). A writer that holds the file open keeps appending
    /// to it after a rename until it reopens the path: those bytes are read as long as
    /// they come within the grace of each other.
    public var rotationGrace: Duration
    /// How often the patterns are globbed again and every file re-checked, a safety net
    /// under inotify (default 2 s).
    public var rescanInterval: Duration
    /// Limits each message is held to.
    public var limits: ParseLimits
    /// Bytes per read (default 64 KiB).
    public var chunkSize: Int
    /// The most messages in one batch (default 256): a large backlog arrives in several
    /// batches, so memory stays bounded.
    public var maximumBatchMessages: Int
    /// When set, a batch is handed over at least this often, empty when nothing happened:
    /// the consumer's loop then turns (and can take a reload or report health) on an idle
    /// feed too. `nil` (the default): batches only when something happened.
    public var idleBatchInterval: Duration?
    /// Called on the follower's thread at every turn of its loop (at least every
    /// ``idleBatchInterval`` or ``rescanInterval``): a liveness heartbeat for a watchdog.
    /// It must return quickly.
    public var heartbeat: (@Sendable () -> Void)?
    /// How long a fully read file stays open without changing before its descriptor is
    /// closed (default 10 s). It is opened again when it changes (an inotify event, or a
    /// rescan finding another size or modification time), its identity checked again.
    public var closeIdle: Duration
    /// What is done with a file once read, quiet and committed (default ``AfterRead/keep``).
    public var afterRead: AfterRead
    /// Whether a symbolic link a pattern matches is followed (default `false`: files are
    /// opened with `O_NOFOLLOW`, and a matching link is reported once and skipped).
    public var followSymlinks: Bool
    /// The most files tracked at once (default 100,000): files beyond are reported (once
    /// per pattern) and taken up when room frees.
    public var maximumFiles: Int
    /// The most feed files held open at once; `nil` (the default): half the process's
    /// soft `RLIMIT_NOFILE`. Files fully read are closed first (least recently used); a
    /// file opened again is checked to be the same file.
    public var maximumOpenFiles: Int?

    /// Creates settings.
    public init(
        patterns: [String], settle: Duration = .milliseconds(200), rescanInterval: Duration = .seconds(2),
        limits: ParseLimits = .service, chunkSize: Int = 64 * 1024, maximumBatchMessages: Int = 256,
        idleBatchInterval: Duration? = nil, heartbeat: (@Sendable () -> Void)? = nil,
        rotationGrace: Duration = .seconds(5), closeIdle: Duration = .seconds(10),
        afterRead: AfterRead = .keep,
        followSymlinks: Bool = false, maximumFiles: Int = 100_000, maximumOpenFiles: Int? = nil
    ) {
        self.closeIdle = closeIdle
        self.afterRead = afterRead
        self.followSymlinks = followSymlinks
        self.maximumFiles = maximumFiles
        self.maximumOpenFiles = maximumOpenFiles
        self.rotationGrace = rotationGrace
        self.idleBatchInterval = idleBatchInterval
        self.heartbeat = heartbeat
        self.patterns = patterns
        self.settle = settle
        self.rescanInterval = rescanInterval
        self.limits = limits
        self.chunkSize = chunkSize
        self.maximumBatchMessages = maximumBatchMessages
    }
}
