import Coding
import Catalog
import Configuration
import Foundation
import Testing

@Suite("The bundled catalogs")
struct BundledCatalogTests {
    @Test("the bundled catalogs load without a single issue, and cover both files")
    func valid() throws {
        let configuration = try load("vesicant_catalog: true\n")
        #expect(configuration.catalog.entries.count >= 20)
        let ids = configuration.catalog.entries.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test("the calcium catalog's entries have the documented risks and flags")
    func calciumEntries() throws {
        let catalog = ConfigurationLoader.builtInDefaults().catalog
        for id in ["calcium-chloride", "calcium-gluconate", "calcium-gluceptate", "calcium-lactate"] {
            let entry = try #require(catalog.entry(id: id))
            #expect(entry.risk == .high)
            #expect(entry.calciumEntry && entry.isCalciumSalt)
        }
        let pn = try #require(catalog.entry(id: "parenteral-nutrition"))
        #expect(pn.risk == .moderate)
        #expect(pn.calciumEntry && !pn.isCalciumSalt)
        #expect(pn.requiresComponentOf == ["calcium-salt"])
        for id in ["lactated-ringers", "ringers-solution"] {
            let entry = try #require(catalog.entry(id: id))
            #expect(entry.risk == .low)
            #expect(!entry.calciumEntry && !entry.isCalciumSalt)
        }
    }
}

@Suite("The bundled calcium catalog catches the names real feeds use")
struct BundledCalciumMatchingTests {
    let catalog = ConfigurationLoader.builtInDefaults().catalog

    func id(_ text: String, components: [String] = []) -> String? {
        catalog.match(
            giveCode: CodedValue(code: "", text: text, system: ""),
            components: components.map { CodedValue(code: "", text: $0, system: "") })?.entry.id
    }

    @Test(
        "every spelling of DESIGN.md matches its entry",
        arguments: [
            ("Calcium Gluconate 10% inj", "calcium-gluconate"),
            ("CALCIUM GLUCONATE 100 MG/ML", "calcium-gluconate"),
            ("Ca gluconate", "calcium-gluconate"),
            ("calcium gluconate", "calcium-gluconate"),
            ("CaCl2", "calcium-chloride"),
            ("calcium chloride 10%", "calcium-chloride"),
            ("Calcium Chloride", "calcium-chloride"),
            ("calcium gluceptate", "calcium-gluceptate"),
            ("calcium lactate", "calcium-lactate"),
            ("Lactated Ringers", "lactated-ringers"),
            ("Lactated Ringer's", "lactated-ringers"),
            ("LR", "lactated-ringers"),
            ("Ringer's lactate", "lactated-ringers"),
            ("Ringers Lactate", "lactated-ringers"),
            ("Hartmann's", "lactated-ringers"),
            ("Hartmanns solution", "lactated-ringers"),
            ("Ringer's solution", "ringers-solution"),
            ("Ringers injection", "ringers-solution"),
        ])
    func spellings(_ text: String, _ expected: String) {
        #expect(id(text) == expected)
    }

    @Test(
        "PN spellings match only with a calcium salt among the components",
        arguments: ["PN", "TPN", "Parenteral Nutrition Adult", "parenteral nutrition"])
    func parenteralNutrition(_ text: String) {
        #expect(id(text, components: ["Amino acids 10%", "Calcium gluconate 10%"]) == "parenteral-nutrition")
        #expect(id(text, components: ["Amino acids 10%", "Sodium chloride"]) == nil)
        #expect(id(text) == nil)
    }

    @Test(
        "look-alikes never match",
        arguments: [
            "Calcitriol", "calcium carbonate tab", "Springer", "BLR", "LRX", "PNEUMOVAX", "PNA", "STPN",
            "TPNA",
            "D5W",
        ])
    func lookAlikes(_ text: String) {
        #expect(id(text) == nil)
        // With no entry matched by the give code, a calcium salt component still counts.
        #expect(id(text, components: ["calcium gluconate"]) == "calcium-gluconate")
    }

    @Test("a compounded bag matches the salt among its components; the give code wins over components")
    func compounded() {
        let match = catalog.match(
            giveCode: CodedValue(code: "", text: "D5W 100 mL", system: ""),
            components: [CodedValue(code: "", text: "calcium gluconate 1 g", system: "")])
        #expect(match?.entry.id == "calcium-gluconate")
        #expect(match?.via == .component)
        #expect(id("Lactated Ringer's", components: ["calcium chloride"]) == "lactated-ringers")
    }
}

@Suite("The bundled vesicant catalog")
struct BundledVesicantMatchingTests {
    let catalog = try! ConfigurationLoader.load(yaml: "vesicant_catalog: true\n", path: "v.yaml").catalog

    @Test(
        "common vesicant names match",
        arguments: [
            ("Norepinephrine 4 mg/250 mL", "norepinephrine"), ("Levophed", "norepinephrine"),
            ("EPINEPHrine infusion", "epinephrine"), ("dopamine", "dopamine"),
            ("Vasopressin 20 units", "vasopressin"),
            ("Phenylephrine", "phenylephrine"), ("Potassium Chloride 2 mEq/mL", "potassium-chloride"),
            ("D10W", "dextrose-concentrated"), ("dextrose 10%", "dextrose-concentrated"),
            ("D50", "dextrose-concentrated"),
            ("Dextrose 50% syringe", "dextrose-concentrated"), ("D25", "dextrose-concentrated"),
            ("Sodium Bicarbonate 8.4%", "sodium-bicarbonate"), ("Iohexol 300", "contrast-media"),
            ("iopamidol", "contrast-media"), ("Iodixanol", "contrast-media"),
            ("IV contrast", "contrast-media"),
            ("Phenytoin 50 mg/mL", "phenytoin"), ("Acyclovir 500 mg", "acyclovir"),
            ("Vancomycin 1 g", "vancomycin"),
        ])
    func names(_ text: String, _ expected: String) {
        #expect(
            catalog.match(giveCode: CodedValue(code: "", text: text, system: ""), components: [])?.entry.id
                == expected)
    }

    @Test(
        "dilute dextrose and look-alikes do not match",
        arguments: ["D5W", "dextrose 5%", "D5NS", "Dextrose 100 mg"])
    func notConcentrated(_ text: String) {
        #expect(catalog.match(giveCode: CodedValue(code: "", text: text, system: ""), components: []) == nil)
    }

    @Test("RxNorm ingredient codes match regardless of the system's case")
    func rxnorm() {
        #expect(
            catalog.match(giveCode: CodedValue(code: "7512", text: "", system: "RxNorm"), components: [])?
                .entry.id
                == "norepinephrine")
    }
}
