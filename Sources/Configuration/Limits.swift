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
        /// `limits.dead_letter_max_bytes` (default 16777216, 16 MiB): the dead-letter file
        /// is rotated (`dead-letters.hl7` to `dead-letters.hl7.1`, ...) before it would
        /// grow past this size.
        public var deadLetterMaxBytes: Int
        /// `limits.dead_letter_files` (default 4): how many rotated dead-letter files are
        /// kept besides the current one; the oldest is removed.
        public var deadLetterFiles: Int
        /// `limits.max_files` (default 100000): the most feed files tracked at once. Past
        /// it, the journal names the pattern (once) and further files wait until followed
        /// files are let go (deleted, moved by `feeds.after_read`); none is dropped.
        public var maxFiles: Int
        /// `limits.state_cache_bytes` (default 8388608, 8 MiB): about how much memory the
        /// daemon's cache of patient records and message identities may take; the rest stay
        /// in the state store and are read when a message needs them.
        public var stateCacheBytes: Int

        /// Creates limits; every value has the documented default.
        public init(
            maxMessageBytes: Int = 1_048_576, maxSegments: Int = 2000, maxFieldBytes: Int = 262_144,
            deadLetterMaxBytes: Int = 16_777_216, deadLetterFiles: Int = 4, maxFiles: Int = 100_000,
            stateCacheBytes: Int = 8_388_608
        ) {
            self.maxFiles = maxFiles
            self.stateCacheBytes = stateCacheBytes
            self.maxMessageBytes = maxMessageBytes
            self.maxSegments = maxSegments
            self.maxFieldBytes = maxFieldBytes
            self.deadLetterMaxBytes = deadLetterMaxBytes
            self.deadLetterFiles = deadLetterFiles
        }
    }
}
