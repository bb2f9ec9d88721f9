import Coding
import Catalog
import Testing

@Suite("Parenteral nutrition and compounded bags (RXC components)")
struct ComponentMatchingTests {
    let catalog = CatalogFixtures.catalog

    @Test(
        "PN matches when a calcium salt is among its components",
        arguments: ["PN", "TPN", "Parenteral Nutrition Adult", "parenteral nutrition", "TPN-Adult 2-in-1"])
    func pnWithCalcium(_ text: String) {
        let match = catalog.match(
            giveCode: named(text),
            components: [
                named("Amino acids 10%"), named("Calcium Gluconate 10%"), named("Potassium phosphate"),
            ])
        #expect(match?.entry.id == "parenteral-nutrition")
        #expect(match?.via == .giveCode)
        #expect(match?.entry.risk == .moderate)
        #expect(match?.entry.calciumEntry == true)
    }

    @Test("PN matches when its calcium component is coded")
    func pnWithCodedCalcium() {
        let match = catalog.match(
            giveCode: named("TPN"), components: [CodedValue(code: "999001", text: "", system: "RXNORM")])
        #expect(match?.entry.id == "parenteral-nutrition")
    }

    @Test(
        "PN without a calcium component matches nothing",
        arguments: ["PN", "TPN", "Parenteral Nutrition Adult"])
    func pnWithoutCalcium(_ text: String) {
        #expect(catalog.match(giveCode: named(text), components: []) == nil)
        #expect(
            catalog.match(
                giveCode: named(text),
                components: [named("Amino acids 10%"), named("Dextrose 70%"), named("Calcitriol")]) == nil)
    }

    @Test("a compounded bag matches the calcium salt among its components")
    func compoundedBag() {
        let match = catalog.match(
            giveCode: named("D5W 100 mL"), components: [named("D5W 100 mL"), named("calcium gluconate 1 g")])
        #expect(match?.entry.id == "calcium-gluconate")
        #expect(match?.via == .component)
    }

    @Test("the give code wins over salts found among the components")
    func giveCodeWins() {
        let match = catalog.match(
            giveCode: named("Lactated Ringer's 1000 mL"), components: [named("Calcium chloride 10%")])
        #expect(match?.entry.id == "lactated-ringers")
        #expect(match?.via == .giveCode)

        let salt = catalog.match(giveCode: named("Calcium gluconate 2 g"), components: [named("CaCl2")])
        #expect(salt?.entry.id == "calcium-gluconate")
        #expect(salt?.via == .giveCode)
    }

    @Test("components that are not calcium salts never make an order match")
    func nonSaltComponents() {
        #expect(catalog.match(giveCode: named("NS 100 mL"), components: [named("LR"), named("PN")]) == nil)
    }

    @Test("among several salts in the components, the highest risk, then the first listed, wins")
    func severalSalts() {
        let low = CatalogEntry(
            id: "weak-salt", displayName: "Weak salt", risk: .low, isCalciumSalt: true,
            namePatterns: ["weak salt"])
        let catalog = DrugCatalog(entries: [low] + CatalogFixtures.catalog.entries)
        let match = catalog.match(
            giveCode: named("NS"), components: [named("weak salt"), named("calcium lactate")])
        #expect(match?.entry.id == "calcium-lactate")
        #expect(match?.via == .component)
    }

    @Test("a requirement may name an entry id instead of any calcium salt")
    func requirementByID() {
        let special = CatalogEntry(
            id: "special-pn", displayName: "Special PN", risk: .high, namePatterns: ["special pn"],
            requiresComponentOf: ["calcium-chloride"])
        let catalog = DrugCatalog(entries: CatalogFixtures.catalog.entries + [special])
        #expect(
            catalog.match(giveCode: named("special PN"), components: [named("CaCl2")])?.entry.id
                == "special-pn")
        #expect(
            catalog.match(giveCode: named("special PN"), components: [named("calcium gluconate")])?.entry.id
                == "parenteral-nutrition")
    }
}
