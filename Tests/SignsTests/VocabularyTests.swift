import Coding
import Signs
import Testing

/// The vocabulary is configurable: sign words, calcinosis words, negations (and
/// trailing negations and exclusions) can be added.
@Suite("Vocabulary additions")
struct VocabularyTests {
    @Test func addedSignWordsNameTheirKind() {
        let vocabulary = SignVocabulary.standard.adding(signWords: [
            "inflamed": .erythema, "weeping": .leaking, "skin sloughing": .necrosis,
        ])
        let recognizer = SignRecognizer(vocabulary: vocabulary)
        #expect(recognizer.signs(inText: "site inflamed") == [.erythema])
        #expect(recognizer.signs(inText: "Weeping at insertion site") == [.leaking])
        #expect(recognizer.signs(inText: "skin sloughing noted") == [.necrosis])
        #expect(recognizer.signs(inText: "skin-sloughing") == [.necrosis])
        #expect(recognizer.signs(inText: "not inflamed").isEmpty)
        #expect(recognizer.signs(inText: "inflamedness").isEmpty)
        #expect(recognizer.read(OBX.make("CWE", "^Inflamed site", "Y")).signs == [.erythema])
        // The standard vocabulary is unchanged.
        #expect(SignRecognizer().signs(inText: "site inflamed").isEmpty)
    }

    @Test func anAddedWordTakesItsNewMeaning() {
        let recognizer = SignRecognizer(vocabulary: .standard.adding(signWords: ["black": .blanching]))
        #expect(recognizer.signs(inText: "black") == [.blanching])
    }

    @Test func addedSignWordsContinueLists() {
        let recognizer = SignRecognizer(vocabulary: .standard.adding(signWords: ["inflamed": .erythema]))
        #expect(recognizer.signs(inText: "no swelling, inflamed").isEmpty)
    }

    @Test func addedNegationsGovernTheWordsAfterThem() {
        let recognizer = SignRecognizer(
            vocabulary: .standard.adding(negations: ["nil", "no evidence of", "NAD"]))
        #expect(recognizer.signs(inText: "nil swelling").isEmpty)
        #expect(recognizer.signs(inText: "No evidence of redness or swelling").isEmpty)
        #expect(recognizer.signs(inText: "nil swelling. Red") == [.erythema])
    }

    @Test func addedTrailingNegationsGovernTheWordsBeforeThem() {
        let recognizer = SignRecognizer(vocabulary: .standard.adding(trailingNegations: ["settled"]))
        #expect(recognizer.signs(inText: "swelling settled").isEmpty)
        #expect(SignRecognizer().signs(inText: "swelling settled") == [.swelling])
    }

    @Test func addedExclusionsAreSkipped() {
        let recognizer = SignRecognizer(vocabulary: .standard.adding(exclusions: ["cold chain"]))
        #expect(recognizer.signs(inText: "cold chain maintained").isEmpty)
        #expect(SignRecognizer().signs(inText: "cold chain maintained") == [.coolness])
    }

    @Test func phrasesWithoutWordsAreIgnored() {
        let recognizer = SignRecognizer(vocabulary: .standard.adding(signWords: ["": .pain, " - ": .pain]))
        #expect(recognizer.signs(inText: "site ok - checked").isEmpty)
    }

    @Test func identifiersNameSignsThroughTheVocabulary() {
        let recognizer = SignRecognizer()
        #expect(
            recognizer.signs(named: CodedValue(code: "VIP", text: "VIP score", system: "L")) == [
                .phlebitis
            ])
        #expect(
            recognizer.signs(
                named: CodedValue(code: "PAINSCORE", text: "Pain score (0-10)", system: "L"))
                == [.pain])
        #expect(
            recognizer.signs(
                named: CodedValue(code: "IVSITE", text: "IV site appearance", system: "L")
            )
            .isEmpty)
        #expect(recognizer.signs(inText: "Erythema at IV site") == [.erythema])
    }
}
