import Signs
import Testing

/// From OBX-3 naming a sign, a coded yes counts and a coded no does not (code and text
/// of the CWE value are both checked); the label alone never creates a sign.
@Suite("Coded yes/no values")
struct CodedAnswerTests {
    static let yesValues = [
        "Y^Yes^HL70136", "YES^Yes^L", "POS^Positive^L", "present", "PRESENT^Present^L",
        "373066001^Yes^SCT", "52101004^Present^SCT", "TRUE", "y", "^Yes", "LOCAL1^yes^L",
    ]
    static let noValues = [
        "N^No^HL70136", "NO^No^L", "NEG^Negative^L", "absent", "ABSENT^Absent^L", "none",
        "NONE^None^L", "373067005^No^SCT", "2667000^Absent^SCT", "false", "^No", "LOCAL0^no^L",
    ]

    @Test("A coded yes asserts the sign the identifier names", arguments: yesValues)
    func codedYesCounts(value: String) {
        #expect(OBX.read("CWE", "ERYTHEMA^Erythema at IV site^L", value).signs == [.erythema])
        #expect(OBX.read("CWE", "SWELLING^Swelling at IV site^L", value).signs == [.swelling])
        #expect(OBX.read("CE", "^Redness", value).signs == [.erythema])
    }

    @Test("A coded no asserts nothing and states the site normal", arguments: noValues)
    func codedNoDoesNotCount(value: String) {
        let reading = OBX.read("CWE", "ERYTHEMA^Erythema at IV site^L", value)
        #expect(reading.signs.isEmpty)
        #expect(reading.mentionsNormal)
        #expect(OBX.read("CWE", "SWELLING^Swelling at IV site^L", value).signs.isEmpty)
    }

    @Test func everyDefaultKindCanBeNamedByTheIdentifier() {
        let labels: [(String, SignKind)] = [
            ("Erythema", .erythema), ("Redness", .erythema), ("Swelling", .swelling), ("Edema", .swelling),
            ("Pain", .pain), ("Tenderness", .pain), ("Blanching", .blanching), ("Skin pale", .blanching),
            ("Cool to touch", .coolness), ("Leaking at site", .leaking), ("Wet dressing", .leaking),
            ("Induration", .induration), ("Site hard", .induration), ("Blister", .blistering),
            ("Necrosis", .necrosis), ("Infiltration", .infiltration), ("Phlebitis", .phlebitis),
        ]
        for (label, kind) in labels {
            #expect(OBX.read("CWE", "X^\(label)^L", "Y^Yes^HL70136").signs == [kind], "\(label)")
            #expect(OBX.read("CWE", "X^\(label)^L", "N^No^HL70136").signs.isEmpty, "\(label)")
        }
    }

    @Test func theCodeAloneCanNameTheSign() {
        #expect(OBX.read("CWE", "ERYTHEMA", "Y").signs == [.erythema])
        #expect(OBX.read("CWE", "SWELLING^^L", "N").signs.isEmpty)
    }

    @Test func theLabelAloneCreatesNoSign() {
        #expect(OBX.read("CWE", "ERYTHEMA^Erythema at IV site^L", "N^No^HL70136").signs.isEmpty)
        #expect(OBX.read("CWE", "ERYTHEMA^Erythema at IV site^L").signs.isEmpty)
        #expect(OBX.read("CWE", "ERYTHEMA^Erythema at IV site^L", "U^Unknown^L").signs.isEmpty)
        #expect(OBX.read("NM", "PAINSCORE^Pain score^L", "0").signs.isEmpty)
        #expect(
            OBX.read("TX", "SWELLING^Swelling at IV site^L", "unable to assess, dressing on").signs.isEmpty)
    }

    @Test func theCodeIsCheckedBeforeTheText() {
        #expect(OBX.read("CWE", "X^Erythema^L", "Y^No^HL70136").signs == [.erythema])
        #expect(OBX.read("CWE", "X^Erythema^L", "N^Yes^HL70136").signs.isEmpty)
    }

    @Test func aYesOnAnyRepetitionCounts() {
        #expect(OBX.read("CWE", "X^Erythema^L", "N^No^HL70136", "Y^Yes^HL70136").signs == [.erythema])
    }

    @Test func anIdentifierNamingSeveralSignsAssertsThemAll() {
        #expect(OBX.read("CWE", "X^Redness/swelling at site^L", "Y").signs == [.erythema, .swelling])
    }

    @Test func writtenDegreesAndPresenceWordsCount() {
        #expect(OBX.read("CWE", "X^Erythema at IV site^L", "MILD^Mild^L").signs == [.erythema])
        #expect(OBX.read("ST", "X^Swelling^L", "moderate").signs == [.swelling])
        #expect(OBX.read("TX", "X^Redness^L", "noted around insertion site").signs == [.erythema])
        #expect(OBX.read("TX", "X^Redness^L", "2 cm around site").signs == [.erythema])
        #expect(OBX.read("TX", "X^Redness^L", "none noted").signs.isEmpty)
        #expect(OBX.read("TX", "X^Pain^L", "pt denies").signs.isEmpty)
        #expect(OBX.read("TX", "X^Pain^L", "pt denies").mentionsNormal)
        #expect(OBX.read("TX", "X^Redness^L", "not present").signs.isEmpty)
    }

    @Test func aTextValueOnASignIdentifierAddsTheSignsItNames() {
        #expect(OBX.read("TX", "X^Erythema^L", "red and swollen").signs == [.erythema, .swelling])
    }

    @Test func excludedPhrasesInTheLabelNameNothing() {
        #expect(OBX.read("CWE", "X^Cold compress applied^L", "Y").signs.isEmpty)
        #expect(OBX.read("CWE", "X^Hard to flush^L", "Y").signs.isEmpty)
    }
}
