/// One entry waiting in the outbox to be delivered (to journald): an alert, or the
/// unacknowledged reminder of one.
public struct OutboxEntry: Sendable, Hashable {
    /// The entry's key: the alert's deterministic id (`EXTRAVASD_ALERT_ID`), or for its
    /// reminder the id followed by `:reminder`. The outbox holds at most one entry per
    /// key, so committing the same alert (or reminder) again changes nothing.
    public var alertID: String
    /// The caller's serialized journal entry, stored and returned unchanged.
    public var payload: [UInt8]
    /// The alert's episode, severity and reminder (`nil` for a reminder's own entry, and
    /// for entries stored before on-call review).
    public var review: OutboxReviewFacts?

    /// Creates an entry.
    public init(alertID: String, payload: [UInt8], review: OutboxReviewFacts? = nil) {
        self.alertID = alertID
        self.payload = payload
        self.review = review
    }
}
