extension ExtravasdConfiguration {
    /// `reminders`: the reminder for a `critical` alert nobody acknowledged.
    public struct Reminders: Sendable, Hashable {
        /// `reminders.after_minutes` (default 10).
        public var afterMinutes: Int

        /// Creates reminder settings; every value has the documented default.
        public init(afterMinutes: Int = 10) {
            self.afterMinutes = afterMinutes
        }
    }
}
