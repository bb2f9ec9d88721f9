import Journal

/// What tells one outbox entry's journal entry from another's: its `MESSAGE_ID` and
/// `EXTRAVASD_ALERT_ID` (DESIGN.md section 5: a reminder "is reconciled on MESSAGE_ID +
/// alert id").
///
/// An alert, its unacknowledged reminder and the acknowledgements of it all carry the
/// alert's id; only the MESSAGE_ID says which is which. Read-back confirmation and
/// start-up reconciliation match on both, so neither a reminder nor an acknowledgement
/// (written by root through the same binary, `_COMM=extravasd`) counts as the alert's
/// delivery, nor the alert as its reminder's.
struct OutboxEntryIdentity: Sendable, Hashable {
    /// The entry's `MESSAGE_ID`.
    var messageID: String
    /// Its `EXTRAVASD_ALERT_ID`.
    var alertID: String

    /// The identity of an entry to send; `nil` when it lacks either field.
    init?(_ entry: JournalEntry) {
        guard let messageID = entry.messageID,
            let alertID = entry.fields.first(where: { $0.name.rawValue == "EXTRAVASD_ALERT_ID" })?.stringValue
        else { return nil }
        self.messageID = messageID
        self.alertID = alertID
    }

    /// The identity of an entry read back (field name to value); `nil` when it lacks either field.
    init?(fields: [String: String]) {
        guard let messageID = fields["MESSAGE_ID"], let alertID = fields["EXTRAVASD_ALERT_ID"] else {
            return nil
        }
        self.messageID = messageID
        self.alertID = alertID
    }

    /// The journal match that finds such entries.
    var match: [String: String] { ["MESSAGE_ID": messageID, "EXTRAVASD_ALERT_ID": alertID] }
}
