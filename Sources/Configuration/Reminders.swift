extension ExtravasdConfiguration {
    /// `reminders`: the reminder for a `critical` alert nobody acknowledged, and how long
    /// a `not-extravasation` acknowledgement quiets its episode (DESIGN.md section 5).
    public struct Reminders: Sendable, Hashable {
        /// `reminders.after_minutes` (default 10; fractions such as `0.1` allowed, for
        /// drills and tests): how long after a critical alert was written to the journal
        /// the reminder fires when nobody acknowledged it.
        public var afterMinutes: Double
        /// `reminders.suppress_hours` (default 24; fractions allowed): how long a
        /// `not-extravasation` acknowledgement suppresses the escalations of its episode.
        public var suppressHours: Double

        /// Creates reminder settings; every value has the documented default.
        public init(afterMinutes: Double = 10, suppressHours: Double = 24) {
            self.afterMinutes = afterMinutes
            self.suppressHours = suppressHours
        }

        /// ``afterMinutes`` as a duration.
        public var after: Duration { .milliseconds(Int64((afterMinutes * 60_000).rounded())) }
        /// ``suppressHours`` as a duration.
        public var suppression: Duration { .milliseconds(Int64((suppressHours * 3_600_000).rounded())) }
    }

    /// `review`: who may acknowledge alerts with effect (DESIGN.md section 5).
    public struct Review: Sendable, Hashable {
        /// `review.group` (default `extravasd-review`): an acknowledgement written by root
        /// or a member of this group stops reminders and applies suppression; others are
        /// shown as untrusted and change nothing.
        public var group: String

        /// Creates review settings; every value has the documented default.
        public init(group: String = "extravasd-review") {
            self.group = group
        }
    }
}
