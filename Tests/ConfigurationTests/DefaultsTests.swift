import Catalog
import Configuration
import Foundation
import Testing

@Suite("Every key has a default")
struct DefaultsTests {
    /// Checks every default of DESIGN.md section 6 and of the team's keys.
    static func expectDefaults(
        _ configuration: ExtravasdConfiguration, feeds: [String] = ["/var/spool/hl7/*.hl7"]
    ) {
        #expect(configuration.feeds.files == feeds)
        #expect(configuration.feeds.settleMilliseconds == 200)
        #expect(configuration.mllp.enabled == false)
        #expect(configuration.mllp.listen == "127.0.0.1:2575")
        #expect(configuration.mllp.host == "127.0.0.1")
        #expect(configuration.mllp.port == 2575)
        #expect(configuration.stateDirectory == "/var/lib/extravasd")
        #expect(configuration.phi == .identifiers)
        #expect(configuration.timezone == "UTC")
        #expect(configuration.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == 0)
        #expect(configuration.catalogs.isEmpty)
        #expect(configuration.catalogPaths.isEmpty)
        #expect(configuration.defaultCatalogs == true)
        #expect(configuration.vesicantCatalog == false)
        #expect(configuration.watch.windowHours == 72)
        #expect(configuration.watch.lateWindowDays == 42)
        #expect(configuration.labs.lookbackDays == 7)
        #expect(configuration.labs.calciumPhosphateWindowHours == 72)
        #expect(configuration.labs.codes == ExtravasdConfiguration.Labs.standardCodes)
        #expect(configuration.labs.codes[.creatinine]?.map(\.code) == ["2160-0", "14682-9"])
        #expect(
            configuration.labs.codes[.creatinine]?.map(\.unit) == [
                .milligramsPerDeciliter, .micromolesPerLiter,
            ])
        #expect(configuration.labs.codes[.phosphate]?.map(\.code) == ["2777-1", "14879-1"])
        #expect(configuration.labs.codes[.calcium]?.map(\.code) == ["17861-6", "2000-8"])
        #expect(configuration.sites.synonyms.isEmpty)
        #expect(configuration.signs.words.isEmpty)
        #expect(configuration.signs.calcinosisWords.isEmpty)
        #expect(configuration.signs.negations.isEmpty)
        #expect(configuration.limits.maxMessageBytes == 1_048_576)
        #expect(configuration.limits.maxSegments == 2000)
        #expect(configuration.limits.maxFieldBytes == 262_144)
        #expect(configuration.reminders.afterMinutes == 10)
        #expect(configuration.clock.maxSkewSeconds == 3600)
        #expect(configuration.clock.maxJumpSeconds == 604_800)
        #expect(
            configuration.catalog.entries.map(\.id) == [
                "calcium-chloride", "calcium-gluconate", "calcium-gluceptate", "calcium-lactate",
                "parenteral-nutrition", "lactated-ringers", "ringers-solution",
            ])
        #expect(configuration.catalog.entries.allSatisfy { $0.watchWindowHours == 72 })
    }

    @Test("a file with only feeds gets every other default")
    func onlyFeeds() throws {
        let configuration = try load(
            """
            feeds:
              files: ["/data/hl7/*.hl7"]
            """, path: "/etc/extravasd/extravasd.yaml")
        Self.expectDefaults(configuration, feeds: ["/data/hl7/*.hl7"])
        #expect(configuration.sourcePath == "/etc/extravasd/extravasd.yaml")
    }

    @Test("an empty file, or one with comments only, is all defaults")
    func emptyFile() throws {
        Self.expectDefaults(try load(""))
        Self.expectDefaults(try load("# nothing configured yet\n"))
        Self.expectDefaults(try load("feeds:\n"))
    }

    @Test("the built-in defaults are those of an empty file")
    func builtIn() {
        let configuration = ConfigurationLoader.builtInDefaults()
        Self.expectDefaults(configuration)
        #expect(configuration.sourcePath == nil)
        #expect(ConfigurationLoader.defaultPath == "/etc/extravasd/extravasd.yaml")
    }

    @Test("the commented example file is valid and configures exactly the defaults")
    func exampleFile() throws {
        let configuration = try ConfigurationLoader.load(
            path: repositoryConfigFolder + "/extravasd.example.yaml")
        Self.expectDefaults(configuration)
    }

    @Test("the example file lists every key the loader knows")
    func exampleListsEveryKey() throws {
        let text = try String(
            contentsOfFile: repositoryConfigFolder + "/extravasd.example.yaml", encoding: .utf8)
        for key in [
            "feeds:", "files:", "settle_ms:", "rotation_grace_ms:", "mllp:", "enabled:", "listen:",
            "max_frame_bytes:", "max_connections:", "idle_timeout_ms:", "allow:",
            "state_directory:", "phi:",
            "timezone:",
            "catalogs:", "default_catalogs:", "vesicant_catalog:", "watch:", "window_hours:",
            "late_window_days:",
            "labs:", "lookback_days:", "ca_x_p_window_hours:", "codes:", "creatinine:", "phosphate:",
            "calcium:", "ionized_calcium:",
            "sites:", "synonyms:", "signs:", "words:", "calcinosis_words:", "negations:", "limits:",
            "max_message_bytes:", "max_segments:", "max_field_bytes:", "dead_letter_max_bytes:",
            "dead_letter_files:",
            "reminders:", "after_minutes:", "suppress_hours:", "review:", "group:",
            "clock:", "max_skew:", "max_jump:",
        ] {
            #expect(text.contains(key), "example file lacks \(key)")
        }
    }
}
