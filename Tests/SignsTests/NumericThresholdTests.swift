import Signs
import Testing

/// A value is numeric when OBX-2 is NM or SN, or OBX-5.1 reads as a decimal; it counts
/// when it reaches the threshold, inclusive: pain score >= 1 (0-10), infiltration
/// grade >= 1, phlebitis scale (VIP) >= 2, another named sign >= 1.
@Suite("Numeric thresholds")
struct NumericThresholdTests {
    @Test func painScoreCountsFromOne() {
        #expect(OBX.read("NM", "PAINSCORE^Pain score^L", "0").signs.isEmpty)
        #expect(OBX.read("NM", "PAINSCORE^Pain score^L", "0.5").signs.isEmpty)
        #expect(OBX.read("NM", "PAINSCORE^Pain score^L", "1").signs == [.pain])
        #expect(OBX.read("NM", "PAINSCORE^Pain score^L", "1.0").signs == [.pain])
        #expect(OBX.read("NM", "PAINSCORE^Pain score^L", "7").signs == [.pain])
        #expect(OBX.read("NM", "PAINSCORE^Pain score (0-10)^L", "0").signs.isEmpty)
        #expect(OBX.read("NM", "PAINSCORE^Pain score (0-10)^L", "3").signs == [.pain])
        #expect(OBX.read("NM", "FLACC^FLACC score^L", "2").signs == [.pain])
        #expect(OBX.read("NM", "72514-3^Pain severity 0-10 verbal numeric rating^LN", "4").signs == [.pain])
        #expect(OBX.read("NM", "72514-3^^LN", "0").signs.isEmpty)
        #expect(OBX.read("NM", "72514-3^^LN", "4").signs == [.pain])
    }

    @Test func infiltrationGradeCountsFromOne() {
        #expect(OBX.read("NM", "INFILTR^Infiltration grade^L", "0").signs.isEmpty)
        #expect(OBX.read("NM", "INFILTR^Infiltration grade^L", "1").signs == [.infiltration])
        #expect(OBX.read("NM", "INFILTR^Infiltration grade^L", "3").signs == [.infiltration])
        #expect(OBX.read("NM", "X^Infiltration scale^L", "0.9").signs.isEmpty)
    }

    @Test func phlebitisScaleCountsFromTwo() {
        for label in [
            "VIP^VIP phlebitis score^L", "VIP^VIP score^L", "X^Phlebitis score^L",
            "X^Visual Infusion Phlebitis^L", "X^Visual Infusion Phlebitis (VIP) score^L", "VIP",
        ] {
            #expect(OBX.read("NM", label, "0").signs.isEmpty, "\(label)")
            #expect(OBX.read("NM", label, "1").signs.isEmpty, "\(label)")
            #expect(OBX.read("NM", label, "2").signs == [.phlebitis], "\(label)")
            #expect(OBX.read("NM", label, "3").signs == [.phlebitis], "\(label)")
        }
    }

    @Test func aNumberOnAnotherNamedSignCountsFromOne() {
        #expect(OBX.read("NM", "X^Erythema grade^L", "0").signs.isEmpty)
        #expect(OBX.read("NM", "X^Erythema grade^L", "1").signs == [.erythema])
        #expect(OBX.read("NM", "X^Erythema grade^L", "2").signs == [.erythema])
        #expect(OBX.read("NM", "X^Edema grade^L", "2").signs == [.swelling])
    }

    @Test func snComparatorIsComponentOneAndNumberComponentTwo() {
        #expect(OBX.read("SN", "PAINSCORE^Pain score^L", "^3").signs == [.pain])
        #expect(OBX.read("SN", "PAINSCORE^Pain score^L", "=^1").signs == [.pain])
        #expect(OBX.read("SN", "PAINSCORE^Pain score^L", ">^4").signs == [.pain])
        #expect(OBX.read("SN", "PAINSCORE^Pain score^L", "^0").signs.isEmpty)
        #expect(OBX.read("SN", "VIP^VIP score^L", "^1").signs.isEmpty)
        #expect(OBX.read("SN", "VIP^VIP score^L", ">=^2").signs == [.phlebitis])
        // An upper bound never shows the threshold is reached.
        #expect(OBX.read("SN", "PAINSCORE^Pain score^L", "<^3").signs.isEmpty)
        #expect(OBX.read("SN", "PAINSCORE^Pain score^L", ">3").signs == [.pain])
    }

    @Test func obx51ThatReadsAsADecimalIsNumericWhateverTheType() {
        #expect(OBX.read("ST", "PAINSCORE^Pain score^L", "0").signs.isEmpty)
        #expect(OBX.read("ST", "PAINSCORE^Pain score^L", "2").signs == [.pain])
        #expect(OBX.read("CWE", "PAINSCORE^Pain score^L", "0^No pain^L").signs.isEmpty)
        #expect(OBX.read("CWE", "PAINSCORE^Pain score^L", "6^Moderate pain^L").signs == [.pain])
        #expect(OBX.read("", "VIP^VIP score^L", "1").signs.isEmpty)
        #expect(OBX.read("", "VIP^VIP score^L", "2").signs == [.phlebitis])
    }

    @Test func scoresWrittenAsFractionsOrGrades() {
        #expect(OBX.read("ST", "X^Pain^L", "3/10").signs == [.pain])
        #expect(OBX.read("ST", "X^Pain^L", "0/10").signs.isEmpty)
        #expect(OBX.read("ST", "X^Edema^L", "2+").signs == [.swelling])
        #expect(OBX.read("CWE", "X^Infiltration^L", "^Grade 2").signs == [.infiltration])
        #expect(OBX.read("CWE", "X^Infiltration^L", "^Grade 0").signs.isEmpty)
    }

    @Test func zeroStatesTheSiteNormalButBelowThresholdDoesNot() {
        #expect(OBX.read("NM", "PAINSCORE^Pain score^L", "0").mentionsNormal)
        #expect(!OBX.read("NM", "VIP^VIP score^L", "1").mentionsNormal)
        #expect(OBX.read("NM", "VIP^VIP score^L", "1").signs.isEmpty)
        #expect(!OBX.read("NM", "PAINSCORE^Pain score^L", "4").mentionsNormal)
    }

    @Test func numbersOnOtherIdentifiersNameNothing() {
        #expect(OBX.read("NM", "TEMP^Temperature^L", "39.2").signs.isEmpty)
        #expect(OBX.read("NM", "IVSITE^IV site appearance^L", "3").signs.isEmpty)
        #expect(OBX.read("NM", "GAUGE^Catheter gauge^L", "22").signs.isEmpty)
    }

    @Test func aTimeOnASignIdentifierIsNotAScore() {
        #expect(OBX.read("DTM", "X^Erythema first noted^L", "202603051425").signs.isEmpty)
    }

    @Test func scoresInsideTextUseTheSameThresholds() {
        let recognizer = SignRecognizer()
        #expect(recognizer.signs(inText: "pain 0/10").isEmpty)
        #expect(recognizer.signs(inText: "pain 3/10") == [.pain])
        #expect(recognizer.signs(inText: "Pain score: 0").isEmpty)
        #expect(recognizer.signs(inText: "pain score 1") == [.pain])
        #expect(recognizer.signs(inText: "pain 2 out of 10") == [.pain])
        #expect(recognizer.signs(inText: "VIP 1").isEmpty)
        #expect(recognizer.signs(inText: "VIP 2") == [.phlebitis])
        #expect(recognizer.signs(inText: "VIP score: 3, site red") == [.phlebitis, .erythema])
        #expect(recognizer.signs(inText: "infiltration grade 0").isEmpty)
        #expect(recognizer.signs(inText: "infiltration grade 2") == [.infiltration])
        #expect(recognizer.signs(inText: "FLACC 0^10, no swelling").isEmpty)
        #expect(recognizer.signs(inText: "FLACC 4") == [.pain])
        #expect(recognizer.signs(inText: "VIP score").isEmpty)
        // A measurement is not a score.
        #expect(recognizer.signs(inText: "Redness 0.5 cm around site") == [.erythema])
        #expect(recognizer.signs(inText: "redness 2x3cm") == [.erythema])
    }
}
