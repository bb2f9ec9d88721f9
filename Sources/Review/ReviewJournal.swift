/// Reads what on-call review needs from a journal (DESIGN.md section 5): the alert
/// entries, acknowledgements and unacknowledged reminders, page by page with only the
/// fields review needs (`review(from:filter:trust:progress:)`), through libsystemd's
/// reading API on the reader's own thread.
public enum ReviewJournal {
    /// The unacknowledged-reminder MESSAGE_ID.
    public static let reminderMessageID = "38645c32a78b44dd9deb93a9e58354d3"
}
