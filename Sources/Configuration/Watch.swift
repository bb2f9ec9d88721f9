extension ExtravasdConfiguration {
    /// `watch`: how long sites stay watched after an exposure ends.
    public struct Watch: Sendable, Hashable {
        /// `watch.window_hours`: the acute watch window of catalog entries that name
        /// none themselves (default 72).
        public var windowHours: Int
        /// `watch.late_window_days`: the late (calcinosis) watch of calcium entries,
        /// in days after the exposure ends (default 42).
        public var lateWindowDays: Int

        /// Creates watch settings; every value has the documented default.
        public init(windowHours: Int = 72, lateWindowDays: Int = 42) {
            self.windowHours = windowHours
            self.lateWindowDays = lateWindowDays
        }
    }
}
