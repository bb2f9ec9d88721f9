import AlertOutput
import Review

/// The reminder for a critical alert nobody acknowledged (DESIGN.md section 5): an
/// outbox entry of its own, keyed `<alert id>:reminder`, carrying the alert's fields with
/// MESSAGE_ID `38645c32a78b44dd9deb93a9e58354d3`, PRIORITY 1, `EXTRAVASD_REMINDER=1`, and a
/// MESSAGE that says the alert is unacknowledged.
enum UnacknowledgedReminder {
    /// The outbox key of `alertID`'s reminder.
    static func outboxKey(_ alertID: String) -> String {
        alertID + ":reminder"
    }

    /// The reminder's fields, from the alert's (as stored in the outbox): the alert's own
    /// fields (its `EXTRAVASD_ALERT_ID` included) with MESSAGE, MESSAGE_ID and PRIORITY
    /// replaced, and `EXTRAVASD_REMINDER=1` added.
    static func fields(alert: [(String, String)], afterMinutes: Double) -> [(String, String)] {
        let alertMessage = alert.first { $0.0 == "MESSAGE" }?.1 ?? ""
        let alertID = alert.first { $0.0 == "EXTRAVASD_ALERT_ID" }?.1 ?? ""
        let message =
            "Critical alert \(alertID) not acknowledged within \(minutes(afterMinutes)): \(alertMessage)"
        var fields: [(String, String)] = []
        for (name, value) in alert {
            switch name {
            case "MESSAGE": fields.append((name, message))
            case "MESSAGE_ID": fields.append((name, ReviewJournal.reminderMessageID))
            case "PRIORITY": fields.append((name, "1"))
            case "EXTRAVASD_REMINDER", "EXTRAVASD_REPLAY": continue
            default: fields.append((name, value))
            }
        }
        fields.append(("EXTRAVASD_REMINDER", "1"))
        return fields
    }

    /// `10 minutes`, `1 minute`, `0.05 minutes` (as configured).
    static func minutes(_ value: Double) -> String {
        let text = value == value.rounded() ? String(Int64(value)) : String(value)
        return text + (value == 1 ? " minute" : " minutes")
    }
}
