import Catalog
import Testing

@Suite("Name pattern syntax")
struct NamePatternTests {
    @Test("names are cut into lower-case words; apostrophes vanish, % stands alone, decimals stay whole")
    func words() {
        #expect(NamePattern.words(in: "Lactated Ringer's") == ["lactated", "ringers"])
        #expect(
            NamePattern.words(in: "CALCIUM GLUCONATE 100 MG/ML") == [
                "calcium", "gluconate", "100", "mg", "ml",
            ])
        #expect(NamePattern.words(in: "Dextrose 12.5% in water") == ["dextrose", "12.5", "%", "in", "water"])
        #expect(NamePattern.words(in: "Ca. gluconate") == ["ca", "gluconate"])
        #expect(NamePattern.words(in: "D5W+CaCl2") == ["d5w", "cacl2"])
    }

    @Test("words match whole words and in order")
    func wholeWords() throws {
        let lr = try NamePattern("lr")
        #expect(lr.matches("LR 1000 mL"))
        #expect(lr.matches("D5 / LR"))
        #expect(!lr.matches("BLR"))
        #expect(!lr.matches("LRX"))
        let gluconate = try NamePattern("calcium gluconate")
        #expect(gluconate.matches("Inj calcium gluconate 10%"))
        #expect(!gluconate.matches("gluconate calcium"))
        #expect(!gluconate.matches("calcium 1 g gluconate"))
    }

    @Test("a percent sign is a word, so 10% never matches 100%")
    func percent() throws {
        let pattern = try NamePattern("dextrose 10%")
        #expect(pattern.matches("Dextrose 10% in water"))
        #expect(pattern.matches("DEXTROSE 10 %"))
        #expect(!pattern.matches("dextrose 100%"))
        #expect(!pattern.matches("dextrose 10 mg"))
    }

    @Test("* matches the rest of one word, never across words")
    func wildcard() throws {
        let ringer = try NamePattern("ringer*")
        #expect(ringer.matches("Ringer"))
        #expect(ringer.matches("Ringer's"))
        #expect(!ringer.matches("Springer"))
        let middle = try NamePattern("d1*w")
        #expect(middle.matches("D10W"))
        #expect(middle.matches("D12.5W"))
        #expect(!middle.matches("D10 W"))
        let leading = try NamePattern("*cillin")
        #expect(leading.matches("Nafcillin 2 g"))
    }

    @Test(
        "patterns written as regular expressions, empty or bare wildcards are rejected",
        arguments: [
            ("calcium (gluconate|chloride)", NamePatternError.Code.forbiddenCharacter),
            ("^LR$", .forbiddenCharacter),
            ("calci[a-z]+", .forbiddenCharacter),
            ("ringer\\b", .forbiddenCharacter),
            ("", .emptyPattern),
            ("  - / ", .emptyPattern),
            ("calcium *", .bareWildcard),
            ("**", .bareWildcard),
        ])
    func rejected(_ source: String, _ code: NamePatternError.Code) {
        #expect {
            _ = try NamePattern(source)
        } throws: { error in
            (error as? NamePatternError)?.code == code
        }
    }
}
