/// TLS on the MLLP listener (`mllp.tls_certificate`, `mllp.tls_key`, `mllp.tls_client_ca`):
/// PEM files read once when the listener starts.
public struct MLLPTLSSettings: Sendable, Hashable {
    /// The server's certificate chain, its own certificate first.
    public var certificateChainPath: String
    /// The private key of the chain's first certificate.
    public var privateKeyPath: String
    /// Certificate authorities a client's certificate must chain to (mutual TLS); `nil`:
    /// clients are not asked for a certificate.
    public var clientCertificateAuthorityPath: String?

    /// Creates TLS settings from the three paths.
    public init(
        certificateChainPath: String, privateKeyPath: String, clientCertificateAuthorityPath: String? = nil
    ) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCertificateAuthorityPath = clientCertificateAuthorityPath
    }
}
