/// The reminders due by a cutoff, and when the next one falls due
/// (``SurveillanceStore/reminders(writtenAtOrBefore:limit:)``): what the daemon reads twice
/// a second, however many alerts wait unacknowledged.
public struct DueReminders: Sendable, Hashable {
    /// The pending reminders of alerts written at or before the cutoff, the earliest
    /// written first (then in creation order), up to the limit asked for.
    public var due: [PendingReminder]
    /// The earliest time an alert with a pending reminder was written after the cutoff
    /// (microseconds since the epoch); `nil` when there is none.
    public var nextWrittenAt: Int64?

    /// Creates the answer.
    public init(due: [PendingReminder], nextWrittenAt: Int64?) {
        self.due = due
        self.nextWrittenAt = nextWrittenAt
    }
}
