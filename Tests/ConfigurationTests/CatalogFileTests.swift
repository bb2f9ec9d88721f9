import Coding
import Catalog
import Configuration
import Testing

@Suite("Catalog files named by the configuration")
struct CatalogFileTests {
    @Test("relative catalog paths resolve against the configuration file's folder")
    func relativePaths() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "catalogs/local.yaml",
            """
            entries:
              - id: local-calcium
                name: Local calcium bag
                risk: high
                calcium_entry: true
                calcium_salt: true
                codes:
                  - {system: LOCAL, code: "CA-BAG-7"}
            """)
        let absolute = try folder.write(
            "absolute.yaml", "entries:\n  - {id: abs-drug, name: Abs, risk: low, names: [absdrug]}\n")
        let path = try folder.write(
            "etc/extravasd.yaml", "catalogs:\n  - ../catalogs/local.yaml\n  - \(absolute)\n")
        let configuration = try ConfigurationLoader.load(path: path)
        #expect(configuration.catalogPaths == [folder.path + "/etc/../catalogs/local.yaml", absolute])
        let match = configuration.catalog.match(
            giveCode: CodedValue(code: "CA-BAG-7", text: "", system: "local"), components: [])
        #expect(match?.entry.id == "local-calcium")
        #expect(configuration.catalog.entry(id: "abs-drug") != nil)
    }

    @Test("an entry with a bundled id replaces the bundled entry; others are added after the bundled ones")
    func replaceBundled() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "site.yaml",
            """
            entries:
              - id: lactated-ringers
                name: Lactated Ringer's (site policy)
                risk: moderate
                watch_window_hours: 24
                names: [lr, lactated ringers]
              - id: calcium-acetate
                name: Calcium acetate
                risk: high
                calcium_salt: true
                names: [calcium acetate]
            """)
        let path = try folder.write("extravasd.yaml", "catalogs: [site.yaml]\nwatch:\n  window_hours: 48\n")
        let catalog = try ConfigurationLoader.load(path: path).catalog
        let ids = catalog.entries.map(\.id)
        #expect(ids.filter { $0 == "lactated-ringers" }.count == 1)
        #expect(ids.last == "calcium-acetate")
        let lr = catalog.entry(id: "lactated-ringers")
        #expect(lr?.risk == .moderate)
        #expect(lr?.watchWindowHours == 24)
        #expect(lr?.namePatterns == ["lr", "lactated ringers"])
        #expect(catalog.entry(id: "calcium-gluconate")?.watchWindowHours == 48)
        #expect(
            catalog.match(giveCode: CodedValue(code: "", text: "Hartmann's", system: ""), components: [])
                == nil)
    }

    @Test("a broken catalog entry is reported with the catalog file's name, line and column")
    func brokenEntry() throws {
        let folder = try TemporaryFolder()
        let catalogPath = try folder.write(
            "broken.yaml",
            """
            # a pharmacist's catalog
            entries:
              - name: No id here
                risk: high
                names: [no id]
              - id: bad-risk
                name: Bad risk
                risk: severe
                names: [bad risk]
              - id: bad-pattern
                name: Bad pattern
                risk: low
                names: ["calcium (gluconate|chloride)"]
              - id: typo-key
                name: Typo key
                risk: low
                nmaes: [typo]
            """)
        let path = try folder.write(
            "extravasd.yaml", "feeds:\n  files: []\ncatalogs: [broken.yaml]\nphi: secret\n")
        let found = issues(path: path)
        #expect(
            found.map(\.description) == [
                "\(path):4:6: error: 'phi' must be one of identifiers, pseudonymized, minimal, not 'secret'",
                "\(catalogPath):3:5: error: catalog entry is missing 'id'",
                "\(catalogPath):8:11: error: unknown risk 'severe' in entry 'bad-risk'; use high, moderate or low",
                "\(catalogPath):13:13: error: bad name pattern 'calcium (gluconate|chloride)': the character '|' is not allowed; patterns are words with '*' wildcards, not regular expressions in entry 'bad-pattern'",
                "\(catalogPath):17:5: error: unknown key 'nmaes' in 'entries'; did you mean 'names'?",
            ])
        #expect(found.map(\.code) == [.invalidValue, .missingKey, .invalidValue, .badPattern, .unknownKey])
    }

    @Test("more broken entries: a duplicate id, a bad id, no codes nor names, a bad code, a wrong type")
    func moreBroken() throws {
        let folder = try TemporaryFolder()
        let catalogPath = try folder.write(
            "more.yaml",
            """
            entries:
              - {id: same, name: One, risk: low, names: [one]}
              - {id: same, name: Two, risk: low, names: [two]}
              - {id: Bad_ID, name: Bad, risk: low, names: [bad]}
              - {id: nothing, name: Nothing, risk: low}
              - {id: coded, name: Coded, risk: low, codes: [{system: RXNORM}]}
              - {id: windowed, name: Windowed, risk: low, names: [w], watch_window_hours: "72"}
              - just text
            """)
        let path = try folder.write("extravasd.yaml", "catalogs: [more.yaml]\n")
        let found = issues(path: path)
        #expect(found.allSatisfy { $0.file == catalogPath })
        #expect(found.map(\.line) == [3, 4, 5, 6, 7, 8])
        #expect(
            found.map(\.code) == [
                .duplicateID, .invalidValue, .missingKey, .missingKey, .wrongType, .wrongType,
            ])
        #expect(found.first?.reason == "duplicate entry id 'same' (first at line 2)")
    }

    @Test("requires_component must name calcium-salt or an entry of the merged catalog")
    func requirement() throws {
        let folder = try TemporaryFolder()
        let catalogPath = try folder.write(
            "pn.yaml",
            """
            entries:
              - id: neonatal-pn
                name: Neonatal PN
                risk: high
                calcium_entry: true
                names: [neonatal pn]
                requires_component: [calcium-gluconate, calcium-citrate]
            """)
        let path = try folder.write("extravasd.yaml", "catalogs: [pn.yaml]\n")
        let found = issues(path: path)
        #expect(
            found.map(\.description) == [
                "\(catalogPath):7:45: error: entry 'neonatal-pn' requires component 'calcium-citrate', which is neither 'calcium-salt' nor an entry id of the catalog"
            ])
    }

    @Test("a catalog file that cannot be read is reported in the configuration file at its name")
    func unreadableCatalog() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("extravasd.yaml", "catalogs:\n  - missing.yaml\n")
        let found = issues(path: path)
        #expect(
            found.map(\.description) == [
                "\(path):2:5: error: cannot read catalog file '\(folder.path)/missing.yaml': No such file or directory"
            ])
    }

    @Test("a catalog file with a YAML syntax error is reported in that file")
    func catalogSyntax() throws {
        let folder = try TemporaryFolder()
        let catalogPath = try folder.write("bad.yaml", "entries:\n  - id: x\n    name: [unclosed\n")
        let path = try folder.write("extravasd.yaml", "catalogs: [bad.yaml]\n")
        let found = issues(path: path)
        #expect(found.count == 1)
        #expect(found.first?.file == catalogPath)
        #expect(found.first?.code == .syntax)
        #expect((found.first?.line ?? 0) >= 3)
    }

    @Test("default_catalogs false drops the bundled catalogs")
    func noDefaults() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "only.yaml", "entries:\n  - {id: only-drug, name: Only, risk: high, names: [only drug]}\n")
        let path = try folder.write("extravasd.yaml", "default_catalogs: false\ncatalogs: [only.yaml]\n")
        let configuration = try ConfigurationLoader.load(path: path)
        #expect(configuration.defaultCatalogs == false)
        #expect(configuration.catalog.entries.map(\.id) == ["only-drug"])
        #expect(
            configuration.catalog.match(
                giveCode: CodedValue(code: "", text: "Calcium gluconate", system: ""), components: []) == nil)
    }

    @Test("default_catalogs false with no catalog file would watch nothing: an error")
    func emptyCatalog() {
        let found = issues(yaml: "feeds:\n  files: []\ndefault_catalogs: false\n", path: "c.yaml")
        #expect(found.map(\.code) == [.conflict])
        #expect(found.first?.line == 3)
    }

    @Test("vesicant_catalog true adds the vesicant entries after the calcium ones")
    func vesicants() throws {
        let configuration = try load("vesicant_catalog: true\n")
        let ids = configuration.catalog.entries.map(\.id)
        #expect(ids.prefix(7) == ConfigurationLoader.builtInDefaults().catalog.entries.map(\.id)[...])
        for id in [
            "norepinephrine", "epinephrine", "dopamine", "vasopressin", "phenylephrine", "potassium-chloride",
            "dextrose-concentrated", "sodium-bicarbonate", "contrast-media", "phenytoin", "acyclovir",
            "vancomycin",
        ] {
            #expect(ids.contains(id), "missing \(id)")
        }
        #expect(configuration.catalog.entries.filter { !$0.calciumEntry }.count >= 12)
        #expect(try load("feeds:\n  files: []\n").catalog.entry(id: "norepinephrine") == nil)
    }

    @Test("vesicant_catalog true with default_catalogs false is a contradiction")
    func vesicantsWithoutDefaults() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "only.yaml", "entries:\n  - {id: only-drug, name: Only, risk: high, names: [only drug]}\n")
        let path = try folder.write(
            "extravasd.yaml", "default_catalogs: false\nvesicant_catalog: true\ncatalogs: [only.yaml]\n")
        let found = issues(path: path)
        #expect(found.map(\.code) == [.conflict])
        #expect(found.first?.line == 2)
        #expect(found.first?.column == 1)
    }
}

@Suite("The shape of a catalog file")
struct CatalogFileShapeTests {
    /// The issues of a configuration naming one catalog file with `text`.
    func catalogIssues(_ text: String) throws -> [ConfigurationIssue] {
        let folder = try TemporaryFolder()
        try folder.write("c.yaml", text)
        return issues(path: try folder.write("extravasd.yaml", "catalogs: [c.yaml]\n"))
    }

    @Test("a misspelt 'entries' is one unknown key with a suggestion")
    func misspeltEntries() throws {
        let found = try catalogIssues("entrys:\n  - {id: a, name: A, risk: low, names: [a]}\n")
        #expect(found.map(\.reason) == ["unknown key 'entrys'; did you mean 'entries'?"])
    }

    @Test("entry keys written without 'entries' say where they belong")
    func forgottenEntries() throws {
        let found = try catalogIssues("id: a\n")
        #expect(found.first?.reason == "unknown key 'id'; it belongs under 'entries'")
    }

    @Test("an empty catalog file needs 'entries'; an empty list is allowed")
    func empty() throws {
        #expect(try catalogIssues("# nothing\n").map(\.reason) == ["a catalog file needs an 'entries:' list"])
        let folder = try TemporaryFolder()
        try folder.write("c.yaml", "entries: []\n")
        let configuration = try ConfigurationLoader.load(
            path: try folder.write("x.yaml", "catalogs: [c.yaml]\n"))
        #expect(
            configuration.catalog.entries.count == ConfigurationLoader.builtInDefaults().catalog.entries.count
        )
    }
}
