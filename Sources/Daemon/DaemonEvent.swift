import AlertOutput
import Journal

/// The journal entry of an event of the daemon (not an alert): `MESSAGE`, `MESSAGE_ID`,
/// `PRIORITY`, `SYSLOG_IDENTIFIER=extravasd`, then the event's own `EXTRAVASD_*` fields.
enum DaemonEvent {
    /// The fields of one event, in the order journald shows them.
    static func fields(
        _ message: String, id messageID: String, priority: JournalPriority, _ extra: [(String, String)]
    ) -> [(String, String)] {
        [
            ("MESSAGE", message), ("MESSAGE_ID", messageID), ("PRIORITY", String(priority.rawValue)),
            AlertJournalFields.syslogIdentifier,
        ] + extra
    }
}
