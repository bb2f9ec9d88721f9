/// One acknowledgement as the shared record holds it (DESIGN.md section 10: with the
/// PostgreSQL store, `extravasd ack` writes a row as well as the journal entry, so that
/// every host sees it). Store-neutral: the disposition is the text `ack` was given.
public struct SharedAcknowledgement: Sendable, Hashable {
    /// The row's place in the record (assigned when it is stored, increasing in commit
    /// order); 0 for one not stored yet.
    public var sequence: Int64
    /// The alert acknowledged (`EXTRAVASD_ALERT_ID`).
    public var alertID: String
    /// Who acknowledged it (`EXTRAVASD_ACK_BY`).
    public var by: String
    /// The disposition as written (`EXTRAVASD_DISPOSITION`), `nil` when none was given.
    public var disposition: String?
    /// The note (`EXTRAVASD_NOTE`), `nil` when none was given.
    public var note: String?
    /// When it was recorded (microseconds since the epoch, the writing host's clock).
    public var acknowledgedAt: Int64
    /// The host `ack` ran on.
    public var host: String
    /// The user id `ack` ran as (judged like journald's `_UID` by `review.group`); `nil`
    /// when unknown.
    public var uid: UInt32?

    /// Creates an acknowledgement record.
    public init(
        sequence: Int64 = 0, alertID: String, by: String, disposition: String?, note: String?,
        acknowledgedAt: Int64, host: String, uid: UInt32?
    ) {
        self.sequence = sequence
        self.alertID = alertID
        self.by = by
        self.disposition = disposition
        self.note = note
        self.acknowledgedAt = acknowledgedAt
        self.host = host
        self.uid = uid
    }
}
