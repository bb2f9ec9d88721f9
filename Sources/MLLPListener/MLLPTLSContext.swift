import NIOSSL

/// The server-side TLS context of the listener, built from ``MLLPTLSSettings``: TLS 1.2
/// or later, swift-nio-ssl's default cipher suites, and (with a client CA) a client
/// certificate required and verified against it (no host name check: the peer is a client).
public enum MLLPTLSContext {
    /// Reads and checks the PEM files of `settings`, as the listener will at start
    /// (`extravasd check-config` calls it).
    ///
    /// - Throws: ``MLLPTLSError`` naming the key and file that cannot be used.
    public static func validate(_ settings: MLLPTLSSettings) throws(MLLPTLSError) {
        _ = try make(settings)
    }

    /// The context the listener's connections share.
    static func make(_ settings: MLLPTLSSettings) throws(MLLPTLSError) -> NIOSSLContext {
        let chain = try certificates(key: "mllp.tls_certificate", path: settings.certificateChainPath)
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: settings.privateKeyPath, format: .pem)
        } catch {
            throw MLLPTLSError(
                key: "mllp.tls_key", path: settings.privateKeyPath,
                reason:
                    "not a readable PEM private key (\(error)); an encrypted key needs its passphrase removed"
            )
        }
        var configuration: TLSConfiguration
        if let authorityPath = settings.clientCertificateAuthorityPath {
            let authorities = try certificates(key: "mllp.tls_client_ca", path: authorityPath)
            configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey),
                trustRoots: .certificates(authorities))
        } else {
            configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        }
        configuration.minimumTLSVersion = .tlsv12
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw MLLPTLSError(
                key: "mllp.tls_key", path: settings.privateKeyPath,
                reason: "does not match the first certificate of \(settings.certificateChainPath) (\(error))")
        }
    }

    /// The certificates of a PEM file: at least one.
    private static func certificates(key: String, path: String) throws(MLLPTLSError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw MLLPTLSError(key: key, path: path, reason: "not a readable PEM certificate file (\(error))")
        }
        guard !certificates.isEmpty else {
            throw MLLPTLSError(key: key, path: path, reason: "holds no PEM certificate")
        }
        return certificates
    }
}
