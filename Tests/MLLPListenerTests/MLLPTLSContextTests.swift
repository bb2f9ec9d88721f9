import Foundation
import MLLPListener
import Testing

/// The TLS files are read when the listener starts (and by `check-config`): each file
/// that cannot be used is named with its key and why.
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
        "needs the openssl command to make test certificates (Debian's openssl package)")
)
struct MLLPTLSContextTests {
    /// Two self-signed certificates with their keys in a new folder: `one.pem`/`one.key`, `two.pem`/`two.key`.
    static func makeCertificates() throws -> String {
        let folder = NSTemporaryDirectory() + "extravasd-tls-context-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["one", "two"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(folder)/\(name).key", "-out", "\(folder)/\(name).pem", "-days", "2",
                "-subj", "/CN=\(name)",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        return folder
    }

    @Test func aCertificateWithItsKeyIsAcceptedWithOrWithoutAClientAuthority() throws {
        let folder = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try MLLPTLSContext.validate(
            MLLPTLSSettings(certificateChainPath: "\(folder)/one.pem", privateKeyPath: "\(folder)/one.key"))
        try MLLPTLSContext.validate(
            MLLPTLSSettings(
                certificateChainPath: "\(folder)/one.pem", privateKeyPath: "\(folder)/one.key",
                clientCertificateAuthorityPath: "\(folder)/two.pem"))
    }

    @Test func aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws {
        let folder = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = #expect(throws: MLLPTLSError.self) {
            try MLLPTLSContext.validate(
                MLLPTLSSettings(
                    certificateChainPath: "\(folder)/one.pem", privateKeyPath: "\(folder)/two.key"))
        }
        #expect(error?.key == "mllp.tls_key")
        #expect(error?.path == "\(folder)/two.key")
        #expect(error?.reason.contains("does not match the first certificate of \(folder)/one.pem") == true)
    }

    @Test func aFileThatIsNotPEMIsRefusedNamingItsKey() throws {
        let folder = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "not a certificate\n".write(toFile: "\(folder)/junk.pem", atomically: true, encoding: .utf8)
        let certificate = #expect(throws: MLLPTLSError.self) {
            try MLLPTLSContext.validate(
                MLLPTLSSettings(
                    certificateChainPath: "\(folder)/junk.pem", privateKeyPath: "\(folder)/one.key"))
        }
        #expect(certificate?.key == "mllp.tls_certificate")
        let key = #expect(throws: MLLPTLSError.self) {
            try MLLPTLSContext.validate(
                MLLPTLSSettings(
                    certificateChainPath: "\(folder)/one.pem", privateKeyPath: "\(folder)/junk.pem"))
        }
        #expect(key?.key == "mllp.tls_key")
        let authority = #expect(throws: MLLPTLSError.self) {
            try MLLPTLSContext.validate(
                MLLPTLSSettings(
                    certificateChainPath: "\(folder)/one.pem", privateKeyPath: "\(folder)/one.key",
                    clientCertificateAuthorityPath: "\(folder)/junk.pem"))
        }
        #expect(authority?.key == "mllp.tls_client_ca")
    }
}
