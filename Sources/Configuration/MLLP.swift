import MLLP

extension ExtravasdConfiguration {
    /// `mllp`: the optional MLLP listener (off by default, loopback when on).
    public struct MLLP: Sendable, Hashable {
        /// `mllp.enabled` (default `false`).
        public var enabled: Bool
        /// `mllp.listen`: `HOST:PORT`, `[IPv6]:PORT` (default `127.0.0.1:2575`).
        public var listen: String
        /// `mllp.max_frame_bytes`: the longest message taken; `nil` (the default) is
        /// `limits.max_message_bytes`.
        public var maxFrameBytes: Int?
        /// `mllp.max_connections` (default 32): more are closed at accept.
        public var maxConnections: Int
        /// `mllp.idle_timeout_ms` (default 60000): a connection silent this long while no
        /// acknowledgement is owed to it is closed.
        public var idleTimeoutMilliseconds: Int
        /// `mllp.allow`: peer addresses and CIDR blocks; `nil` (the default) is loopback
        /// only when ``listen`` is a loopback address, else anyone (see ``allowedPeers``).
        public var allow: [String]?
        /// `mllp.tls_certificate`: the server's certificate chain (PEM, the server's own
        /// first); with ``tlsKey``, the listener speaks TLS only. `nil` (the default): plain TCP.
        public var tlsCertificate: String?
        /// `mllp.tls_key`: the private key of ``tlsCertificate`` (PEM), readable by no
        /// one but its owner and group.
        public var tlsKey: String?
        /// `mllp.tls_client_ca`: certificate authorities (PEM); when set, a client must
        /// present a certificate that chains to one of them (mutual TLS).
        public var tlsClientCA: String?

        /// Creates listener settings; every value has the documented default.
        public init(
            enabled: Bool = false, listen: String = "127.0.0.1:2575", maxFrameBytes: Int? = nil,
            maxConnections: Int = 32, idleTimeoutMilliseconds: Int = 60_000, allow: [String]? = nil,
            tlsCertificate: String? = nil, tlsKey: String? = nil, tlsClientCA: String? = nil
        ) {
            self.enabled = enabled
            self.listen = listen
            self.maxFrameBytes = maxFrameBytes
            self.maxConnections = maxConnections
            self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
            self.allow = allow
            self.tlsCertificate = tlsCertificate
            self.tlsKey = tlsKey
            self.tlsClientCA = tlsClientCA
        }

        /// Whether the listener speaks TLS (a certificate and its key are configured).
        public var usesTLS: Bool { tlsCertificate != nil && tlsKey != nil }

        /// The host part of ``listen`` (without brackets for IPv6), `nil` if malformed.
        public var host: String? { MLLP.split(listen)?.host }
        /// The port of ``listen``, `nil` if malformed.
        public var port: Int? { MLLP.split(listen)?.port }

        /// The peers accepted: ``allow`` as given; without it, loopback when listening on
        /// a loopback address, else empty (anyone may connect).
        public var allowedPeers: [PeerAddressRange] {
            if let allow { return allow.compactMap(PeerAddressRange.init) }
            guard let host, PeerAddressRange.isLoopback(host) else { return [] }
            return PeerAddressRange.loopback
        }

        /// Splits `HOST:PORT` or `[HOST]:PORT`; the port must be 1...65535 and the host
        /// non-empty.
        static func split(_ listen: String) -> (host: String, port: Int)? {
            let host: Substring
            let portText: Substring
            if listen.hasPrefix("[") {
                guard let close = listen.firstIndex(of: "]") else { return nil }
                host = listen[listen.index(after: listen.startIndex)..<close]
                let rest = listen[listen.index(after: close)...]
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            } else {
                guard let colon = listen.lastIndex(of: ":") else { return nil }
                host = listen[..<colon]
                portText = listen[listen.index(after: colon)...]
                if host.contains(":") { return nil }
            }
            guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "\t" }),
                !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let port = Int(portText), (1...65535).contains(port)
            else { return nil }
            return (String(host), port)
        }
    }
}
