import AlertOutput

/// An acknowledgement as the journal holds it (`extravasd ack`, DESIGN.md section 5),
/// with journald's trusted `_UID` of the process that wrote it.
public struct ReviewAcknowledgement: Sendable, Hashable {
    /// `EXTRAVASD_ALERT_ID`: the alert acknowledged.
    public var alertID: String
    /// `EXTRAVASD_ACK_BY`.
    public var by: String
    /// `EXTRAVASD_DISPOSITION`; `nil` when none was given (or an unknown one was written).
    public var disposition: Acknowledgement.Disposition?
    /// `EXTRAVASD_NOTE`.
    public var note: String?
    /// When journald stored the entry (`__REALTIME_TIMESTAMP`, microseconds since the epoch).
    public var writtenAt: Int64
    /// journald's trusted `_UID` of the writer (no sender can set it); `nil` when absent.
    public var uid: UInt32?
    /// The entry's `__CURSOR`, when read with one (the daemon saves where it stands).
    public var cursor: String?

    /// Reads an acknowledgement entry (field name to value); `nil` when it is not one
    /// (another MESSAGE_ID, no alert id or no name).
    public init?(journalEntry fields: [String: String]) {
        guard fields["MESSAGE_ID"] == Acknowledgement.messageID,
            let alertID = fields["EXTRAVASD_ALERT_ID"], !alertID.isEmpty,
            let by = fields["EXTRAVASD_ACK_BY"]
        else { return nil }
        self.alertID = alertID
        self.by = by
        disposition = fields["EXTRAVASD_DISPOSITION"].flatMap(Acknowledgement.Disposition.init(rawValue:))
        note = fields["EXTRAVASD_NOTE"]
        writtenAt = fields["__REALTIME_TIMESTAMP"].flatMap { Int64($0) } ?? 0
        uid = fields["_UID"].flatMap { UInt32($0) }
        cursor = fields["__CURSOR"]
    }

    /// Creates an acknowledgement record (tests and tools).
    public init(
        alertID: String, by: String, disposition: Acknowledgement.Disposition?, note: String?,
        writtenAt: Int64, uid: UInt32?, cursor: String? = nil
    ) {
        self.alertID = alertID
        self.by = by
        self.disposition = disposition
        self.note = note
        self.writtenAt = writtenAt
        self.uid = uid
        self.cursor = cursor
    }

    /// The journal fields an acknowledgement reader asks for.
    public static let fields = [
        "MESSAGE_ID", "EXTRAVASD_ALERT_ID", "EXTRAVASD_ACK_BY", "EXTRAVASD_DISPOSITION", "EXTRAVASD_NOTE",
        "__REALTIME_TIMESTAMP", "_UID",
    ]
}
