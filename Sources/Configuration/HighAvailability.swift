extension ExtravasdConfiguration {
    /// `ha`: leadership among instances sharing the PostgreSQL store (DESIGN.md section
    /// 10). With `store.kind: postgresql` every instance takes part: one leads, the others
    /// stand by.
    public struct HighAvailability: Sendable, Hashable {
        /// `ha.takeover_ms` (default 5000): once the leader stops renewing its lease (it
        /// died, hung, or lost the database), a standby takes over within this.
        public var takeoverMilliseconds: Int

        /// Creates the settings; every value has the documented default.
        public init(takeoverMilliseconds: Int = 5_000) {
            self.takeoverMilliseconds = takeoverMilliseconds
        }
    }
}
