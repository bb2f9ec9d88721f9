/// A `not-extravasation` acknowledgement's effect on its episode (DESIGN.md section 5):
/// until ``until``, an escalation of the episode no more severe than ``severityCeiling``
/// is not written.
public struct EpisodeSuppression: Sendable, Hashable {
    /// The episode (``OutboxReviewFacts/episode``).
    public var episode: String
    /// When the suppression ends (microseconds since the epoch, the wall clock).
    public var until: Int64
    /// The highest severity rank written in the episode when it was acknowledged: an
    /// escalation above it still alerts.
    public var severityCeiling: Int
    /// The alert whose acknowledgement suppressed the episode.
    public var acknowledgedAlertID: String

    /// Creates a suppression.
    public init(episode: String, until: Int64, severityCeiling: Int, acknowledgedAlertID: String) {
        self.episode = episode
        self.until = until
        self.severityCeiling = severityCeiling
        self.acknowledgedAlertID = acknowledgedAlertID
    }
}
