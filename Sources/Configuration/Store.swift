extension ExtravasdConfiguration {
    /// `store`: where the daemon's state lives (DESIGN.md section 10).
    public struct Store: Sendable, Hashable {
        /// `store.kind`.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// The embedded SQLite file in `state_directory` (the default).
            case sqlite
            /// A PostgreSQL server (`store.url`).
            case postgresql
        }

        /// `store.tls`.
        public enum TLS: String, Sendable, Hashable, CaseIterable {
            /// TLS with the server's certificate verified (the default).
            case require
            /// Plain TCP.
            case disable
        }

        /// `store.kind` (default `sqlite`).
        public var kind: Kind
        /// `store.url`: `postgresql://USER@HOST:PORT/DB` (no password); only with `postgresql`.
        public var url: String?
        /// `store.password_file`: an absolute path whose first line is the password (read
        /// when the store opens); `nil`: log in without a password.
        public var passwordFile: String?
        /// `store.tls` (default `require`).
        public var tls: TLS
        /// `store.retention_days` (default ``defaultRetentionDays``; only with `postgresql`):
        /// how many days delivered alerts and acknowledgements are kept in the store as the
        /// shared record that `alerts`, `ack`, `report` and reminders use across hosts.
        public var retentionDays: Int

        /// The default of `store.retention_days`: a quarter, so a monthly review always finds
        /// its month.
        public static let defaultRetentionDays = 90

        /// Creates store settings; every value has the documented default.
        public init(
            kind: Kind = .sqlite, url: String? = nil, passwordFile: String? = nil, tls: TLS = .require,
            retentionDays: Int = Store.defaultRetentionDays
        ) {
            self.kind = kind
            self.url = url
            self.passwordFile = passwordFile
            self.tls = tls
            self.retentionDays = retentionDays
        }

        /// Whether `url` has the shape `postgresql://USER@HOST[:PORT]/DB` with no password,
        /// query or fragment (the store checks it again when it opens).
        public static func isValidURL(_ url: String) -> Bool {
            let scheme = "postgresql://"
            guard url.hasPrefix(scheme) else { return false }
            let rest = url.dropFirst(scheme.count)
            guard !rest.contains("?"), !rest.contains("#"), let at = rest.lastIndex(of: "@") else {
                return false
            }
            let user = rest[..<at]
            let afterUser = rest[rest.index(after: at)...]
            guard !user.isEmpty, !user.contains(":"), let slash = afterUser.firstIndex(of: "/") else {
                return false
            }
            let host = afterUser[..<slash]
            let database = afterUser[afterUser.index(after: slash)...]
            guard !host.isEmpty, !host.hasPrefix(":"), !database.isEmpty, !database.contains("/") else {
                return false
            }
            if host.hasPrefix("[") {
                guard let close = host.firstIndex(of: "]") else { return false }
                let after = host[host.index(after: close)...]
                return after.isEmpty || (after.hasPrefix(":") && isPort(after.dropFirst()))
            }
            if let colon = host.lastIndex(of: ":") { return isPort(host[host.index(after: colon)...]) }
            return true
        }

        private static func isPort(_ text: Substring) -> Bool {
            Int(text).map { (1...65_535).contains($0) } ?? false
        }
    }
}
