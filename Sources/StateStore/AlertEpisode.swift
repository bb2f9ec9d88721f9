/// The episode an alert belongs to, as the outbox knows it
/// (``SurveillanceStore/episode(ofAlert:)``).
public struct AlertEpisode: Sendable, Hashable {
    /// The episode (``OutboxReviewFacts/episode``).
    public var episode: String
    /// The highest severity rank among the episode's alerts in the outbox.
    public var highestSeverityRank: Int

    /// Creates the record.
    public init(episode: String, highestSeverityRank: Int) {
        self.episode = episode
        self.highestSeverityRank = highestSeverityRank
    }
}
