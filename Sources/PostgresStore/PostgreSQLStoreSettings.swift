import StateStore

#if canImport(Glibc)
    import Glibc
#endif

/// Where the PostgreSQL state store lives and how to log in: the configuration's
/// `store.url`, `store.password_file` and `store.tls`, and the PostgreSQL schema that holds
/// the store's tables.
///
/// The password is never part of the URL (nor of any error message): it is read from
/// ``passwordFile`` when the store opens.
public struct PostgreSQLStoreSettings: Sendable, Hashable {
    /// Whether the connection is encrypted.
    public enum TLS: String, Sendable, Hashable, CaseIterable {
        /// TLS with the server's certificate verified (system trust roots, host name): the default.
        case require
        /// Plain TCP (a server on the same host, or tests).
        case disable
    }

    /// The schema used when none is given.
    public static let defaultSchema = "extravasd"

    /// The server's host name or IP address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The role to log in as.
    public var user: String
    /// The database.
    public var database: String
    /// A file holding the password (its first line), or `nil` to log in without one.
    public var passwordFile: String?
    /// Whether the connection is encrypted.
    public var tls: TLS
    /// The PostgreSQL schema (namespace) of the store's tables, created when missing: one
    /// database can hold several stores (tests use a fresh schema each).
    public var schema: String

    /// Settings from a URL `postgresql://USER@HOST[:PORT]/DATABASE` (the port defaults to
    /// 5432; an IPv6 address goes in brackets).
    ///
    /// - Throws: ``StateStoreError`` (``StateStoreError/Code/setting``) naming what is wrong
    ///   with the URL (a password in it, no user, no database, a scheme other than
    ///   `postgresql://`) or the schema name (letters, digits and `_`, at most 63 bytes, not
    ///   starting with a digit or `pg_`).
    public init(
        url: String, passwordFile: String? = nil, tls: TLS = .require, schema: String = Self.defaultSchema
    ) throws {
        let parsed = try Self.parse(url: url)
        host = parsed.host
        port = parsed.port
        user = parsed.user
        database = parsed.database
        self.passwordFile = passwordFile
        self.tls = tls
        guard Self.isValidSchemaName(schema) else {
            throw Self.urlError(
                "schema name \(schema.count <= 63 ? "'\(schema)'" : "of \(schema.utf8.count) bytes") is not a "
                    + "plain identifier (lower-case letters, digits and _, at most 63 bytes, not pg_...)")
        }
        self.schema = schema
    }

    /// The server and database as a URL without password, and the schema: how errors name
    /// the store.
    public var displayName: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(hostPart):\(port)/\(database) (schema \(schema))"
    }

    /// Whether `name` is a schema name this store accepts.
    public static func isValidSchemaName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 63, !name.hasPrefix("pg_") else { return false }
        guard let first = bytes.first, first == UInt8(ascii: "_") || (0x61...0x7a).contains(first) else {
            return false
        }
        return bytes.allSatisfy {
            $0 == UInt8(ascii: "_") || (0x61...0x7a).contains($0) || (0x30...0x39).contains($0)
        }
    }

    /// Reads the password: the first line of ``passwordFile`` (without its line end), or
    /// `nil` when there is no password file.
    ///
    /// - Throws: ``StateStoreError`` (``StateStoreError/Code/fileSystem``) when the file
    ///   cannot be read (its content is never quoted).
    func readPassword() throws -> String? {
        guard let passwordFile else { return nil }
        let descriptor = open(passwordFile, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.passwordFileError(passwordFile, step: "open") }
        defer { _ = Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.passwordFileError(passwordFile, step: "read")
            }
            if count == 0 || bytes.count > 65_536 { break }
            bytes += buffer[..<count]
        }
        let line =
            bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false)
            .first ?? []
        var password = Array(line)
        if password.last == UInt8(ascii: "\r") { password.removeLast() }
        return String(decoding: password, as: UTF8.self)
    }

    private static func passwordFileError(_ path: String, step: String) -> StateStoreError {
        let code = errno
        return StateStoreError(
            code: .fileSystem, step: "\(step) password file (store.password_file)", file: path,
            reason: String(cString: strerror(code)), errno: code)
    }

    private static func urlError(_ reason: String) -> StateStoreError {
        StateStoreError(code: .setting, step: "store.url", file: "PostgreSQL store settings", reason: reason)
    }

    /// The parts of `postgresql://USER@HOST[:PORT]/DATABASE`.
    static func parse(url: String) throws -> (user: String, host: String, port: Int, database: String) {
        let scheme = "postgresql://"
        guard url.hasPrefix(scheme) else {
            throw urlError("the URL must begin with \(scheme) (postgresql://USER@HOST:PORT/DATABASE)")
        }
        let rest = url.dropFirst(scheme.count)
        guard !rest.contains("?"), !rest.contains("#") else {
            throw urlError("the URL takes no query or fragment (postgresql://USER@HOST:PORT/DATABASE)")
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw urlError("the URL names no user (postgresql://USER@HOST:PORT/DATABASE)")
        }
        let userPart = rest[..<at]
        guard !userPart.contains(":") else {
            throw urlError("the URL must not hold a password: put it in store.password_file")
        }
        guard let user = percentDecoded(userPart), !user.isEmpty else {
            throw urlError("the URL names no user (postgresql://USER@HOST:PORT/DATABASE)")
        }
        let afterUser = rest[rest.index(after: at)...]
        guard let slash = afterUser.firstIndex(of: "/") else {
            throw urlError("the URL names no database (postgresql://USER@HOST:PORT/DATABASE)")
        }
        guard let database = percentDecoded(afterUser[afterUser.index(after: slash)...]), !database.isEmpty,
            !database.contains("/")
        else {
            throw urlError("the URL names no database (postgresql://USER@HOST:PORT/DATABASE)")
        }
        var hostPort = afterUser[..<slash]
        var host: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw urlError("the URL's IPv6 address has no closing ]")
            }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            hostPort = hostPort[hostPort.index(after: close)...]
            if hostPort.hasPrefix(":") {
                portText = hostPort.dropFirst()
            } else if !hostPort.isEmpty {
                throw urlError("the URL's host is followed by something other than :PORT")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = hostPort
        }
        guard !host.isEmpty else { throw urlError("the URL names no host") }
        var port = 5432
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw urlError("the URL's port must be a number from 1 to 65535")
            }
            port = value
        }
        return (user, String(host), port, database)
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
