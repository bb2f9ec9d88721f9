/// An alert whose unacknowledged reminder has neither fired nor been stopped by an
/// acknowledgement (``SurveillanceStore/pendingReminders()``).
public struct PendingReminder: Sendable, Hashable {
    /// The alert's id (its outbox key).
    public var alertID: String
    /// The alert's stored payload (the reminder carries the alert's fields).
    public var payload: [UInt8]
    /// When the alert was written to the journal (microseconds since the epoch, the wall
    /// clock), as given to ``SurveillanceStore/markDelivered(_:writtenAt:)``; `nil` while it
    /// is not delivered yet.
    public var writtenAt: Int64?

    /// Creates a pending reminder.
    public init(alertID: String, payload: [UInt8], writtenAt: Int64?) {
        self.alertID = alertID
        self.payload = payload
        self.writtenAt = writtenAt
    }
}
