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
        /// `feeds.close_idle_ms`: a file fully read and unchanged this long is closed, and
        /// opened again when it changes (its identity checked again) (default 10000). Only
        /// the files being read stay open: a folder of 100,000 files needs few descriptors.
        public var closeIdleMilliseconds: Int
        /// `feeds.after_read`: `keep` (default), `delete`, or `move:DIR` (an absolute
        /// folder no pattern matches, on the feeds' file system): what is done with a file
        /// once it is fully read, quiet past `settle_ms`, and its effects are committed.
        public var afterRead: AfterRead
        /// `feeds.follow_symlinks`: whether a symbolic link a pattern matches is followed
        /// (default false: files are opened with `O_NOFOLLOW`; a link is reported once).
        public var followSymlinks: Bool

        /// What is done with a feed file once read (`feeds.after_read`).
        public enum AfterRead: Sendable, Hashable, CustomStringConvertible {
            /// Left where it is.
            case keep
            /// Deleted.
            case delete
            /// Moved into the folder.
            case move(String)

            /// As written in the file: `keep`, `delete`, `move:DIR`.
            public var description: String {
                switch self {
                case .keep: return "keep"
                case .delete: return "delete"
                case .move(let folder): return "move:" + folder
                }
            }
        }

        /// Creates feed settings; every value has the documented default.
        public init(
            files: [String] = ["/var/spool/hl7/*.hl7"], settleMilliseconds: Int = 200,
            rotationGraceMilliseconds: Int = 5000, closeIdleMilliseconds: Int = 10_000,
            afterRead: AfterRead = .keep, followSymlinks: Bool = false
        ) {
            self.closeIdleMilliseconds = closeIdleMilliseconds
            self.afterRead = afterRead
            self.followSymlinks = followSymlinks
            self.files = files
            self.settleMilliseconds = settleMilliseconds
            self.rotationGraceMilliseconds = rotationGraceMilliseconds
        }
    }
}
