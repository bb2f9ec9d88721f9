/// A TLS file the listener cannot use: which key, which file, and why.
public struct MLLPTLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration key naming the file (`mllp.tls_certificate`, ...).
    public var key: String
    /// The file.
    public var path: String
    /// Why it cannot be used.
    public var reason: String

    /// Creates the error.
    public init(key: String, path: String, reason: String) {
        self.key = key
        self.path = path
        self.reason = reason
    }

    /// `KEY PATH: REASON`.
    public var description: String { "\(key) \(path): \(reason)" }
}
