import Sites
import Testing

/// A coded site (CWE) maps by table 0163 when CWE-3 names it, or CWE-3 is empty and
/// the code is a table 0163 code; otherwise CWE-2 (else CWE-1) is read as free text.
@Suite("Coded sites")
struct CodedSiteTests {
    let normalizer = SiteNormalizer()

    @Test func cwe3HL70163MapsByCode() {
        #expect(
            normalizer.site(code: "LACF", text: "Left Antecubital Fossa", codingSystem: "HL70163")?.name
                == "left-antecubital-fossa")
        #expect(
            normalizer.site(code: "RF", text: "Right Foot", codingSystem: "HL70163")?.name == "right-foot")
    }

    @Test func cwe3HL70163AcceptsOtherSpellingsAndCase() {
        #expect(normalizer.site(code: "LF", text: nil, codingSystem: "0163")?.name == "left-foot")
        #expect(normalizer.site(code: "LF", text: nil, codingSystem: "hl7-0163")?.name == "left-foot")
        #expect(normalizer.site(code: "lf", text: nil, codingSystem: "HL70163")?.name == "left-foot")
    }

    @Test func theCodeWinsOverTheText() {
        // The code is authoritative; the text's heel is inside that foot anyway.
        #expect(normalizer.site(code: "LF", text: "left heel", codingSystem: "HL70163")?.name == "left-foot")
        #expect(normalizer.site(code: "LF", text: "left heel", codingSystem: "")?.name == "left-foot")
    }

    @Test func anUnknownCodeUnderTable0163FallsBackToTheText() {
        #expect(
            normalizer.site(code: "LHEEL", text: "Left heel", codingSystem: "HL70163")?.name == "left-heel")
        #expect(normalizer.site(code: "ZZ", text: nil, codingSystem: "HL70163") == nil)
    }

    @Test func emptyCWE3WithATable0163CodeMapsByCode() {
        #expect(normalizer.site(code: "LACF", text: nil, codingSystem: nil)?.name == "left-antecubital-fossa")
        #expect(normalizer.site(code: "RLFA", text: "", codingSystem: "")?.name == "right-lower-forearm")
        #expect(normalizer.site(code: " LH ", text: nil, codingSystem: "  ")?.name == "left-hand")
    }

    @Test func emptyCWE3WithoutATable0163CodeReadsTheText() {
        #expect(normalizer.site(code: "HEELL", text: "L heel", codingSystem: nil)?.name == "left-heel")
        #expect(
            normalizer.site(code: nil, text: "R AC", codingSystem: nil)?.name == "right-antecubital-fossa")
    }

    @Test func emptyCWE3NeedsTheCodeAsTheTableWritesIt() {
        // "Rt" is a side word, not RT (right thigh), when nothing says it is a code.
        #expect(normalizer.site(code: "Rt", text: nil, codingSystem: nil) == nil)
        #expect(normalizer.site(code: "RT", text: nil, codingSystem: nil)?.name == "right-thigh")
    }

    @Test func anotherCodingSystemUsesCWE2Text() {
        // FeedGen's local codes: LAC is the left antecubital fossa locally, but left
        // anterior chest in table 0163; the text decides.
        #expect(
            normalizer.site(code: "LAC", text: "L AC", codingSystem: "99SITE")?.name
                == "left-antecubital-fossa")
        #expect(
            normalizer.site(code: "LHEEL", text: "heel, left", codingSystem: "99SITE")?.name == "left-heel")
        #expect(
            normalizer.site(code: "LA", text: "right wrist", codingSystem: "99LOCAL")?.name == "right-wrist")
        #expect(
            normalizer.site(code: "LAC", text: "L AC", codingSystem: "HL70163")?.name == "left-anterior-chest"
        )
    }

    @Test func cwe1OnlyTextIsReadAsFreeText() {
        #expect(normalizer.site(code: "L heel", text: nil, codingSystem: nil)?.name == "left-heel")
        #expect(normalizer.site(code: "scalp vein", text: "", codingSystem: "")?.name == "scalp")
        #expect(
            normalizer.site(code: "left dorsum of hand", text: nil, codingSystem: "99SITE")?.name
                == "left-dorsum-of-hand")
    }

    @Test func cwe1IsTriedWhenCWE2NamesNoSite() {
        #expect(
            normalizer.site(code: "R heel", text: "see notes", codingSystem: "99SITE")?.name == "right-heel")
    }

    @Test func nothingKnownIsNil() {
        #expect(normalizer.site(code: nil, text: nil, codingSystem: nil) == nil)
        #expect(normalizer.site(code: "", text: "", codingSystem: "HL70163") == nil)
        #expect(normalizer.site(code: "LFOOT", text: nil, codingSystem: "99SITE") == nil)
        #expect(normalizer.site(code: "X1", text: "site not documented", codingSystem: "99SITE") == nil)
    }
}
