import MLLPListener
import AlertOutput
import FeedFollower
import HL7
import Surveillance

/// What the daemon is given by the command line and configuration.
public struct DaemonSettings: Sendable {
    /// The engine's settings (catalog, vocabularies, zone, windows).
    public var surveillance: SurveillanceSettings
    /// Renders alerts (PHI policy, zone).
    public var renderer: AlertRenderer
    /// Feed globs.
    public var patterns: [String]
    /// Quiet time that completes a trailing message.
    public var settle: Duration
    /// How long a file renamed away or deleted is still read after it went quiet.
    public var rotationGrace: Duration
    /// Message limits.
    public var limits: ParseLimits
    /// The state directory (SQLite state, dead letters).
    public var stateDirectory: String
    /// When the dead-letter file is rotated.
    public var deadLetterRotation: DeadLetters.Rotation
    /// Where the configuration came from (a path, or "built-in defaults"), for messages.
    public var origin: String
    /// The test hook of ``LoopStall`` (`nil` in service; honoured by debug builds only).
    public var stallOnSIGUSR1: DaemonLoop?
    /// `delivery.confirm_ms`: how long a sent alert may take to be read back from the
    /// journal before it is sent again (read at start; a reload does not change it).
    public var confirmWindow: Duration
    /// `clock.max_skew` in seconds: the engine's clock never passes the wall clock plus this.
    public var clockMaxSkewSeconds: Int64
    /// Many files: idle files closed after `closeIdle`, what is done with a file once read
    /// and committed, whether symbolic links are followed, the most files tracked.
    public var manyFiles = ManyFiles()
    /// `limits.state_cache_bytes`: about how much memory held patient records and message
    /// identities may take; past it, committed ones are let go (read again when needed).
    public var stateCacheBytes = 8_388_608
    /// `reminders.after_minutes`, `reminders.suppress_hours`, `review.group` (a reload
    /// takes them at once).
    public var onCallReview = OnCallReviewSettings()
    /// Leadership among instances sharing the store (`nil`: this instance alone, the
    /// SQLite store).
    public var leadership: LeadershipSettings?

    /// `feeds.close_idle_ms`, `feeds.after_read`, `feeds.follow_symlinks`, `limits.max_files`.
    public struct ManyFiles: Sendable, Equatable {
        /// `feeds.close_idle_ms`: a file read to its end and idle this long is closed.
        public var closeIdle: Duration
        /// `feeds.after_read`: what becomes of a file read, quiet and committed.
        public var afterRead: AfterRead
        /// `feeds.follow_symlinks`: whether a symbolic link is followed.
        public var followSymlinks: Bool
        /// `limits.max_files`: the most files tracked.
        public var maximumFiles: Int

        /// Creates the settings; every value has the configuration's default.
        public init(
            closeIdle: Duration = .seconds(10), afterRead: AfterRead = .keep, followSymlinks: Bool = false,
            maximumFiles: Int = 100_000
        ) {
            self.closeIdle = closeIdle
            self.afterRead = afterRead
            self.followSymlinks = followSymlinks
            self.maximumFiles = maximumFiles
        }
    }

    /// The MLLP listener's settings; `nil`: no listener (`mllp.enabled: false`). They
    /// take effect at start (a reload keeps the running listener).
    public var mllp: MLLPListenerSettings?

    /// Creates settings.
    public init(
        surveillance: SurveillanceSettings, renderer: AlertRenderer, patterns: [String], settle: Duration,
        rotationGrace: Duration = .seconds(5), limits: ParseLimits, stateDirectory: String,
        deadLetterRotation: DeadLetters.Rotation = .init(),
        origin: String = "built-in defaults", stallOnSIGUSR1: DaemonLoop? = nil,
        confirmWindow: Duration = .seconds(10),
        clockMaxSkewSeconds: Int64 = 3600
    ) {
        self.surveillance = surveillance
        self.renderer = renderer
        self.patterns = patterns
        self.settle = settle
        self.rotationGrace = rotationGrace
        self.limits = limits
        self.stateDirectory = stateDirectory
        self.deadLetterRotation = deadLetterRotation
        self.origin = origin
        self.stallOnSIGUSR1 = stallOnSIGUSR1
        self.confirmWindow = confirmWindow
        self.clockMaxSkewSeconds = clockMaxSkewSeconds
    }

    /// Whether the follower must start over to apply `other` (what it reads changed).
    func followsDifferently(from other: DaemonSettings) -> Bool {
        patterns != other.patterns || settle != other.settle || rotationGrace != other.rotationGrace
            || limits != other.limits || manyFiles != other.manyFiles
    }
}
