import Signs
import Testing

/// Sign words match case-insensitively as whole words, with an optional plural s/es;
/// multi-word phrases match across spaces and hyphens.
@Suite("Whole-word matching")
struct WordMatchingTests {
    let recognizer = SignRecognizer()

    @Test func everyDefaultWordNamesItsKind() {
        let words: [(String, SignKind)] = [
            ("erythema", .erythema), ("redness", .erythema), ("red", .erythema), ("erythematous", .erythema),
            ("swelling", .swelling), ("swollen", .swelling), ("edema", .swelling), ("oedema", .swelling),
            ("edematous", .swelling), ("puffy", .swelling),
            ("pain", .pain), ("painful", .pain), ("tender", .pain), ("tenderness", .pain),
            ("pain score", .pain),
            ("blanching", .blanching), ("blanched", .blanching), ("pale", .blanching),
            ("cool", .coolness), ("cold", .coolness),
            ("leaking", .leaking), ("leakage", .leaking), ("wet dressing", .leaking),
            ("induration", .induration), ("indurated", .induration), ("hard", .induration),
            ("firm", .induration),
            ("blister", .blistering),
            ("necrosis", .necrosis), ("necrotic", .necrosis), ("black", .necrosis),
        ]
        for (word, kind) in words {
            #expect(recognizer.signs(inText: "site \(word)") == [kind], "\(word)")
            #expect(recognizer.signs(inText: word.uppercased()) == [kind], "\(word)")
            #expect(recognizer.signs(inText: "no \(word)").isEmpty, "\(word)")
        }
    }

    @Test func pluralsMatch() {
        #expect(recognizer.signs(inText: "blisters at site") == [.blistering])
        #expect(recognizer.signs(inText: "two BLISTERS") == [.blistering])
        #expect(recognizer.signs(inText: "wet dressings") == [.leaking])
        #expect(recognizer.signs(inText: "edemas") == [.swelling])
        #expect(recognizer.signs(inText: "skin blanches") == [.blanching])
    }

    @Test func partsOfOtherWordsDoNotMatch() {
        #expect(recognizer.signs(inText: "swelling reduced").contains(.erythema) == false)
        #expect(recognizer.signs(inText: "reduced flow").isEmpty)
        #expect(recognizer.signs(inText: "redness") == [.erythema])
        #expect(recognizer.signs(inText: "hardware removed").isEmpty)
        #expect(recognizer.signs(inText: "flushes without resistance; dressing clean").isEmpty)
        #expect(recognizer.signs(inText: "painless").isEmpty)
        #expect(recognizer.signs(inText: "coolant").isEmpty)
        #expect(recognizer.signs(inText: "Fred at bedside").isEmpty)
        #expect(recognizer.signs(inText: "firmly secured").isEmpty)
        #expect(recognizer.signs(inText: "blackboard").isEmpty)
        #expect(recognizer.signs(inText: "Flushed 1 mL NS").isEmpty)
    }

    @Test func negationWordsTakeNoPlural() {
        #expect(recognizer.signs(inText: "nos red") == [.erythema])
    }

    @Test func punctuationAndNumbersSplitWords() {
        #expect(recognizer.signs(inText: "red/swollen") == [.erythema, .swelling])
        #expect(recognizer.signs(inText: "(red)") == [.erythema])
        #expect(recognizer.signs(inText: "site:red") == [.erythema])
        #expect(recognizer.signs(inText: "22G PIV, site RED") == [.erythema])
        #expect(
            recognizer.signs(inText: "Edematous and erythematous around site & tender") == [
                .swelling, .erythema, .pain,
            ])
        #expect(recognizer.signs(inText: "L heel PIV site: red") == [.erythema])
        #expect(recognizer.signs(inText: "rougeur, érythème, red") == [.erythema])
        #expect(recognizer.signs(inText: "no\u{00A0}redness").isEmpty)
    }

    @Test func phrasesThatAreNotSigns() {
        #expect(recognizer.signs(inText: "hard to flush").isEmpty)
        #expect(recognizer.signs(inText: "Hard stick x3, IV team consulted").isEmpty)
        #expect(recognizer.signs(inText: "cold compress applied").isEmpty)
        #expect(
            recognizer.signs(inText: "Catheter removed, site red, warm compress declined per protocol") == [
                .erythema
            ])
        #expect(recognizer.signs(inText: "firm pressure applied").isEmpty)
        #expect(recognizer.signs(inText: "packed red blood cells infusing").isEmpty)
        #expect(recognizer.signs(inText: "red reflex present bilaterally").isEmpty)
        #expect(recognizer.signs(inText: "urine pale yellow").isEmpty)
        #expect(recognizer.signs(inText: "flushed with normal saline").isEmpty)
        #expect(!OBX.read("TX", "NOTE^IV note^L", "flushed with normal saline").mentionsNormal)
    }

    @Test func theGeneratorSevereTextsAreSigns() {
        #expect(
            recognizer.signs(inText: "Site swollen, firm and cool. Infusion stopped, IV team notified.") == [
                .swelling, .induration, .coolness,
            ])
        #expect(
            recognizer.signs(inText: "blister noted at insertion site, skin blanched") == [
                .blistering, .blanching,
            ])
        #expect(
            recognizer.signs(inText: "indurated area 3 cm, pale and cold") == [
                .induration, .blanching, .coolness,
            ])
        #expect(recognizer.signs(inText: "Skin dusky with necrotic area at site") == [.necrosis])
        #expect(
            recognizer.signs(inText: "Site puffy and red, pt crying with flush") == [.swelling, .erythema])
        #expect(recognizer.signs(inText: "Pt grimaces on flush, site painful") == [.pain])
        #expect(recognizer.signs(inText: "IV removed due to redness and swelling") == [.erythema, .swelling])
        #expect(recognizer.signs(inText: "PIV pulled for infiltration, limb elevated") == [.infiltration])
    }

    @Test func theGeneratorNormalTextsAreNotSigns() {
        let texts = [
            "Site clean, dry and intact. No redness or swelling.",
            "no redness, denies pain, without swelling or edema",
            "Negative for erythema. Flushes without resistance.",
            "CDI, no erythema, no edema, no tenderness",
            "Dressing clean & dry; no swelling",
            "Site WNL.\nNo redness, no swelling, no pain.",
            "Flushed & patent, good blood return. No infiltration.",
            "Site without redness or swelling",
            "Pt denies pain at site. No leakage.",
            "Transparent dressing intact\r\nNo redness noted",
            "IV team note | site ok, no redness",
            "See protocol IV\\PIV-04. No erythema.",
            "FLACC 0^10, no swelling",
            "Site assessed q1h\nNo signs of infiltration or phlebitis",
            "no erythema or edema noted. Pt sleeping comfortably",
            "Infusing well, site intact, negative for erythema",
            "Dressing changed.\nNo redness or swelling.",
            "Site checked with parent at bedside\nno redness, no swelling",
            "Flushed 1 mL NS\nsite intact, no edema",
            "Old PIV site healing, no redness",
            "former IV site: no swelling, no drainage",
            "Previous site clean and dry",
            "Old IV site healed, skin intact",
            "former PIV site: no redness, no swelling",
            "PIV removed, catheter intact, pressure applied.",
            "Line removed per protocol & site cleaned",
            "Catheter discontinued, gauze applied",
        ]
        for text in texts {
            let reading = OBX.read("TX", "IVSITE^IV site appearance^L", text)
            #expect(reading.signs.isEmpty, "\(text)")
            #expect(!reading.calcinosisFinding, "\(text)")
        }
    }
}
