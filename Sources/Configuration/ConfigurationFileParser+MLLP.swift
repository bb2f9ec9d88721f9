import InputQuoting
import MLLP

extension ConfigurationFileParser {
    /// `mllp.max_frame_bytes`, `mllp.max_connections`, `mllp.idle_timeout_ms`,
    /// `mllp.allow`; `mllp.tls_certificate` and `mllp.tls_key` are refused (TLS is not
    /// implemented: terminate it in front of the listener).
    mutating func parseMLLPBounds(_ mllp: YAMLFileReader.Fields) {
        if let node = mllp["max_frame_bytes"]?.value,
            let value = reader.int(
                node, path: "mllp.max_frame_bytes", range: 1024...1_073_741_824, unit: "bytes")
        {
            draft.mllp.maxFrameBytes = value
        }
        if let node = mllp["max_connections"]?.value,
            let value = reader.int(node, path: "mllp.max_connections", range: 1...10_000)
        {
            draft.mllp.maxConnections = value
        }
        if let node = mllp["idle_timeout_ms"]?.value,
            let value = reader.int(
                node, path: "mllp.idle_timeout_ms", range: 100...86_400_000, unit: "milliseconds")
        {
            draft.mllp.idleTimeoutMilliseconds = value
        }
        if let node = mllp["allow"]?.value, let values = reader.strings(node, path: "mllp.allow") {
            var allow: [String] = []
            for value in values {
                if PeerAddressRange(value.text) == nil {
                    reader.report(
                        .invalidValue,
                        "'mllp.allow' entries must be IP addresses or CIDR blocks "
                            + "(e.g. 10.1.2.3, 10.1.0.0/16, fd00::/8), not \(quoted(value.text))",
                        at: value.node)
                } else {
                    allow.append(value.text)
                }
            }
            draft.mllp.allow = allow
        }
        for key in ["tls_certificate", "tls_key"] {
            if let node = mllp[key]?.value, reader.string(node, path: "mllp.\(key)") != nil {
                reader.report(
                    .invalidValue,
                    "'mllp.\(key)': TLS is not implemented yet; terminate TLS in front of the "
                        + "listener (e.g. stunnel) and listen on loopback",
                    at: node)
            }
        }
    }
}
