import AlertOutput
import StateStore
import Surveillance

/// The journal note of an escalation that was not written because its episode was
/// acknowledged `not-extravasation` (DESIGN.md section 5): the audit trail shows that a
/// suppression happened. A lifecycle entry, PRIORITY 6, `EXTRAVASD_EVENT=escalation_suppressed`,
/// with the suppressed alert's id, the episode and the acknowledged alert: no PHI.
enum SuppressedEscalation {
    /// The note's fields.
    static func fields(_ alert: Alert, review: OutboxReviewFacts, _ suppression: EpisodeSuppression) -> [(
        String, String
    )] {
        DaemonEvent.fields(
            "extravasd did not write escalation \(alert.id) (\(alert.severity.rawValue)): alert "
                + "\(suppression.acknowledgedAlertID) of its episode was acknowledged not-extravasation; "
                + "suppressed until \(WallClock.text(suppression.until))",
            id: AlertJournalFields.lifecycleMessageID, priority: .info,
            [
                ("EXTRAVASD_EVENT", "escalation_suppressed"),
                ("EXTRAVASD_SUPPRESSED_ALERT_ID", alert.id),
                ("EXTRAVASD_EPISODE", review.episode),
                ("EXTRAVASD_ACKNOWLEDGED_ALERT_ID", suppression.acknowledgedAlertID),
                ("EXTRAVASD_SEVERITY", alert.severity.rawValue),
            ])
    }
}
