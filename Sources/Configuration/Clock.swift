extension ExtravasdConfiguration {
    /// `clock`: how far message times may stray before they count as implausible (the
    /// engine's clock is the median of recent message times; DESIGN.md section 7).
    public struct Clock: Sendable, Hashable {
        /// `clock.max_skew` in seconds (default 3600, `1h`): the daemon's clock never
        /// passes its wall clock plus this, and a message time beyond it is implausible.
        public var maxSkewSeconds: Int
        /// `clock.max_jump` in seconds (default 604800, `7d`): a message time further than
        /// this from the median of recent message times is implausible.
        public var maxJumpSeconds: Int

        /// Creates clock settings; every value has the documented default.
        public init(maxSkewSeconds: Int = 3600, maxJumpSeconds: Int = 7 * secondsPerDay) {
            self.maxSkewSeconds = maxSkewSeconds
            self.maxJumpSeconds = maxJumpSeconds
        }
    }
}
