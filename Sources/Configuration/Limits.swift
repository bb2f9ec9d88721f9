extension ExtravasdConfiguration {
    /// `limits`: size limits of incoming messages. A message over a limit is skipped,
    /// reported and dead-lettered; the next message is processed.
    public struct Limits: Sendable, Hashable {
        /// `limits.max_message_bytes` (default 1048576, 1 MiB).
        public var maxMessageBytes: Int
        /// `limits.max_segments` per message (default 2000).
        public var maxSegments: Int
        /// `limits.max_field_bytes` (default 262144, 256 KiB); at most `max_message_bytes`.
        public var maxFieldBytes: Int

        /// Creates limits; every value has the documented default.
        public init(maxMessageBytes: Int = 1_048_576, maxSegments: Int = 2000, maxFieldBytes: Int = 262_144) {
            self.maxMessageBytes = maxMessageBytes
            self.maxSegments = maxSegments
            self.maxFieldBytes = maxFieldBytes
        }
    }
}
