import Signs
import Testing

/// A text value names signs when it contains a sign word that is not negated; a
/// negation covers the words it governs up to a clause break.
@Suite("Negation in text values")
struct NegationTests {
    let recognizer = SignRecognizer()

    @Test(
        "Each negation that comes before governs the sign words after it",
        arguments: [
            "no redness", "No erythema", "not red", "denies pain", "Pt denied pain", "deny pain",
            "without swelling", "w/o swelling", "negative for erythema", "neg for erythema",
            "free of redness", "absence of swelling", "absent swelling",
            "neither red nor swollen", "non-tender", "non tender", "never painful",
        ])
    func negationBefore(text: String) {
        #expect(recognizer.signs(inText: text).isEmpty, "\(text)")
        #expect(OBX.read("TX", "IVSITE^IV site appearance^L", text).mentionsNormal, "\(text)")
    }

    @Test(
        "Each negation that comes after governs the sign words before it",
        arguments: [
            "redness resolved", "erythema negative", "pain free", "pain-free", "swelling gone",
            "swelling subsided", "redness absent", "pain denied", "redness not present",
            "edema not noted", "erythema not seen", "redness: none", "Redness: no", "Pain: denies",
            "Swelling - none", "redness, swelling absent", "Redness, swelling: none",
        ])
    func negationAfter(text: String) {
        #expect(recognizer.signs(inText: text).isEmpty, "\(text)")
    }

    @Test func theContractExamplesAreNotSigns() {
        #expect(recognizer.signs(inText: "no redness").isEmpty)
        #expect(recognizer.signs(inText: "denies pain").isEmpty)
        #expect(recognizer.signs(inText: "without swelling or edema").isEmpty)
        #expect(recognizer.signs(inText: "negative for erythema").isEmpty)
        #expect(recognizer.signs(inText: "without swelling, redness or edema").isEmpty)
        #expect(recognizer.signs(inText: "no redness, denies pain, without swelling or edema").isEmpty)
    }

    @Test func theContractPositiveExamplesAreSigns() {
        #expect(recognizer.signs(inText: "red and swollen, pt crying") == [.erythema, .swelling])
        #expect(
            recognizer.signs(
                inText: "Heel red and swollen around the catheter\nChild cries when the site is touched")
                == [.erythema, .swelling])
        #expect(recognizer.signs(inText: "blanched, cool to touch") == [.blanching, .coolness])
        #expect(recognizer.signs(inText: "leaking at site, wet dressing") == [.leaking])
        #expect(recognizer.signs(inText: "no redness but swollen") == [.swelling])
    }

    @Test(
        "A clause break ends the negation",
        arguments: [
            "no redness. swollen", "no redness; swollen", "no redness: swollen", "no redness\nswollen",
            "no redness\r\nswollen", "no redness but swollen", "no redness, however swollen",
            "no redness although swollen", "no redness though swollen", "no redness - swollen",
            "no redness! swollen", "no redness? swollen", "no redness \u{2013} swollen",
        ])
    func clauseBreaks(text: String) {
        #expect(recognizer.signs(inText: text) == [.swelling], "\(text)")
    }

    @Test func aCommaContinuesAListOfSignWordsOfTheSameClass() {
        #expect(recognizer.signs(inText: "without swelling, redness or edema").isEmpty)
        #expect(recognizer.signs(inText: "No redness, swelling, or pain").isEmpty)
        #expect(recognizer.signs(inText: "no erythema, edema, tenderness or drainage").isEmpty)
        #expect(recognizer.signs(inText: "not red, swollen or tender").isEmpty)
        #expect(recognizer.signs(inText: "no calcification, nodules or plaques") == [])
        #expect(!recognizer.calcinosisFinding(inText: "no calcification, nodules or plaques"))
    }

    @Test func aCommaEndsTheNegationOtherwise() {
        #expect(recognizer.signs(inText: "no redness, swollen") == [.swelling])
        #expect(recognizer.signs(inText: "no redness, tender to touch") == [.pain])
        #expect(recognizer.signs(inText: "no pain, red and swollen") == [.erythema, .swelling])
        #expect(recognizer.signs(inText: "No drainage, redness noted") == [.erythema])
        #expect(recognizer.signs(inText: "no redness at site, swelling noted") == [.swelling])
        #expect(recognizer.signs(inText: "Site tender to touch, no redness") == [.pain])
        #expect(recognizer.signs(inText: "mild redness at site, no swelling") == [.erythema])
        #expect(recognizer.signs(inText: "faint redness along vein, pt denies pain") == [.erythema])
        #expect(recognizer.signs(inText: "non-tender, red and swollen") == [.erythema, .swelling])
    }

    @Test func aNegationAfterStaysInItsSegment() {
        #expect(recognizer.signs(inText: "Site tender to touch, redness absent") == [.pain])
        #expect(recognizer.signs(inText: "red and swollen, pain resolved") == [.erythema, .swelling])
        #expect(recognizer.signs(inText: "Tender, redness absent") == [.pain])
        #expect(recognizer.signs(inText: "Redness resolved. Swelling persists") == [.swelling])
    }

    @Test func lookAlikeNegationsAreNotNegations() {
        #expect(recognizer.signs(inText: "no change in redness") == [.erythema])
        #expect(recognizer.signs(inText: "no increase in swelling") == [.swelling])
        #expect(recognizer.signs(inText: "redness not resolved") == [.erythema])
        #expect(recognizer.signs(inText: "not only red but swollen") == [.erythema, .swelling])
        #expect(recognizer.signs(inText: "site red, IV free flowing") == [.erythema])
    }

    @Test func hypotheticalContextsAssertNothingAndStateNothingNormal() {
        #expect(recognizer.signs(inText: "monitor for redness and swelling").isEmpty)
        #expect(recognizer.signs(inText: "Notify MD if red or swollen").isEmpty)
        #expect(recognizer.signs(inText: "Parent educated on signs of infiltration").isEmpty)
        #expect(recognizer.signs(inText: "at risk of extravasation, monitoring for infiltration q1h").isEmpty)
        #expect(!OBX.read("TX", "IVSITE^IV site appearance^L", "monitor for redness").mentionsNormal)
        #expect(recognizer.signs(inText: "monitor for redness. Site swollen") == [.swelling])
    }

    @Test func aNegationOnlyCoversTheWordsItGoverns() {
        #expect(recognizer.signs(inText: "red without blistering") == [.erythema])
        #expect(
            recognizer.signs(inText: "Redness 2 cm above site\nSwelling noted. MD notified.") == [
                .erythema, .swelling,
            ])
        #expect(recognizer.signs(inText: "Pt denies pain at site. No leakage.").isEmpty)
        #expect(recognizer.signs(inText: "Site clean, dry and intact. No redness or swelling.").isEmpty)
    }

    @Test func addedNegationsWork() {
        let custom = SignRecognizer(vocabulary: .standard.adding(negations: ["nil", "no evidence of"]))
        #expect(custom.signs(inText: "nil redness").isEmpty)
        #expect(custom.signs(inText: "no evidence of swelling").isEmpty)
        #expect(recognizer.signs(inText: "nil redness") == [.erythema])
    }
}

/// Where a negation stops short of a clause break.
@Suite("Negation reach")
struct NegationReachTests {
    let recognizer = SignRecognizer()

    @Test func aNegationLapsesAfterSixWordsWithoutASignWord() {
        #expect(
            recognizer.signs(inText: "No dressing change needed today and site appears red") == [.erythema])
        #expect(recognizer.signs(inText: "No signs or symptoms of infiltration or phlebitis").isEmpty)
        #expect(recognizer.signs(inText: "Pt denies any pain or discomfort at the site").isEmpty)
        #expect(recognizer.signs(inText: "no redness noted at the insertion site or swelling").isEmpty)
    }

    @Test func aWrittenNAfterAColonAnswersNo() {
        #expect(recognizer.signs(inText: "Erythema: N, Swelling: N").isEmpty)
        #expect(recognizer.signs(inText: "Erythema: N, Swelling: Y") == [.swelling])
        #expect(recognizer.signs(inText: "Erythema: N\nPain: 4") == [.pain])
    }
}
