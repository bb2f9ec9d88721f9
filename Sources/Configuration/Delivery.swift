extension ExtravasdConfiguration {
    /// `delivery`: how alerts reach journald.
    public struct Delivery: Sendable, Hashable {
        /// `delivery.confirm_ms` (default 10000, 10 s): an alert sent to journald is marked
        /// delivered once the daemon reads it back; one not readable within this time is
        /// sent again (same alert id), and a start-up marker not readable within it means
        /// the journal cannot be read back (delivery at least once).
        public var confirmMilliseconds: Int

        /// Creates delivery settings; every value has the documented default.
        public init(confirmMilliseconds: Int = 10_000) {
            self.confirmMilliseconds = confirmMilliseconds
        }
    }
}
