import Foundation
import Testing

/// MLLP over TLS (`mllp.tls_certificate`, `mllp.tls_key`, `mllp.tls_client_ca`) on the
/// real daemon, driven by Python's `ssl` module (OpenSSL) with certificates made by the
/// `openssl` command: the seed case acknowledged `AA` over TLS and its alert journaled; a
/// plain-TCP client, a client without a certificate and one whose certificate another
/// authority signed are each closed at the handshake, with the reason in `mllp_closed`,
/// while the daemon keeps serving.
@Suite(
    .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
        "needs the openssl command to make test certificates (Debian's openssl package)")
)
struct MLLPTLSDaemonTests {
    /// A test certificate authority, a server certificate for 127.0.0.1 that it signed,
    /// a client certificate it signed, and a client certificate of another authority.
    struct Certificates {
        let folder: String
        var authority: String { folder + "/ca.pem" }
        var serverCertificate: String { folder + "/server.pem" }
        var serverKey: String { folder + "/server.key" }
        var clientCertificate: String { folder + "/client.pem" }
        var clientKey: String { folder + "/client.key" }
        var strangerCertificate: String { folder + "/stranger.pem" }
        var strangerKey: String { folder + "/stranger.key" }

        init(in folder: String) throws {
            self.folder = folder
            let script = """
                set -e
                cd "$1"
                key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
                authority() {
                  key "$1.key"
                  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" 2>/dev/null
                }
                signed() {
                  key "$1.key"
                  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
                  printf '%s\\n' "$4" > "$1.ext"
                  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial \\
                    -out "$1.pem" -days 2 -extfile "$1.ext" 2>/dev/null
                }
                authority ca "extravasd test CA"
                authority other "another CA"
                signed server localhost ca "subjectAltName=IP:127.0.0.1,DNS:localhost"
                signed client "interface engine" ca "extendedKeyUsage=clientAuth"
                signed stranger "stranger" other "extendedKeyUsage=clientAuth"
                chmod 0600 ./*.key
                echo made
                """
            let output = try DaemonHarness.shell("/bin/sh", ["-c", script, "sh", folder])
            guard output.contains("made") else {
                throw POSIXError(.EIO)
            }
        }
    }

    /// A new scratch folder (the caller removes it) with the test certificates in it.
    static func makeCertificates() throws -> (scratch: String, Certificates) {
        let scratch = NSTemporaryDirectory() + "extravasd-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        return (scratch, try Certificates(in: scratch))
    }

    /// Sends the seed case over TLS with Python's `ssl`, trusting `authority` and checking
    /// the server's name (127.0.0.1); with `certificate`, presents it. The MSA lines it
    /// read, or `SSLError REASON` / `closed` when the handshake or a read failed.
    static let client = """
        import socket, ssl, sys
        host, port, authority, certificate, key, feed = sys.argv[1:7]
        context = ssl.create_default_context(cafile=authority)
        if certificate != "-":
            context.load_cert_chain(certificate, key)
        text = open(feed, newline="").read()
        messages = [("MSH|" + part).rstrip("\\r\\n") + "\\r" for part in text.split("MSH|")[1:]]
        try:
            with socket.create_connection((host, int(port)), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname=host) as tls:
                    print("handshake", tls.version())
                    for message in messages:
                        tls.sendall(b"\\x0b" + message.encode() + b"\\x1c\\r")
                        answer = b""
                        while not answer.endswith(b"\\x1c\\r"):
                            chunk = tls.recv(65536)
                            if not chunk:
                                print("closed")
                                sys.exit(4)
                            answer += chunk
                        for line in answer.strip(b"\\x0b\\x1c\\r").split(b"\\r"):
                            if line.startswith(b"MSA|"):
                                print(line.decode())
        except ssl.SSLError as error:
            print("SSLError", error.reason)
            sys.exit(3)
        except (ConnectionResetError, BrokenPipeError):
            print("closed")
            sys.exit(4)
        """

    /// Runs ``client``; its output lines.
    static func send(
        port: Int, certificates: Certificates, certificate: String? = nil, key: String? = nil,
        in folder: String
    ) throws -> [String] {
        let script = folder + "/tls-client.py"
        try client.write(toFile: script, atomically: true, encoding: .utf8)
        let output = try DaemonHarness.shell(
            "/usr/bin/env",
            [
                "python3", script, "127.0.0.1", String(port), certificates.authority, certificate ?? "-",
                key ?? "-", MLLPListenerDaemonTests.seedCase,
            ])
        return output.split(separator: "\n").map(String.init)
    }

    /// The `mllp_closed` reasons this daemon journaled.
    static func closedReasons(pid: Int32, since: Int) throws -> [String] {
        try PHIDaemonRun.journalEntries(pid: pid, since: since)
            .filter { $0["EXTRAVASD_EVENT"] == "mllp_closed" }.compactMap { $0["EXTRAVASD_REASON"] }
    }

    @Test func theSeedCaseOverTLSIsAcknowledgedAndAPlainTCPClientIsClosedAtTheHandshake() async throws {
        let (scratch, certificates) = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (harness, port) = try await MLLPListenerDaemonTests.start(
            extra: """
                  tls_certificate: \(certificates.serverCertificate)
                  tls_key: \(certificates.serverKey)
                """)
        let pid = try #require(harness.process?.processIdentifier)
        let expected = try MLLPListenerDaemonTests.seedMessages().map(MLLPListenerDaemonTests.controlID)

        let lines = try Self.send(port: port, certificates: certificates, in: scratch)
        #expect(lines.first?.hasPrefix("handshake TLSv1.") == true, "\(lines)")
        let acknowledgements = lines.filter { $0.hasPrefix("MSA|") }
        #expect(acknowledgements == expected.map { "MSA|AA|\($0)" }, "\(lines)")
        let alerts = try #require(
            try await eventually {
                let found = try MLLPListenerDaemonTests.alerts(pid: pid, since: harness.createdAt)
                    .filter { $0["EXTRAVASD_SOURCE"]?.hasPrefix("mllp:127.0.0.1:") == true }
                return found.isEmpty ? nil : found
            })
        #expect(Set(alerts.compactMap { $0["EXTRAVASD_ALERT_ID"] }).count == 1)

        // Plain MLLP to the TLS port: no acknowledgement, closed, the reason journaled.
        let plain = try MLLPClient(port: port)
        plain.sendFrame(try #require(try MLLPListenerDaemonTests.seedMessages().first))
        #expect(plain.readAcknowledgement() == nil)
        let reasons = try #require(
            try await eventually {
                let found = try Self.closedReasons(pid: pid, since: harness.createdAt)
                    .filter { $0.hasPrefix("TLS handshake failed") }
                return found.isEmpty ? nil : found
            })
        // BoringSSL's reason for bytes that are not a TLS record.
        #expect(reasons == ["TLS handshake failed: WRONG_VERSION_NUMBER"], "\(reasons)")
        // The TLS client that closed without close_notify is not reported as an error.
        #expect(try Self.closedReasons(pid: pid, since: harness.createdAt).count == 1)
        #expect(harness.process?.isRunning == true)
        #expect(harness.stop() == 0)
    }

    @Test func withAClientAuthorityOnlyAClientWithACertificateItSignedIsServed() async throws {
        let (scratch, certificates) = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (harness, port) = try await MLLPListenerDaemonTests.start(
            extra: """
                  tls_certificate: \(certificates.serverCertificate)
                  tls_key: \(certificates.serverKey)
                  tls_client_ca: \(certificates.authority)
                """)
        let pid = try #require(harness.process?.processIdentifier)

        let anonymous = try Self.send(port: port, certificates: certificates, in: scratch)
        #expect(!anonymous.contains { $0.hasPrefix("MSA|") }, "\(anonymous)")
        #expect(anonymous.last.map { $0.hasPrefix("SSLError") || $0 == "closed" } == true, "\(anonymous)")
        let stranger = try Self.send(
            port: port, certificates: certificates, certificate: certificates.strangerCertificate,
            key: certificates.strangerKey, in: scratch)
        #expect(!stranger.contains { $0.hasPrefix("MSA|") }, "\(stranger)")

        let known = try Self.send(
            port: port, certificates: certificates, certificate: certificates.clientCertificate,
            key: certificates.clientKey, in: scratch)
        #expect(known.filter { $0.hasPrefix("MSA|AA|") }.count == 7, "\(known)")

        let reasons = try #require(
            try await eventually {
                let found = try Self.closedReasons(pid: pid, since: harness.createdAt)
                    .filter { $0.hasPrefix("TLS handshake failed") }
                return found.count < 2 ? nil : found
            })
        // No certificate; a certificate no configured authority signed.
        #expect(
            reasons == [
                "TLS handshake failed: PEER_DID_NOT_RETURN_A_CERTIFICATE",
                "TLS handshake failed: CERTIFICATE_VERIFY_FAILED",
            ], "\(reasons)")
        #expect(harness.stop() == 0)
    }

    @Test func aKeyOfAnotherCertificateStopsTheStartWithExit78NamingTheFile() throws {
        let (scratch, certificates) = try Self.makeCertificates()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let config = scratch + "/extravasd.yaml"
        try """
        feeds:
          files: []
        state_directory: \(scratch)/state
        mllp:
          enabled: true
          listen: "127.0.0.1:\(try MLLPClient.freePort())"
          tls_certificate: \(certificates.serverCertificate)
          tls_key: \(certificates.clientKey)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonHarness.binary)
        process.arguments = ["run", "--config", config]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 78, "configuration error: systemd does not restart it")
        #expect(
            text.contains(
                "mllp.tls_key \(certificates.clientKey): does not match the first certificate of "
                    + certificates.serverCertificate), "\(text)")
    }
}
