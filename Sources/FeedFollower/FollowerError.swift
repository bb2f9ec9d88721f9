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

    /// `cannot open PATH: reason`; for ``Code/eventQueue``, what happened and what was done.
    public var description: String {
        if code == .eventQueue {
            return
                "the \(path) event queue overflowed (events were lost): every feed pattern and file was scanned again"
        }
        return "cannot \(code) \(path): \(reason)"
    }
}
