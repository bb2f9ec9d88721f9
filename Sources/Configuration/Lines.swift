extension ExtravasdConfiguration {
    /// `lines`: the catheters documented in place (DESIGN §4, "lines in place").
    public struct Lines: Sendable, Hashable {
        /// `lines.forget_hours`: a line with no assessment for this long is forgotten
        /// (default 72).
        public var forgetHours: Int

        /// Creates line settings; every value has the documented default.
        public init(forgetHours: Int = 72) {
            self.forgetHours = forgetHours
        }
    }
}
