/// A store that is the shared record of alerts and acknowledgements across hosts
/// (DESIGN.md section 10): with it, `extravasd ack` writes a row beside the journal entry,
/// `extravasd alerts` and `report` read alerts and acknowledgements from it, and the
/// daemon's reminders and suppressions take acknowledgements written on any host.
///
/// The PostgreSQL store implements it; the SQLite store does not (one host: the local
/// journal is the record). Callers ask `store as? any SharedReviewRecord`.
public protocol SharedReviewRecord: Actor {
    /// Whether the outbox holds an alert with this id (delivered or not; a reminder's own
    /// entry does not count).
    func alertExists(_ alertID: String) async throws -> Bool
    /// Stores `acknowledgement` (its ``SharedAcknowledgement/sequence`` ignored); returns it
    /// with the sequence it was given. Rows are numbered in commit order.
    func recordAcknowledgement(_ acknowledgement: SharedAcknowledgement) async throws -> SharedAcknowledgement
    /// The acknowledgements stored after `sequence`, in sequence order.
    func acknowledgements(after sequence: Int64) async throws -> [SharedAcknowledgement]
    /// The delivered alerts (not reminders' own entries) written from `since` through
    /// `until` (microseconds since the epoch, both inclusive, `nil`: unbounded), by the time
    /// written, then creation order.
    func deliveredAlerts(since: Int64?, until: Int64?) async throws -> [SharedAlert]
    /// Closes the record; later calls throw. Safe to call more than once.
    func close() async
}
