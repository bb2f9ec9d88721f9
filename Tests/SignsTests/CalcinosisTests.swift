import Signs
import Testing

/// Calcinosis findings are words in text values or imaging results, with negation as
/// for signs; they are reported in `calcinosisFinding`, never as an acute sign.
@Suite("Calcinosis findings")
struct CalcinosisTests {
    let recognizer = SignRecognizer()

    @Test(
        "Each default finding word is a finding",
        arguments: [
            "nodule", "nodular", "papule", "plaque", "white-yellow", "white yellow", "chalky",
            "calcinosis", "calcified", "calcification", "calcific", "radio-opaque", "radiopaque",
            "Radio-Opaque", "NODULES", "papules", "plaques", "calcifications",
        ])
    func findingWords(word: String) {
        #expect(recognizer.calcinosisFinding(inText: "\(word) at old IV site"), "\(word)")
        #expect(recognizer.signs(inText: "\(word) at old IV site").isEmpty, "\(word)")
    }

    @Test(
        "Negated finding words are not findings",
        arguments: [
            "no calcification", "No nodules", "without nodules or plaques", "negative for calcinosis",
            "no calcification, nodules or plaques", "nodule resolved", "papule: none",
            "X-ray: no radio-opaque deposits",
        ])
    func negatedFindings(text: String) {
        #expect(!recognizer.calcinosisFinding(inText: text), "\(text)")
    }

    @Test func theGeneratorCalcinosisTextsAreFindingsWithoutAcuteSigns() {
        for text in [
            "white-yellow papule at old IV site",
            "chalky nodule noted at former PIV site",
            "nodular plaque at old site, ? calcinosis",
            "X-ray: radio-opaque deposits in soft tissue at prior IV site",
        ] {
            let reading = OBX.read("TX", "SKINFIND^Skin findings at site^L", text)
            #expect(reading.calcinosisFinding, "\(text)")
            #expect(reading.signs.isEmpty, "\(text)")
            #expect(!reading.signs.contains(.calcinosis), "\(text)")
            #expect(!reading.mentionsNormal, "\(text)")
        }
    }

    @Test func wordsThatMerelyContainAFindingAreNot() {
        #expect(!recognizer.calcinosisFinding(inText: "white dressing, yellow tape"))
        #expect(!recognizer.calcinosisFinding(inText: "opaque dressing"))
        #expect(!recognizer.calcinosisFinding(inText: "calcium gluconate infusing"))
    }

    @Test func imagingResultsAreReadAsText() {
        let reading = OBX.read(
            "FT", "36554-4^XR Foot^LN", "Soft tissue calcifications along the dorsum of the left foot.")
        #expect(reading.calcinosisFinding)
        #expect(!OBX.read("FT", "36554-4^XR Foot^LN", "No soft tissue calcification.").calcinosisFinding)
    }

    @Test func codedFindingValuesAreReadByTheirText() {
        #expect(OBX.read("CWE", "SKIN^Skin finding at site^L", "NOD^Nodule^L").calcinosisFinding)
        #expect(!OBX.read("CWE", "SKIN^Skin finding at site^L", "INT^Intact^L").calcinosisFinding)
    }

    @Test func anIdentifierNamingAFindingNeedsAYes() {
        #expect(OBX.read("CWE", "NODULE^Nodule at old IV site^L", "Y^Yes^HL70136").calcinosisFinding)
        #expect(!OBX.read("CWE", "NODULE^Nodule at old IV site^L", "N^No^HL70136").calcinosisFinding)
        #expect(OBX.read("CWE", "NODULE^Nodule at old IV site^L", "N^No^HL70136").mentionsNormal)
        #expect(OBX.read("NM", "X^Nodule size^L", "0.4").calcinosisFinding)
        #expect(!OBX.read("NM", "X^Nodule count^L", "0").calcinosisFinding)
    }

    @Test func aFindingAndASignCanStandTogether() {
        let reading = OBX.read("TX", "IVSITE^IV site appearance^L", "firm white-yellow nodule, red")
        #expect(reading.calcinosisFinding)
        #expect(reading.signs == [.induration, .erythema])
    }

    @Test func addedFindingWordsWork() {
        let custom = SignRecognizer(
            vocabulary: .standard.adding(calcinosisWords: ["tophus", "calcium deposit"]))
        #expect(custom.calcinosisFinding(inText: "tophi-like tophus at site"))
        #expect(!custom.calcinosisFinding(inText: "no tophus"))
        #expect(!recognizer.calcinosisFinding(inText: "tophus at site"))
        let mapped = SignRecognizer(vocabulary: .standard.adding(signWords: ["granuloma": .calcinosis]))
        #expect(mapped.calcinosisFinding(inText: "granuloma at site"))
        #expect(mapped.signs(inText: "granuloma at site").isEmpty)
    }
}
