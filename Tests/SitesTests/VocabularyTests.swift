import Sites
import Testing

/// Synonyms are configurable: added by vocabulary, checked against the known parts.
@Suite("Site vocabulary")
struct VocabularyTests {
    @Test func standardSynonymsAndAbbreviations() {
        let vocabulary = SiteVocabulary.standard
        #expect(vocabulary.part(forPhrase: "AC") == "antecubital-fossa")
        #expect(vocabulary.part(forPhrase: "acf") == "antecubital-fossa")
        #expect(vocabulary.part(forPhrase: "Antecubital") == "antecubital-fossa")
        #expect(vocabulary.part(forPhrase: "cubital fossa") == "antecubital-fossa")
        #expect(vocabulary.part(forPhrase: "UVC") == "umbilical")
        #expect(vocabulary.part(forPhrase: "uac") == "umbilical")
        #expect(vocabulary.part(forPhrase: "umbilicus") == "umbilical")
        #expect(vocabulary.part(forPhrase: "EJ") == "external-jugular")
        #expect(vocabulary.part(forPhrase: "IJ") == "internal-jugular")
        #expect(vocabulary.part(forPhrase: "back of hand") == "dorsum-of-hand")
        #expect(vocabulary.part(forPhrase: "Dorsum-of-hand") == "dorsum-of-hand")
        #expect(vocabulary.part(forPhrase: "PIV") == nil)
        #expect(vocabulary.part(forPhrase: "SC") == nil, "SC is subcutaneous in nursing text")
    }

    @Test func knownPartsAreTheAnatomy() {
        let parts = SiteVocabulary.standard.knownParts
        #expect(parts == Anatomy.parts)
        #expect(Set(parts).count == parts.count)
        for part in [
            "scalp", "wrist", "ankle", "heel", "dorsum-of-hand", "dorsum-of-foot", "umbilical", "hand",
            "foot", "forearm", "upper-forearm", "mid-forearm", "lower-forearm", "upper-arm", "arm", "thigh",
            "lower-leg", "leg", "antecubital-fossa", "deltoid", "external-jugular", "internal-jugular",
            "subclavian", "femoral",
        ] {
            #expect(parts.contains(part), "\(part)")
        }
    }

    @Test func addedSynonymsAreUsedInFreeText() throws {
        let vocabulary = try SiteVocabulary.standard.adding(synonyms: [
            "calcaneus": "heel",
            "Elbow Crease": "antecubital-fossa",
            "PIV hand": "dorsum-of-hand",
            "FA": "Lower Forearm",
        ])
        let normalizer = SiteNormalizer(vocabulary: vocabulary)
        #expect(normalizer.site(freeText: "L calcaneus")?.name == "left-heel")
        #expect(normalizer.site(freeText: "elbow crease, right")?.name == "right-antecubital-fossa")
        #expect(normalizer.site(freeText: "R piv hand")?.name == "right-dorsum-of-hand")
        #expect(normalizer.site(freeText: "Lt FA")?.name == "left-lower-forearm")
        #expect(
            normalizer.site(code: "X", text: "calcaneus, left", codingSystem: "99SITE")?.name == "left-heel")
        #expect(vocabulary.part(forPhrase: "CALCANEUS") == "heel")
    }

    @Test func addedSynonymsLeaveTheStandardVocabularyAlone() throws {
        _ = try SiteVocabulary.standard.adding(synonyms: ["calcaneus": "heel"])
        #expect(SiteVocabulary.standard.part(forPhrase: "calcaneus") == nil)
        #expect(SiteNormalizer().site(freeText: "L calcaneus") == nil)
    }

    @Test func anAddedSynonymRemapsAKnownPhrase() throws {
        let vocabulary = try SiteVocabulary.standard.adding(synonyms: ["AC": "arm"])
        #expect(SiteNormalizer(vocabulary: vocabulary).site(freeText: "R AC")?.name == "right-arm")
        #expect(
            SiteNormalizer(vocabulary: vocabulary).site(freeText: "R ACF")?.name == "right-antecubital-fossa")
    }

    @Test func anUnknownPartIsAnErrorNamingIt() {
        #expect(throws: SiteVocabularyError.unknownPart(phrase: "elbow", part: "elbow-joint")) {
            try SiteVocabulary.standard.adding(synonyms: ["elbow": "elbow-joint"])
        }
        do {
            _ = try SiteVocabulary.standard.adding(synonyms: ["calcaneus": "heel", "knee": "knee"])
            Issue.record("an unknown part must throw")
        } catch {
            #expect(error == .unknownPart(phrase: "knee", part: "knee"))
            #expect(error.description.contains("\"knee\""))
        }
    }

    @Test func aSideIsNotAPart() {
        #expect(throws: SiteVocabularyError.unknownPart(phrase: "LH", part: "left-hand")) {
            try SiteVocabulary.standard.adding(synonyms: ["LH": "left-hand"])
        }
    }

    @Test func aPhraseWithoutWordsIsAnError() {
        #expect(throws: SiteVocabularyError.emptyPhrase(part: "heel")) {
            try SiteVocabulary.standard.adding(synonyms: [" - ": "heel"])
        }
    }
}
