extension ExtravasdConfiguration {
    /// `feeds`: the HL7 feed files extravasd follows.
    public struct Feeds: Sendable, Hashable {
        /// `feeds.files`: glob patterns; new matching files are picked up while running
        /// (default `["/var/spool/hl7/*.hl7"]`). Used as written.
        public var files: [String]
        /// `feeds.settle_ms`: quiet time, in milliseconds, that completes a trailing
        /// message of a file still open for writing (default 200).
        public var settleMilliseconds: Int
        /// `feeds.rotation_grace_ms`: how long a file renamed away or deleted is still
        /// read after it went quiet, for a writer that keeps appending to the renamed
        /// file until it reopens (default 5000). A new file at the same path is read as
        /// soon as it has data.
        public var rotationGraceMilliseconds: Int

        /// Creates feed settings; every value has the documented default.
        public init(
            files: [String] = ["/var/spool/hl7/*.hl7"], settleMilliseconds: Int = 200,
            rotationGraceMilliseconds: Int = 5000
        ) {
            self.files = files
            self.settleMilliseconds = settleMilliseconds
            self.rotationGraceMilliseconds = rotationGraceMilliseconds
        }
    }
}
