#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A libsystemd call failed with a negative errno return value.
///
/// The description names the function, the errno symbol and its text, e.g.
/// `sd_journal_sendv failed: ECONNREFUSED (Connection refused)`.
public struct SystemdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The libsystemd function that failed, e.g. `"sd_journal_sendv"`.
    public let function: String
    /// The positive errno value (libsystemd returns it negated).
    public let errno: Int32

    /// Creates an error for `function` failing with `errno` (either sign is accepted).
    public init(function: String, errno: Int32) {
        self.function = function
        self.errno = errno < 0 ? -errno : errno
    }

    /// The errno symbol, e.g. `"ECONNREFUSED"`, or `"errno 123"` when unknown.
    public var errnoName: String {
        ErrnoName.symbol(for: errno) ?? "errno \(errno)"
    }

    /// The C library's text for the errno, e.g. `"Connection refused"`.
    public var errnoText: String {
        String(cString: strerror(errno))
    }

    /// One line naming the function and the errno.
    public var description: String {
        "\(function) failed: \(errnoName) (\(errnoText))"
    }

    /// Returns `result` when it is not negative, else throws a ``SystemdError`` for it.
    @discardableResult
    static func check(_ result: Int32, _ function: String) throws(SystemdError) -> Int32 {
        if result < 0 { throw SystemdError(function: function, errno: result) }
        return result
    }
}
