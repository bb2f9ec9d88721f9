import Foundation
import InputQuoting
import MLLP

extension ConfigurationFileParser {
    /// `mllp.max_frame_bytes`, `mllp.max_connections`, `mllp.idle_timeout_ms`,
    /// `mllp.allow`, and TLS (``parseMLLPTLS(_:)``).
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
        parseMLLPTLS(mllp)
    }

    /// `mllp.tls_certificate`, `mllp.tls_key` (both or neither) and `mllp.tls_client_ca`
    /// (only with them): absolute paths of files that exist; the key file may be read by
    /// its owner and group only and written by its owner only. Their PEM content is read
    /// when the listener starts (and by `check-config`).
    mutating func parseMLLPTLS(_ mllp: YAMLFileReader.Fields) {
        var paths: [String: String] = [:]
        for key in ["tls_certificate", "tls_key", "tls_client_ca"] {
            guard let node = mllp[key]?.value, let path = reader.string(node, path: "mllp.\(key)") else {
                continue
            }
            guard path.hasPrefix("/") else {
                reader.report(
                    .invalidValue, "'mllp.\(key)' must be an absolute path, not \(quoted(path))", at: node)
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                let reason = String(cString: strerror(errno))
                reader.report(.invalidValue, "'mllp.\(key)': \(path): \(reason)", at: node)
                continue
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                reader.report(.invalidValue, "'mllp.\(key)': \(path) is not a regular file", at: node)
                continue
            }
            if key == "tls_key", info.st_mode & 0o026 != 0 {
                let mode = String(info.st_mode & 0o777, radix: 8)
                reader.report(
                    .invalidValue,
                    "'mllp.tls_key': \(path) has mode \(mode): a private key must not be readable by "
                        + "others nor writable by its group (chmod 0640 or 0600)",
                    at: node)
                continue
            }
            paths[key] = path
        }
        let certificate = mllp["tls_certificate"]?.value
        let key = mllp["tls_key"]?.value
        if (certificate == nil) != (key == nil) {
            reader.report(
                .invalidValue,
                "'mllp.tls_certificate' and 'mllp.tls_key' go together: give both for TLS, or neither",
                at: certificate ?? key)
        }
        if let authority = mllp["tls_client_ca"]?.value, certificate == nil || key == nil {
            reader.report(
                .invalidValue,
                "'mllp.tls_client_ca' asks clients for certificates, which needs TLS: "
                    + "give 'mllp.tls_certificate' and 'mllp.tls_key' too",
                at: authority)
        }
        draft.mllp.tlsCertificate = paths["tls_certificate"]
        draft.mllp.tlsKey = paths["tls_key"]
        draft.mllp.tlsClientCA = paths["tls_client_ca"]
    }
}
