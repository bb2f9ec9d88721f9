import AlertOutput
import Review
import StateStore

/// The shared record's rows (DESIGN.md section 10) as the journal-shaped entries (field
/// name to value) that on-call review folds: the daemon's ``AcknowledgementIntake`` and
/// the commands' `AlertReview` judge a row exactly as they judge the journal entry `ack`
/// wrote beside it. No entry carries `__CURSOR`: a row never moves the journal cursor.
public enum SharedRecordEntries {
    /// The acknowledgement entry of `row`: its alert id, by, disposition and note, the time
    /// recorded as `__REALTIME_TIMESTAMP` and the writer's uid as `_UID`.
    public static func entry(_ row: SharedAcknowledgement) -> [String: String] {
        var fields = [
            "MESSAGE_ID": Acknowledgement.messageID, "EXTRAVASD_ALERT_ID": row.alertID,
            "EXTRAVASD_ACK_BY": row.by, "__REALTIME_TIMESTAMP": String(row.acknowledgedAt),
        ]
        if let disposition = row.disposition { fields["EXTRAVASD_DISPOSITION"] = disposition }
        if let note = row.note { fields["EXTRAVASD_NOTE"] = note }
        if let uid = row.uid { fields["_UID"] = String(uid) }
        return fields
    }

    /// The entries of `alert`: its journal entry as stored (with the time it was written
    /// as `__REALTIME_TIMESTAMP`), then its reminder's when the reminder fired; none when
    /// the stored payload cannot be read.
    public static func entries(_ alert: SharedAlert) -> [[String: String]] {
        guard let pairs = AlertJournalFields.decode(alert.payload) else { return [] }
        var fields: [String: String] = [:]
        for (name, value) in pairs { fields[name] = value }
        fields["__REALTIME_TIMESTAMP"] = String(alert.writtenAt)
        guard alert.reminded else { return [fields] }
        let reminder = [
            "MESSAGE_ID": ReviewJournal.reminderMessageID, "EXTRAVASD_ALERT_ID": alert.alertID,
            "EXTRAVASD_REMINDER": "1",
        ]
        return [fields, reminder]
    }
}
