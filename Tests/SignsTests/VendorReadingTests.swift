import Signs
import Testing

/// How nursing observations are read as real feeds send them (issue 11; DESIGN.md,
/// "Signs"): one test per rule, each named after it.
@Suite("Reading rules of vendor feeds")
struct VendorReadingTests {
    let recognizer = SignRecognizer()

    // MARK: Repetitions

    @Test func eachRepetitionOfOBX5IsOneItemAndANegationDoesNotReachAcrossRepetitions() {
        // Epic flowsheet multi-select, as the engine hands it over (one value per repetition).
        #expect(
            OBX.read("ST", "3040100959^R IV SITE ASSESSMENT^FLO", "Erythema", "Edema").signs == [
                .erythema, .swelling,
            ])
        #expect(
            OBX.read("ST", "3040100959^R IV SITE ASSESSMENT^FLO", "No redness", "Swelling").signs == [
                .swelling
            ])
        #expect(
            OBX.read("CWE", "^PIV site appearance", "NOERY^No redness^L", "SWL^Swelling^L").signs == [
                .swelling
            ])
        #expect(OBX.read("ST", "^R IV SITE ASSESSMENT", "Denies pain", "Tender").signs == [.pain])
    }

    // MARK: Clause breaks

    @Test(
        "A negation covers the words it governs up to a clause break",
        arguments: [
            "No redness.Swollen", "No redness;swollen", "No redness: swollen", "No redness\nSwollen",
            "No redness\rSwollen", "No redness\r\nSwollen", "no redness but swollen",
            "no redness however swollen",
            "no redness although swollen", "no redness though swollen", "no redness except swollen",
            "no redness whereas swollen",
        ])
    func aNegationCoversTheWordsItGovernsUpToAClauseBreak(text: String) {
        #expect(recognizer.signs(inText: text) == [.swelling], "\(text)")
        #expect(recognizer.signs(inText: "No redness or swelling").isEmpty)
    }

    // MARK: Contexts

    @Test func aHypotheticalContextReachesToTheNextClauseBreak() {
        #expect(recognizer.signs(inText: "monitor for redness, swelling, pain at the site").isEmpty)
        #expect(recognizer.signs(inText: "observe for redness, swelling").isEmpty)
        #expect(recognizer.signs(inText: "at risk of infiltration and extravasation with redness").isEmpty)
        #expect(
            recognizer.signs(inText: "Parents educated on calling the nurse at once if the site turns red")
                .isEmpty)
        #expect(
            recognizer.signs(
                inText: "Monitor for signs of infiltration per protocol every hour and report swelling"
            )
            .isEmpty)
        // Distance does not end it (a negation lapses after six words without a sign word).
        #expect(
            recognizer.signs(
                inText: "Educated parents to call the nurse right away for any redness or swelling"
            )
            .isEmpty)
        #expect(
            recognizer.signs(inText: "No dressing change needed today and site appears red") == [.erythema])
        #expect(recognizer.signs(inText: "Monitor for redness. Site swollen") == [.swelling])
        #expect(recognizer.signs(inText: "Educated on s/s of infiltration; site red") == [.erythema])
        #expect(recognizer.signs(inText: "Monitor site q1h\nSite red and swollen") == [.erythema, .swelling])
    }

    @Test(
        "Look-alike phrases are not signs",
        arguments: [
            "cold compress applied", "hard to flush", "Hard stick x2", "red blood cell transfusion",
            "urine pale yellow", "pulmonary edema on CXR", "erythema toxicum on trunk", "air leak",
            "Cold compresses",
            "red blood cells",
        ])
    func lookAlikePhrasesAreNotSigns(text: String) {
        #expect(recognizer.signs(inText: text).isEmpty, "\(text)")
    }

    @Test func lookAlikeNegationsDoNotNegate() {
        #expect(recognizer.signs(inText: "no change in redness") == [.erythema])
        #expect(recognizer.signs(inText: "No improvement in swelling") == [.swelling])
        #expect(recognizer.signs(inText: "redness not resolved") == [.erythema])
    }

    @Test func theContextListsAndNegationWordsAreConfigurable() {
        // French, replacing the built-in lists (the sign words are added by configuration).
        var french = SignContext.standard
        french.negationsBefore = ["pas de", "sans", "aucun", "aucune"]
        french.hypotheticalContexts = ["surveiller", "risque de"]
        french.lookAlikePhrases = ["rouge cerise"]
        french.lookAlikeNegations = ["pas de changement"]
        french.clauseBreakWords = ["mais"]
        let vocabulary = SignVocabulary(context: french).adding(signWords: [
            "rougeur": .erythema, "rouge": .erythema, "oedème": .swelling,
        ])
        let reader = SignRecognizer(vocabulary: vocabulary)
        #expect(reader.signs(inText: "pas de rougeur").isEmpty)
        #expect(reader.signs(inText: "sans rougeur mais oedème") == [.swelling])
        #expect(reader.signs(inText: "surveiller rougeur, oedème").isEmpty)
        #expect(reader.signs(inText: "rouge cerise").isEmpty)
        #expect(reader.signs(inText: "pas de changement, rougeur") == [.erythema])
        // The English words are gone from the lists replaced.
        #expect(reader.signs(inText: "no redness") == [.erythema])
        #expect(reader.signs(inText: "monitor for redness") == [.erythema])
        // The built-in vocabulary is the standard context.
        #expect(
            SignRecognizer(vocabulary: SignVocabulary(context: .standard)).signs(inText: "no redness").isEmpty
        )
    }

    // MARK: Inflections

    @Test(
        "The usual inflections of sign words count",
        arguments: [
            ("erythematous", SignKind.erythema), ("reddened", .erythema), ("reddish", .erythema),
            ("swollen", .swelling), ("blanched", .blanching), ("blistered", .blistering),
            ("infiltrated", .infiltration), ("infiltration", .infiltration),
        ])
    func theUsualInflectionsOfSignWordsCount(word: String, kind: SignKind) {
        #expect(recognizer.signs(inText: "site \(word)") == [kind], "\(word)")
        #expect(
            recognizer.signs(inText: "Site \(word.uppercased()), infusion stopped").contains(kind), "\(word)")
        #expect(recognizer.signs(inText: "not \(word)").isEmpty, "\(word)")
    }

    @Test func signWordsMatchAsWholeWordsWithAnOptionalPlural() {
        #expect(recognizer.signs(inText: "flow reduced").isEmpty)
        #expect(
            recognizer.signs(inText: "Infiltrates on chest film").isEmpty, "infiltrate is not a sign word")
        #expect(recognizer.signs(inText: "blisters") == [.blistering])
        #expect(recognizer.signs(inText: "reddens").isEmpty)
    }

    // MARK: Catheter rows

    @Test(
        "IV, catheter, line, cannula, PIV/PICC/CVC and infusion-site rows name a vascular access",
        arguments: [
            "3040100959^R IV SITE ASSESSMENT^FLO", "^PIV Left Hand Assessment",
            "^Peripheral IV 03/05/26 Hand",
            "^PICC line site", "^CVC dressing", "^Cannula site", "^Catheter site appearance",
            "^Infusion site",
            "IVASSESS^^L", "^Infiltration scale", "VIP^VIP score^L", "^Midline site", "^UVC site",
            "PIVSITE^^L",
        ])
    func vascularAccessRows(identifier: String) {
        #expect(recognizer.namesVascularAccess(OBX.element(identifier)), "\(identifier)")
    }

    @Test(
        "General skin, colour and device rows name no vascular access",
        arguments: [
            "^Skin Color", "SKINCOL^Skin colour^L", "^Neonatal assessment", "^Foley catheter site",
            "^Chest tube site",
            "^Epidural catheter site", "^Pain score", "^Stool color", "^Wound appearance",
            "8302-2^Body height^LN",
        ])
    func otherRows(identifier: String) {
        #expect(!recognizer.namesVascularAccess(OBX.element(identifier)), "\(identifier)")
    }

    @Test func theSoleSiteRuleIsOnlyForIVSiteAssessmentRows() {
        #expect(recognizer.namesVascularAccess(OBX.element("^R IV SITE ASSESSMENT")))
        #expect(!recognizer.namesVascularAccess(OBX.element("SKINCOLOR^Skin Color^L")))
        #expect(
            OBX.read("ST", "SKINCOLOR^Skin Color^L", "Pale").signs == [.blanching],
            "the word is read; the row is not about a catheter")
    }

    // MARK: Orientation rows

    @Test func anOrientationOrLateralityRowNamesTheSideOfItsLocation() {
        let orientation = OBX.read("ST", "^PIV Orientation", "Left")
        #expect(orientation.isOrientation)
        #expect(orientation.siteText == "Left")
        #expect(orientation.signs.isEmpty && !orientation.mentionsNormal && !orientation.isSiteLocation)
        #expect(OBX.read("CWE", "LAT^Laterality^L", "L^Left^HL70495").isOrientation)
        #expect(OBX.read("CWE", "LAT^Laterality^L", "L^Left^HL70495").siteText == "Left")
        #expect(!OBX.read("ST", "^PIV Location", "Hand").isOrientation)
        #expect(OBX.read("ST", "^PIV Location", "Hand").isSiteLocation)
    }
}
