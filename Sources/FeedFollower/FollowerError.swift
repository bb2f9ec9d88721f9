import Glibc

/// A problem following feeds: what was being done, to which path, and the system's reason.
public struct FollowerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being done.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's name, e.g. `open`.
        public var rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// Opening a feed file.
        public static let open = Code(rawValue: "open")
        /// Reading a feed file.
        public static let read = Code(rawValue: "read")
        /// Asking a file's status (`stat`/`fstat`).
        public static let stat = Code(rawValue: "stat")
        /// Expanding a glob pattern.
        public static let glob = Code(rawValue: "glob")
        /// Creating the inotify instance.
        public static let inotify = Code(rawValue: "inotify")
        /// Watching a folder with inotify.
        public static let watch = Code(rawValue: "watch")
        /// Starting the follower's thread.
        public static let thread = Code(rawValue: "thread")
        /// Keeping up with inotify's event queue: it overflowed (`IN_Q_OVERFLOW`), events
        /// were lost, and a scan of every pattern and file made up for them.
        public static let eventQueue = Code(rawValue: "keep up with")
        /// Following more files than `limits.max_files` allows (the path is the pattern).
        public static let limit = Code(rawValue: "track")
        /// A pattern matched a symbolic link, not followed (`feeds.follow_symlinks: false`).
        public static let symlink = Code(rawValue: "follow")
        /// Moving a read file away (`feeds.after_read: move:DIR`).
        public static let move = Code(rawValue: "move")
        /// Deleting a read file (`feeds.after_read: delete`).
        public static let delete = Code(rawValue: "delete")
    }

    /// What was being done.
    public var code: Code
    /// The path involved, as given or found.
    public var path: String
    /// The `errno` value.
    public var errorNumber: Int32

    /// Creates an error.
    public init(code: Code, path: String, errorNumber: Int32) {
        self.code = code
        self.path = path
        self.errorNumber = errorNumber
    }

    /// The system's text for the error number.
    public var reason: String { String(cString: strerror(errorNumber)) }

    /// Whether the system ran out of descriptors or memory (`EMFILE`, `ENFILE`, `ENOMEM`):
    /// a resource shortage, retried later, never taken for a rotation or a deletion.
    public var isResourceShortage: Bool {
        errorNumber == EMFILE || errorNumber == ENFILE || errorNumber == ENOMEM
    }

    /// `cannot open PATH: reason`; for ``Code/eventQueue``, ``Code/limit`` and
    /// ``Code/symlink``, what happened and what is done about it.
    public var description: String {
        switch code {
        case .eventQueue:
            return
                "the \(path) event queue overflowed (events were lost): every feed pattern and file was scanned again"
        case .limit:
            return
                "feed pattern \(path) matches more files than limits.max_files (\(errorNumber)) allows: "
                + "files beyond it are not read yet; they are taken up as followed files are let go"
        case .symlink:
            return "not following \(path): it is a symbolic link (feeds.follow_symlinks is false)"
        default:
            let base = "cannot \(code) \(path): \(reason)"
            guard isResourceShortage else { return base }
            return base + " (a resource shortage: retried later; no file is taken for rotated or deleted)"
        }
    }
}
