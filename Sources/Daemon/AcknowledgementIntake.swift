import AlertOutput
import Review
import StateStore

/// What a run of acknowledgement entries changes (DESIGN.md section 5, "On-call review"):
/// judged one by one, in journal order, into the store changes of one transaction.
///
/// - An acknowledgement counts only when journald's trusted `_UID` is root or a member of
///   `review.group` (``AcknowledgementTrust``); another one changes nothing and is named
///   in ``untrusted`` (alert id and uid only: no PHI).
/// - A trusted one stops the alert's reminder if it is still pending.
/// - A trusted `not-extravasation` one suppresses the alert's episode for
///   `reminders.suppress_hours` from the time it was written (not from when the daemon read
///   it), below the highest severity written in the episode so far. An alert the outbox
///   does not know (another host's, pruned, a replayed one) has no episode: nothing is
///   suppressed.
struct AcknowledgementIntake: Sendable {
    /// An acknowledgement that changed nothing because its writer is not trusted.
    struct Untrusted: Sendable, Hashable {
        /// The alert it names.
        var alertID: String
        /// Its writer's `_UID` (`nil`: none recorded).
        var uid: UInt32?
    }

    /// Alerts whose reminder stops.
    var stoppedReminders: [String] = []
    /// Episodes suppressed (the latest acknowledgement of an episode wins).
    var suppressions: [EpisodeSuppression] = []
    /// Acknowledgements that changed nothing.
    var untrusted: [Untrusted] = []
    /// The cursor of the last entry judged: where the daemon stands once this is committed.
    var cursor: String?

    /// Judges `entries` (acknowledgement entries with their trusted fields and
    /// `__CURSOR`) with `trust`; `episode` looks an alert's episode up in the store.
    ///
    /// - Throws: what `episode` throws (nothing is then committed: the same entries are
    ///   judged again).
    static func judge(
        _ entries: [[String: String]], trust: AcknowledgementTrust, settings: OnCallReviewSettings,
        now: Int64,
        episode: (String) async throws -> AlertEpisode?
    ) async throws -> AcknowledgementIntake {
        var intake = AcknowledgementIntake()
        var suppressions: [String: EpisodeSuppression] = [:]
        var order: [String] = []
        for entry in entries {
            if let cursor = entry["__CURSOR"] { intake.cursor = cursor }
            guard let acknowledgement = ReviewAcknowledgement(journalEntry: entry) else { continue }
            guard trust.trusts(uid: acknowledgement.uid) else {
                intake.untrusted.append(Untrusted(alertID: acknowledgement.alertID, uid: acknowledgement.uid))
                continue
            }
            intake.stoppedReminders.append(acknowledgement.alertID)
            guard acknowledgement.disposition == .notExtravasation,
                let found = try await episode(acknowledgement.alertID)
            else { continue }
            let writtenAt = acknowledgement.writtenAt > 0 ? acknowledgement.writtenAt : now
            let until = writtenAt + settings.suppressionMicroseconds
            guard until > now else { continue }
            if suppressions[found.episode] == nil { order.append(found.episode) }
            suppressions[found.episode] = EpisodeSuppression(
                episode: found.episode, until: until, severityCeiling: found.highestSeverityRank,
                acknowledgedAlertID: acknowledgement.alertID)
        }
        intake.suppressions = order.compactMap { suppressions[$0] }
        return intake
    }
}
