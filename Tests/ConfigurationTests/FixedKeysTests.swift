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
