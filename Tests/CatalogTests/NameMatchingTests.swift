import Coding
import Catalog
import Testing

@Suite("Catalog names are caught in the forms real feeds use")
struct NameMatchingTests {
    let catalog = CatalogFixtures.catalog

    @Test(
        "calcium salts match by name, whatever the case and strength",
        arguments: [
            ("Calcium Gluconate 10% inj", "calcium-gluconate"),
            ("CALCIUM GLUCONATE 100 MG/ML", "calcium-gluconate"),
            ("Ca gluconate", "calcium-gluconate"),
            ("calcium gluconate", "calcium-gluconate"),
            ("Ca-gluconate 1 g", "calcium-gluconate"),
            ("CaCl2", "calcium-chloride"),
            ("calcium chloride 10%", "calcium-chloride"),
            ("Calcium Chloride", "calcium-chloride"),
            ("calcium gluceptate", "calcium-gluceptate"),
            ("calcium lactate", "calcium-lactate"),
        ])
    func calciumSalts(_ text: String, _ id: String) {
        #expect(catalog.matchedID(text) == id)
        #expect(catalog.match(giveCode: named(text), components: [])?.via == .giveCode)
    }

    @Test(
        "Ringer's solutions match under every spelling",
        arguments: [
            ("Lactated Ringers", "lactated-ringers"),
            ("Lactated Ringer's", "lactated-ringers"),
            ("Lactated Ringer\u{2019}s 1000 mL", "lactated-ringers"),
            ("LR", "lactated-ringers"),
            ("LR 1000 mL bolus", "lactated-ringers"),
            ("Ringer's lactate", "lactated-ringers"),
            ("Ringers Lactate", "lactated-ringers"),
            ("Hartmann's", "lactated-ringers"),
            ("Hartmanns solution", "lactated-ringers"),
            ("Ringer's solution", "ringers-solution"),
            ("Ringers injection", "ringers-solution"),
        ])
    func ringers(_ text: String, _ id: String) {
        #expect(catalog.matchedID(text) == id)
    }

    @Test(
        "names that only look alike never match",
        arguments: [
            "Calcitriol", "Calcitriol 1 mcg/mL inj", "calcium carbonate tab", "Springer solution",
            "Ringerfundin", "BLR", "LRX 5 mg", "PNEUMOVAX 23", "PNA vaccine", "ATPN", "TPNX", "calcium",
            "Sodium chloride 0.9%", "D5W", "",
        ])
    func lookAlikes(_ text: String) {
        #expect(catalog.matchedID(text) == nil)
    }

    @Test("a give code without text is matched by its code's words")
    func codeAsText() {
        #expect(
            catalog.match(giveCode: CodedValue(code: "CaCl2", text: "", system: "LOCAL"), components: [])?
                .entry.id
                == "calcium-chloride")
    }
}
