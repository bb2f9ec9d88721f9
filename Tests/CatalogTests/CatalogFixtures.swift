import Coding
import Catalog

/// A catalog shaped like the bundled calcium catalog, built in code so that the
/// Catalog module's tests do not depend on the configuration loader.
enum CatalogFixtures {
    static let calciumChloride = CatalogEntry(
        id: "calcium-chloride", displayName: "Calcium chloride", risk: .high, calciumEntry: true,
        isCalciumSalt: true, codes: [CodeRef(system: "LOCAL", code: "CACL")],
        namePatterns: ["calcium chloride", "ca chloride", "cacl2", "cacl"])
    static let calciumGluconate = CatalogEntry(
        id: "calcium-gluconate", displayName: "Calcium gluconate", risk: .high, calciumEntry: true,
        isCalciumSalt: true, codes: [CodeRef(system: "RXNORM", code: "999001")],
        namePatterns: ["calcium gluconate", "ca gluconate", "ca gluc"])
    static let calciumGluceptate = CatalogEntry(
        id: "calcium-gluceptate", displayName: "Calcium gluceptate", risk: .high, calciumEntry: true,
        isCalciumSalt: true, namePatterns: ["calcium gluceptate"])
    static let calciumLactate = CatalogEntry(
        id: "calcium-lactate", displayName: "Calcium lactate", risk: .high, calciumEntry: true,
        isCalciumSalt: true, namePatterns: ["calcium lactate"])
    static let parenteralNutrition = CatalogEntry(
        id: "parenteral-nutrition", displayName: "Parenteral nutrition with calcium", risk: .moderate,
        calciumEntry: true, namePatterns: ["pn", "tpn", "ppn", "parenteral nutrition"],
        requiresComponentOf: [CatalogEntry.calciumSaltRequirement])
    static let lactatedRingers = CatalogEntry(
        id: "lactated-ringers", displayName: "Lactated Ringer's", risk: .low,
        namePatterns: [
            "lactated ringer", "lactated ringers", "ringer lactate", "ringers lactate", "lr", "hartmann",
            "hartmanns",
        ])
    static let ringersSolution = CatalogEntry(
        id: "ringers-solution", displayName: "Ringer's solution", risk: .low,
        namePatterns: ["ringer", "ringers"])

    static let catalog = DrugCatalog(entries: [
        calciumChloride, calciumGluconate, calciumGluceptate, calciumLactate, parenteralNutrition,
        lactatedRingers, ringersSolution,
    ])
}

/// A give code with text only.
func named(_ text: String) -> CodedValue { CodedValue(code: "", text: text, system: "") }

extension DrugCatalog {
    /// The id of the entry matched by a give code's text alone, without components.
    func matchedID(_ text: String) -> String? {
        match(giveCode: named(text), components: [])?.entry.id
    }
}
