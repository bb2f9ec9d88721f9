import Coding
import Catalog
import Testing

@Suite("Catalog codes")
struct CodeMatchingTests {
    let catalog = CatalogFixtures.catalog

    @Test("a code matches exactly, with the system compared ignoring case")
    func systemIgnoringCase() {
        for system in ["RXNORM", "RxNorm", "rxnorm"] {
            let match = catalog.match(
                giveCode: CodedValue(code: "999001", text: "IV push", system: system), components: [])
            #expect(match?.entry.id == "calcium-gluconate")
            #expect(match?.via == .giveCode)
        }
    }

    @Test("an empty system in the message matches any configured system")
    func emptySystem() {
        #expect(
            catalog.match(giveCode: CodedValue(code: "CACL", text: "", system: ""), components: [])?.entry.id
                == "calcium-chloride")
    }

    @Test("another system, or a code differing in case or digits, does not match")
    func mismatches() {
        #expect(
            catalog.match(giveCode: CodedValue(code: "999001", text: "x", system: "NDC"), components: [])
                == nil)
        #expect(
            catalog.match(giveCode: CodedValue(code: "cacl", text: "x", system: "LOCAL"), components: [])
                == nil)
        #expect(
            catalog.match(giveCode: CodedValue(code: "0999001", text: "x", system: "RXNORM"), components: [])
                == nil)
    }

    @Test("CodeRef.matches never matches an empty code")
    func emptyCode() {
        #expect(!CodeRef(system: "LOCAL", code: "").matches(code: "", system: "LOCAL"))
    }

    @Test("an entry matched by code wins over one matched only by name")
    func codeBeatsName() {
        let byCode = CatalogEntry(
            id: "by-code", displayName: "By code", risk: .low, codes: [CodeRef(system: "LOCAL", code: "7")])
        let byName = CatalogEntry(
            id: "by-name", displayName: "By name", risk: .high, namePatterns: ["calcium gluconate"])
        let catalog = DrugCatalog(entries: [byName, byCode])
        #expect(
            catalog.match(
                giveCode: CodedValue(code: "7", text: "calcium gluconate", system: "LOCAL"), components: [])?
                .entry.id == "by-code")
    }
}
