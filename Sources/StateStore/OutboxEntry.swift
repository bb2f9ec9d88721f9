/// One alert waiting in the outbox to be delivered (to journald).
public struct OutboxEntry: Sendable, Hashable {
    /// The alert's deterministic id (`EXTRAVASD_ALERT_ID`): the outbox holds at most one
    /// entry per id, so committing the same alert again changes nothing.
    public var alertID: String
    /// The caller's serialized journal entry, stored and returned unchanged.
    public var payload: [UInt8]

    /// Creates an entry.
    public init(alertID: String, payload: [UInt8]) {
        self.alertID = alertID
        self.payload = payload
    }
}
