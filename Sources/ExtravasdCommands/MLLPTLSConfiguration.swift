import Configuration
import MLLPListener

extension ExtravasdConfiguration.MLLP {
    /// The listener's TLS settings: `nil` without `mllp.tls_certificate` and `mllp.tls_key`.
    var tlsSettings: MLLPTLSSettings? {
        guard let tlsCertificate, let tlsKey else { return nil }
        return MLLPTLSSettings(
            certificateChainPath: tlsCertificate, privateKeyPath: tlsKey,
            clientCertificateAuthorityPath: tlsClientCA)
    }
}
