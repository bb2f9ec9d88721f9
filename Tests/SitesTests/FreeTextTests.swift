import Sites
import Testing

/// Free text: the first known part or synonym, with a side word just before or after.
@Suite("Free-text sites")
struct FreeTextTests {
    static let normalizer = SiteNormalizer()

    static func name(_ text: String) -> String? {
        normalizer.site(freeText: text)?.name
    }

    @Test(
        "the heel forms of the design are all left-heel",
        arguments: [
            "L heel", "Lt. heel", "Lt heel", "heel, left", "LEFT HEEL", "Left heel", "left heel",
            "l heel", "HEEL LEFT", "heel (left)", "heel - Lt.",
        ])
    func leftHeelForms(text: String) {
        #expect(Self.name(text) == "left-heel")
    }

    @Test(
        "right heel forms",
        arguments: ["R heel", "Rt heel", "Rt. heel", "heel, right", "RIGHT HEEL", "right heel", "heel rt"])
    func rightHeelForms(text: String) {
        #expect(Self.name(text) == "right-heel")
    }

    @Test(
        "antecubital forms are the antecubital fossa",
        arguments: [
            ("R AC", "right-antecubital-fossa"), ("rt antecubital", "right-antecubital-fossa"),
            ("right antecubital fossa", "right-antecubital-fossa"),
            ("Rt. antecubital", "right-antecubital-fossa"),
            ("L AC", "left-antecubital-fossa"), ("Lt antecubital", "left-antecubital-fossa"),
            ("left antecubital fossa", "left-antecubital-fossa"), ("L antecubital", "left-antecubital-fossa"),
            ("L ACF", "left-antecubital-fossa"), ("left cubital fossa", "left-antecubital-fossa"),
            ("ACF", "antecubital-fossa"), ("ac", "antecubital-fossa"),
        ])
    func antecubitalForms(text: String, site: String) {
        #expect(Self.name(text) == site)
    }

    @Test(
        "known parts and their synonyms",
        arguments: [
            ("scalp", "scalp"), ("scalp vein", "scalp"), ("SCALP", "scalp"),
            ("L wrist", "left-wrist"), ("right ankle", "right-ankle"), ("Lt ankle", "left-ankle"),
            ("dorsum of hand left", "left-dorsum-of-hand"), ("dorsum of hand, right", "right-dorsum-of-hand"),
            ("L dorsum of hand", "left-dorsum-of-hand"), ("back of hand", "dorsum-of-hand"),
            ("back of the hand, R", "right-dorsum-of-hand"), ("dorsal hand", "dorsum-of-hand"),
            ("dorsum of foot left", "left-dorsum-of-foot"), ("R dorsum of foot", "right-dorsum-of-foot"),
            ("top of foot", "dorsum-of-foot"),
            ("umbilical", "umbilical"), ("umbilicus", "umbilical"), ("UVC", "umbilical"),
            ("UAC", "umbilical"),
            ("umbilical (UVC)", "umbilical"), ("UVC - umbilical", "umbilical"),
            ("L hand", "left-hand"), ("Rt hand", "right-hand"), ("left foot", "left-foot"),
            ("Rt. foot", "right-foot"),
            ("L forearm", "left-forearm"), ("left forearm", "left-forearm"),
            ("L upper forearm", "left-upper-forearm"), ("R mid forearm", "right-mid-forearm"),
            ("right lower forearm", "right-lower-forearm"), ("L mid-forearm", "left-mid-forearm"),
            ("L upper arm", "left-upper-arm"), ("R arm", "right-arm"), ("left arm", "left-arm"),
            ("L thigh", "left-thigh"), ("right lower leg", "right-lower-leg"), ("left leg", "left-leg"),
            ("L deltoid", "left-deltoid"),
            ("L external jugular", "left-external-jugular"), ("left EJ", "left-external-jugular"),
            ("R internal jugular", "right-internal-jugular"), ("Rt IJ", "right-internal-jugular"),
            ("L subclavian", "left-subclavian"), ("right femoral", "right-femoral"),
            ("L saphenous", "left-ankle"), ("great saphenous, right", "right-ankle"),
        ])
    func knownParts(text: String, site: String) {
        #expect(Self.name(text) == site)
    }

    @Test func everyPartIsKnownByItsOwnWords() {
        for part in Anatomy.parts {
            let words = part.split(separator: "-").joined(separator: " ")
            #expect(Self.name(words) == part)
            #expect(Self.name("left " + words) == "left-" + part)
            #expect(Self.name(words.uppercased() + ", right") == "right-" + part)
        }
    }

    @Test func aPartWithoutASideIsBare() {
        #expect(
            Self.normalizer.site(freeText: "heel")
                == CanonicalSite(laterality: nil, part: "heel"))
        #expect(Self.name("IV site: heel, red") == "heel")
    }

    // MARK: Side word just before or after

    @Test func theSideWordMayComeBeforeThePart() {
        #expect(Self.name("L heel PIV site: red") == "left-heel")
        #expect(Self.name("IV site L heel") == "left-heel")
        #expect(Self.name("PIV R hand 24G") == "right-hand")
    }

    @Test func theSideWordMayComeAfterThePart() {
        #expect(Self.name("heel, left") == "left-heel")
        #expect(Self.name("IV site heel L: swollen") == "left-heel")
        #expect(Self.name("dorsum of hand left") == "left-dorsum-of-hand")
    }

    @Test func aSideWordNotNextToThePartDoesNotCount() {
        #expect(Self.name("left IV site heel") == "heel")
        #expect(Self.name("heel site left") == "heel")
        #expect(Self.name("Right-sided PIV in hand") == "hand")
    }

    @Test func theSideWordBeforeWinsOverTheOneAfter() {
        #expect(Self.name("L heel R") == "left-heel")
    }

    @Test func aSideWordAfterThatOpensAnotherPartIsNotTaken() {
        #expect(Self.name("hand, left foot") == "hand")
        #expect(Self.name("heel R hand") == "heel")
    }

    @Test func aClauseBreakStopsTheSideWord() {
        #expect(Self.name("heel; left arm restraint") == "heel")
        #expect(Self.name("L; heel") == "heel")
        #expect(Self.name("heel\nL") == "heel")
    }

    // MARK: Whole-word side words

    @Test func sideWordsAreWholeWords() {
        #expect(Self.name("PLT heel") == "heel", "L inside PLT is no side")
        #expect(Self.name("leftover heel") == "heel", "leftover is not left")
        #expect(Self.name("heel leftover") == "heel")
        #expect(Self.name("bright heel") == "heel", "right inside bright is no side")
        #expect(Self.name("heel RTC") == "heel")
        #expect(Self.name("LT2 heel") == "heel")
        #expect(Self.name("Lheel") == nil)
    }

    @Test func leftIsOneSideWordNotAnL() {
        // "LEFT" is left as a whole word; its L is never read on its own.
        #expect(Self.name("LEFT HAND") == "left-hand")
        #expect(Self.name("RIGHT HAND") == "right-hand")
    }

    @Test func partsAreWholeWords() {
        #expect(Self.name("heelstick done") == nil)
        #expect(Self.name("L armboard") == nil)
        #expect(Self.name("forearm") == "forearm", "arm inside forearm is not arm")
        #expect(Self.name("PACU") == nil, "AC inside PACU is not the antecubital fossa")
    }

    // MARK: First part wins; longer phrases win at one position

    @Test func theFirstPartInTheTextWins() {
        #expect(Self.name("L heel, R hand") == "left-heel")
        #expect(Self.name("R hand, L heel") == "right-hand")
        #expect(Self.name("site moved from L AC to R hand") == "left-antecubital-fossa")
    }

    @Test func longerPhrasesWinAtTheSamePosition() {
        #expect(Self.name("dorsum of hand L") == "left-dorsum-of-hand")
        #expect(Self.name("lower forearm, right") == "right-lower-forearm")
        #expect(Self.name("antecubital fossa") == "antecubital-fossa")
        #expect(Self.name("R upper arm") == "right-upper-arm")
        #expect(Self.name("lower leg") == "lower-leg")
    }

    @Test func aPhraseDoesNotReachAcrossAClauseBreak() {
        #expect(Self.name("dorsum of; hand") == "hand")
    }

    @Test func textWithoutAPartIsNil() {
        #expect(Self.name("") == nil)
        #expect(Self.name("   ") == nil)
        #expect(Self.name("left") == nil)
        #expect(Self.name("IV site assessment") == nil)
        #expect(Self.name("L R Lt Rt") == nil)
    }
}
