import StateStore
import Surveillance
import Synchronization

/// The episode suppressions in effect (DESIGN.md section 5): a trusted `not-extravasation`
/// acknowledgement suppresses its episode's escalations for `reminders.suppress_hours`.
///
/// The store holds them (``SurveillanceStore/storedReview()`` at start); this holds the
/// same in memory, shared by the review loop (which commits a suppression, then adds it
/// here) and the engine loop (which asks, for each alert, before it goes to the outbox).
/// An escalation processed between the commit and the addition is written: the safe side.
final class EpisodeSuppressions: Sendable {
    private let byEpisode = Mutex<[String: EpisodeSuppression]>([:])

    /// No suppression.
    init() {}

    /// Takes `suppressions` (replacing one of the same episode).
    func add(_ suppressions: [EpisodeSuppression]) {
        byEpisode.withLock { table in
            for suppression in suppressions { table[suppression.episode] = suppression }
        }
    }

    /// Forgets the suppressions of `episodes`.
    func remove(_ episodes: [String]) {
        byEpisode.withLock { table in
            for episode in episodes { table[episode] = nil }
        }
    }

    /// The episodes whose suppression ended by `now` (microseconds, the wall clock).
    func ended(at now: Int64) -> [String] {
        byEpisode.withLock { table in table.values.filter { $0.until <= now }.map(\.episode).sorted() }
    }

    /// The suppression that keeps `alert` (of `review`'s episode) from being written at
    /// `now`, if one does: only an `extravasation_escalated` alert, of a suppressed
    /// episode, before the suppression ends, no more severe than any alert written in the
    /// episode when it was acknowledged. A new episode (its first alert is
    /// `extravasation_suspected`), `calcinosis_suspected` and a higher severity are never
    /// suppressed.
    func suppression(of alert: Alert, review: OutboxReviewFacts, at now: Int64) -> EpisodeSuppression? {
        guard alert.kind == .extravasationEscalated else { return nil }
        return byEpisode.withLock { table in
            guard let suppression = table[review.episode], now < suppression.until,
                review.severityRank <= suppression.severityCeiling
            else { return nil }
            return suppression
        }
    }
}
