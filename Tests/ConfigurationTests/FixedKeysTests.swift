import Configuration
import Foundation
import Testing

@Suite("The fixed keys of DESIGN.md section 6 are parsed")
struct FixedKeysTests {
    @Test("feeds.files and feeds.settle_ms")
    func feeds() throws {
        let configuration = try load(
            """
            feeds:
              files:
                - /var/spool/hl7/pharmacy/*.hl7
                - /var/spool/hl7/nursing-*.txt
              settle_ms: 750
            """)
        #expect(
            configuration.feeds.files == ["/var/spool/hl7/pharmacy/*.hl7", "/var/spool/hl7/nursing-*.txt"])
        #expect(configuration.feeds.settleMilliseconds == 750)
        #expect(try load("feeds:\n  files: []\n").feeds.files.isEmpty)
    }

    @Test("mllp.enabled and mllp.listen, IPv4 and IPv6")
    func mllp() throws {
        let configuration = try load("mllp:\n  enabled: true\n  listen: \"0.0.0.0:6661\"\n")
        #expect(configuration.mllp.enabled)
        #expect(configuration.mllp.listen == "0.0.0.0:6661")
        #expect(configuration.mllp.port == 6661)
        let v6 = try load("mllp:\n  listen: \"[::1]:2575\"\n")
        #expect(v6.mllp.host == "::1")
        #expect(v6.mllp.port == 2575)
    }

    @Test("mllp bounds and allow list, with their defaults")
    func mllpBounds() throws {
        let defaults = try load("mllp:\n  enabled: true\n")
        #expect(defaults.mllp.maxFrameBytes == nil)
        #expect(defaults.mllp.maxConnections == 32)
        #expect(defaults.mllp.idleTimeoutMilliseconds == 60000)
        #expect(defaults.mllp.allowedPeers.map(\.description) == ["127.0.0.0/8", "::1"])
        let open = try load("mllp:\n  listen: \"0.0.0.0:2575\"\n")
        #expect(open.mllp.allowedPeers.isEmpty, "not loopback: anyone unless allow is set")
        let set = try load(
            "mllp:\n  max_frame_bytes: 65536\n  max_connections: 4\n  idle_timeout_ms: 1500\n"
                + "  allow: [\"10.1.0.0/16\", \"192.168.3.4\", \"fd00::/8\"]\n")
        #expect(set.mllp.maxFrameBytes == 65536)
        #expect(set.mllp.maxConnections == 4)
        #expect(set.mllp.idleTimeoutMilliseconds == 1500)
        let allowed = set.mllp.allowedPeers
        #expect(allowed.map(\.description) == ["10.1.0.0/16", "192.168.3.4", "fd00::/8"])
        #expect(allowed[0].contains("10.1.200.7") && !allowed[0].contains("10.2.0.1"))
        #expect(allowed[0].contains("::ffff:10.1.0.9"))
        #expect(allowed[2].contains("fd12::1") && !allowed[2].contains("fe80::1"))
    }

    @Test("mllp.allow refuses what is not an address")
    func mllpRefusals() {
        #expect(issues(yaml: "mllp:\n  allow: [\"10.1.0.0/33\"]\n").count == 1)
        let name = issues(yaml: "mllp:\n  allow: [\"hospital.example\"]\n")
        #expect(name.map(\.reason).contains { $0.contains("IP addresses or CIDR blocks") }, "\(name)")
    }

    @Test("mllp.tls_*: a certificate and its key together, absolute paths of files, a key others cannot read")
    func mllpTLS() throws {
        let folder = NSTemporaryDirectory() + "extravasd-tls-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let certificate = folder + "/server.pem"
        let key = folder + "/server.key"
        let authority = folder + "/ca.pem"
        for path in [certificate, key, authority] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data("PEM".utf8)))
        }
        chmod(key, 0o640)

        let both = try load("mllp:\n  tls_certificate: \(certificate)\n  tls_key: \(key)\n")
        #expect(both.mllp.usesTLS && both.mllp.tlsCertificate == certificate && both.mllp.tlsKey == key)
        #expect(both.mllp.tlsClientCA == nil)
        let mutual = try load(
            "mllp:\n  tls_certificate: \(certificate)\n  tls_key: \(key)\n  tls_client_ca: \(authority)\n")
        #expect(mutual.mllp.tlsClientCA == authority)
        #expect(!(try load("mllp:\n  enabled: true\n").mllp.usesTLS), "plain TCP by default")

        let alone = issues(yaml: "mllp:\n  tls_certificate: \(certificate)\n")
        #expect(
            alone.map(\.reason) == [
                "'mllp.tls_certificate' and 'mllp.tls_key' go together: give both for TLS, or neither"
            ])
        let authorityAlone = issues(yaml: "mllp:\n  tls_client_ca: \(authority)\n")
        #expect(
            authorityAlone.count == 1 && authorityAlone[0].reason.contains("needs TLS"), "\(authorityAlone)")
        let relative = issues(yaml: "mllp:\n  tls_certificate: server.pem\n  tls_key: \(key)\n")
        #expect(relative.map(\.reason).contains { $0.contains("must be an absolute path") }, "\(relative)")
        let missing = issues(yaml: "mllp:\n  tls_certificate: \(folder)/none.pem\n  tls_key: \(key)\n")
        #expect(
            missing.map(\.reason).contains { $0.contains("\(folder)/none.pem: No such file or directory") },
            "\(missing)")
        chmod(key, 0o644)
        let readable = issues(yaml: "mllp:\n  tls_certificate: \(certificate)\n  tls_key: \(key)\n")
        #expect(readable.map(\.reason).contains { $0.contains("has mode 644") }, "\(readable)")
        #expect(readable.first?.line == 3, "the issue names the line of tls_key")
    }

    @Test("state_directory")
    func stateDirectory() throws {
        #expect(try load("state_directory: /srv/extravasd/state\n").stateDirectory == "/srv/extravasd/state")
    }

    @Test("phi", arguments: PHIPolicy.allCases)
    func phi(_ policy: PHIPolicy) throws {
        #expect(try load("phi: \(policy.rawValue)\n").phi == policy)
    }

    @Test("timezone takes IANA names")
    func timezone() throws {
        let configuration = try load("timezone: Europe/Paris\n")
        #expect(configuration.timezone == "Europe/Paris")
        #expect(configuration.timeZone.identifier == "Europe/Paris")
        #expect(try load("timezone: America/New_York\n").timeZone.identifier == "America/New_York")
    }

    @Test("catalogs, default_catalogs and vesicant_catalog")
    func catalogs() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "local.yaml",
            """
            entries:
              - id: local-drug
                name: Local drug
                risk: moderate
                names: [local drug]
            """)
        let path = try folder.write(
            "extravasd.yaml", "catalogs: [local.yaml]\ndefault_catalogs: true\nvesicant_catalog: true\n")
        let configuration = try ConfigurationLoader.load(path: path)
        #expect(configuration.catalogs == ["local.yaml"])
        #expect(configuration.catalogPaths == [folder.path + "/local.yaml"])
        #expect(configuration.defaultCatalogs)
        #expect(configuration.vesicantCatalog)
        #expect(configuration.catalog.entry(id: "local-drug") != nil)
        #expect(configuration.catalog.entry(id: "norepinephrine") != nil)
        #expect(configuration.catalog.entry(id: "calcium-gluconate") != nil)
    }
}
