/// What on-call review needs to know of an alert stored in the outbox (DESIGN.md section 5,
/// "On-call review"): the episode it belongs to, how severe it is, and whether an
/// unacknowledged reminder is due for it once it is written to the journal.
///
/// The store keeps these beside the alert's row without interpreting them: an
/// acknowledgement names an alert id, and the daemon asks the store for that alert's
/// episode and the highest severity written in it (``SurveillanceStore/episode(ofAlert:)``).
public struct OutboxReviewFacts: Sendable, Hashable {
    /// The episode's name, the same for every alert of one episode (the daemon uses the id
    /// of the episode's first alert: no PHI).
    public var episode: String
    /// The alert's severity as a rank: higher is more severe (the daemon's ranking).
    public var severityRank: Int
    /// Whether a reminder is due if nobody acknowledges the alert (a `critical` alert):
    /// it becomes pending once the alert is marked delivered, with the time it was written.
    public var remindsIfUnacknowledged: Bool

    /// Creates the review facts of one alert.
    public init(episode: String, severityRank: Int, remindsIfUnacknowledged: Bool) {
        self.episode = episode
        self.severityRank = severityRank
        self.remindsIfUnacknowledged = remindsIfUnacknowledged
    }
}
