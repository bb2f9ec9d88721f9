import Catalog
import Configuration
import Signs
import Testing

@Suite("The team's keys are parsed")
struct TeamKeysTests {
    @Test("watch.window_hours applies to catalog entries without their own window; late_window_days")
    func watch() throws {
        let configuration = try load("watch:\n  window_hours: 96\n  late_window_days: 56\n")
        #expect(configuration.watch.windowHours == 96)
        #expect(configuration.watch.lateWindowDays == 56)
        #expect(configuration.catalog.entry(id: "calcium-gluconate")?.watchWindowHours == 96)
    }

    @Test("labs: lookback, Ca x P window, and codes replacing one test's defaults")
    func labs() throws {
        let configuration = try load(
            """
            labs:
              lookback_days: 3
              ca_x_p_window_hours: 24
              codes:
                creatinine:
                  - {code: "CREAT", unit: "µmol/L"}
                calcium:
                  - code: 17861-6
                    unit: MG/DL
            """)
        #expect(configuration.labs.lookbackDays == 3)
        #expect(configuration.labs.calciumPhosphateWindowHours == 24)
        #expect(configuration.labs.codes[.creatinine] == [.init(code: "CREAT", unit: .micromolesPerLiter)])
        #expect(configuration.labs.codes[.calcium] == [.init(code: "17861-6", unit: .milligramsPerDeciliter)])
        #expect(configuration.labs.codes[.phosphate] == ExtravasdConfiguration.Labs.standardCodes[.phosphate])
    }

    @Test("a lab unit the test is never read in is an error at the unit")
    func labUnit() {
        let found = issues(
            yaml: "labs:\n  codes:\n    phosphate:\n      - {code: \"2777-1\", unit: umol/L}\n")
        #expect(found.map(\.line) == [4])
        #expect(found.first?.column == 32)
        #expect(found.first?.reason.contains("mg/dL or mmol/L") == true)
    }

    @Test("sites.synonyms are added to the site vocabulary")
    func siteSynonyms() throws {
        let configuration = try load("sites:\n  synonyms:\n    \"cubital crease\": antecubital-fossa\n")
        #expect(configuration.sites.synonyms == ["cubital crease": "antecubital-fossa"])
        #expect(configuration.siteVocabulary.part(forPhrase: "Cubital Crease") == "antecubital-fossa")
    }

    @Test("a site synonym naming an unknown part is an error at that part")
    func unknownSitePart() {
        let found = issues(yaml: "sites:\n  synonyms:\n    knuckle: knuckel\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.column == 14)
        #expect(found.first?.reason.contains("unknown part 'knuckel'") == true)
    }

    @Test("signs.words, calcinosis_words and negations are parsed, and 'no' stays a word")
    func signs() throws {
        let configuration = try load(
            """
            signs:
              words: {inflamed: erythema, weeping: leaking}
              calcinosis_words: [calcium deposit]
              negations: [nil, "no evidence of", no]
            """)
        #expect(configuration.signs.words == ["inflamed": .erythema, "weeping": .leaking])
        #expect(configuration.signs.calcinosisWords == ["calcium deposit"])
        #expect(configuration.signs.negations == ["nil", "no evidence of", "no"])
    }

    @Test("a sign word naming an unknown kind is an error with a suggestion")
    func unknownSignKind() {
        let found = issues(yaml: "signs:\n  words:\n    inflamed: erythma\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.reason.contains("did you mean 'erythema'?") == true)
    }

    @Test("feeds.rotation_grace_ms")
    func rotationGrace() throws {
        #expect(try load("feeds:\n  rotation_grace_ms: 1500\n").feeds.rotationGraceMilliseconds == 1500)
        #expect(ExtravasdConfiguration.Feeds().rotationGraceMilliseconds == 5000)
    }

    @Test("limits and reminders")
    func limitsAndReminders() throws {
        let configuration = try load(
            """
            limits:
              max_message_bytes: 2097152
              max_segments: 500
              max_field_bytes: 65536
              dead_letter_max_bytes: 1048576
              dead_letter_files: 2
            reminders:
              after_minutes: 0.1
              suppress_hours: 12
            review:
              group: oncall-rn
            """)
        #expect(configuration.limits.deadLetterMaxBytes == 1_048_576)
        #expect(configuration.limits.deadLetterFiles == 2)
        #expect(ExtravasdConfiguration.Limits().deadLetterMaxBytes == 16_777_216)
        #expect(ExtravasdConfiguration.Limits().deadLetterFiles == 4)
        #expect(configuration.limits.maxMessageBytes == 2_097_152)
        #expect(configuration.limits.maxSegments == 500)
        #expect(configuration.limits.maxFieldBytes == 65536)
        #expect(configuration.reminders.afterMinutes == 0.1)
        #expect(configuration.reminders.after == .milliseconds(6_000))
        #expect(configuration.reminders.suppressHours == 12)
        #expect(configuration.review.group == "oncall-rn")
        #expect(ExtravasdConfiguration.Reminders().suppressHours == 24)
        #expect(ExtravasdConfiguration.Review().group == "extravasd-review")
    }

    @Test("a field limit larger than the message limit is an error")
    func fieldOverMessage() {
        let found = issues(yaml: "limits:\n  max_message_bytes: 4096\n  max_field_bytes: 8192\n")
        #expect(found.map(\.code) == [.conflict])
        #expect(found.first?.line == 3)
    }
}
