import Catalog
import Testing

@Suite("Catalog structure")
struct CatalogStructureTests {
    @Test("risk tiers are ordered low < moderate < high")
    func riskOrder() {
        #expect(RiskTier.low < .moderate)
        #expect(RiskTier.moderate < .high)
        #expect(RiskTier.allCases.max() == .high)
    }

    @Test("when several entries match the give code, the highest risk wins, ties go to the first listed")
    func highestRisk() {
        let kcl = CatalogEntry(
            id: "potassium-chloride", displayName: "KCl", risk: .high, namePatterns: ["kcl"])
        let catalog = DrugCatalog(entries: CatalogFixtures.catalog.entries + [kcl])
        #expect(catalog.matchedID("KCl 20 mEq in Lactated Ringer's") == "potassium-chloride")
        #expect(catalog.matchedID("Ringer's lactate") == "lactated-ringers")
    }

    @Test("merging replaces an entry with the same id in place and appends the others")
    func merging() {
        var replacement = CatalogFixtures.calciumGluconate
        replacement.watchWindowHours = 96
        let extra = CatalogEntry(id: "extra", displayName: "Extra", risk: .low, namePatterns: ["extra"])
        let merged = CatalogFixtures.catalog.merging([replacement, extra])
        #expect(merged.entries.map(\.id) == CatalogFixtures.catalog.entries.map(\.id) + ["extra"])
        #expect(merged.entry(id: "calcium-gluconate")?.watchWindowHours == 96)
        #expect(merged.matchedID("extra") == "extra")
    }

    @Test("entries assigned to a catalog are matched with their new patterns")
    func reassignment() {
        var catalog = CatalogFixtures.catalog
        #expect(catalog.matchedID("calcium acetate") == nil)
        catalog.entries.append(
            CatalogEntry(
                id: "calcium-acetate", displayName: "Calcium acetate", risk: .high,
                namePatterns: ["calcium acetate"]))
        #expect(catalog.matchedID("calcium acetate") == "calcium-acetate")
    }

    @Test("an entry defaults to a 72-hour watch window")
    func defaults() {
        let entry = CatalogEntry(id: "x", displayName: "X", risk: .low)
        #expect(entry.watchWindowHours == 72)
        #expect(!entry.calciumEntry && !entry.isCalciumSalt && entry.requiresComponentOf == nil)
    }
}
