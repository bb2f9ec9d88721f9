/// `reminders.*` and `review.group` as the daemon uses them (DESIGN.md section 5,
/// "On-call review"); a reload (SIGHUP) takes new values at once.
public struct OnCallReviewSettings: Sendable, Equatable {
    /// `reminders.after_minutes`: how long after a critical alert was written to the
    /// journal its reminder fires when nobody acknowledged it.
    public var reminderMinutes: Double
    /// `reminders.suppress_hours`, as a duration: how long a trusted `not-extravasation`
    /// acknowledgement suppresses its episode's escalations, from the acknowledgement.
    public var suppression: Duration
    /// `review.group`: besides root, whose acknowledgements count.
    public var group: String

    /// Creates the settings; every value has the configuration's default.
    public init(
        reminderMinutes: Double = 10, suppression: Duration = .seconds(24 * 3600),
        group: String = "extravasd-review"
    ) {
        self.reminderMinutes = reminderMinutes
        self.suppression = suppression
        self.group = group
    }

    /// ``reminderMinutes`` in microseconds (the unit of journal times).
    var reminderDelayMicroseconds: Int64 { Int64((reminderMinutes * 60_000_000).rounded()) }

    /// ``suppression`` in microseconds.
    var suppressionMicroseconds: Int64 {
        let (seconds, attoseconds) = suppression.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
