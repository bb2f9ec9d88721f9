/// One alert as the shared record holds it: a delivered outbox entry (DESIGN.md section
/// 10), kept for `store.retention_days` whichever host wrote it.
public struct SharedAlert: Sendable, Hashable {
    /// The alert's id (its outbox key).
    public var alertID: String
    /// The stored payload: the alert's journal fields, as the daemon serialized them.
    public var payload: [UInt8]
    /// When it was written to a journal (microseconds since the epoch), as marked delivered.
    public var writtenAt: Int64
    /// Whether its unacknowledged reminder was written (fired).
    public var reminded: Bool

    /// Creates an alert record.
    public init(alertID: String, payload: [UInt8], writtenAt: Int64, reminded: Bool) {
        self.alertID = alertID
        self.payload = payload
        self.writtenAt = writtenAt
        self.reminded = reminded
    }
}
