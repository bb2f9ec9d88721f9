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
    /// Message limits.
    public var limits: ParseLimits
    /// The state directory (SQLite state, dead letters).
    public var stateDirectory: String

    /// Creates settings.
    public init(
        surveillance: SurveillanceSettings, renderer: AlertRenderer, patterns: [String], settle: Duration,
        limits: ParseLimits, stateDirectory: String
    ) {
        self.surveillance = surveillance
        self.renderer = renderer
        self.patterns = patterns
        self.settle = settle
        self.limits = limits
        self.stateDirectory = stateDirectory
    }
}
