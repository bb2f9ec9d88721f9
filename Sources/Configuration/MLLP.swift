extension ExtravasdConfiguration {
    /// `mllp`: the optional MLLP listener (off by default, loopback when on).
    public struct MLLP: Sendable, Hashable {
        /// `mllp.enabled` (default `false`).
        public var enabled: Bool
        /// `mllp.listen`: `HOST:PORT`, `[IPv6]:PORT` (default `127.0.0.1:2575`).
        public var listen: String

        /// Creates listener settings; every value has the documented default.
        public init(enabled: Bool = false, listen: String = "127.0.0.1:2575") {
            self.enabled = enabled
            self.listen = listen
        }

        /// The host part of ``listen`` (without brackets for IPv6), `nil` if malformed.
        public var host: String? { MLLP.split(listen)?.host }
        /// The port of ``listen``, `nil` if malformed.
        public var port: Int? { MLLP.split(listen)?.port }

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
