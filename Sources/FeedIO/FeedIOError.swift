import Glibc

/// A file could not be opened or read: which file, which operation and the system's reason.
public struct FeedIOError: Error, Sendable, CustomStringConvertible {
    /// The path as given.
    public var path: String
    /// What was being done (`open`, `read`, `stat`).
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    /// Creates an error.
    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// The system's text for the error number.
    public var reason: String { String(cString: strerror(code)) }

    /// `cannot open PATH: reason`.
    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
