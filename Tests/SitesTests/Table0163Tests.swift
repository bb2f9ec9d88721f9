import Sites
import Testing

/// Every HL7 table 0163 (Body Site) code maps by code.
@Suite("Table 0163 codes")
struct Table0163Tests {
    static let normalizer = SiteNormalizer()

    /// The whole table: code -> canonical site name.
    static let table: [(code: String, site: String)] = [
        ("BE", "ear"), ("BN", "naris"), ("BU", "buttock"), ("CT", "chest-tube"),
        ("LA", "left-arm"), ("LAC", "left-anterior-chest"),
        ("LACF", "left-antecubital-fossa"), ("LD", "left-deltoid"), ("LE", "left-ear"),
        ("LEJ", "left-external-jugular"), ("LF", "left-foot"),
        ("LG", "left-gluteus-medius"), ("LH", "left-hand"),
        ("LIJ", "left-internal-jugular"), ("LLAQ", "left-lower-abdominal-quadrant"),
        ("LLFA", "left-lower-forearm"), ("LMFA", "left-mid-forearm"), ("LN", "left-naris"),
        ("LNB", "nebulized"), ("LPC", "left-posterior-chest"), ("LSC", "left-subclavian"),
        ("LT", "left-thigh"), ("LUA", "left-upper-arm"),
        ("LUAQ", "left-upper-abdominal-quadrant"), ("LUFA", "left-upper-forearm"),
        ("LV", "left-vastus-lateralis"), ("LVG", "left-ventrogluteal"),
        ("LVL", "left-vastus-lateralis"), ("NB", "nebulized"), ("OD", "right-eye"),
        ("OS", "left-eye"), ("OU", "eye"), ("PA", "perianal"), ("PERIN", "perineal"),
        ("RA", "right-arm"), ("RAC", "right-anterior-chest"),
        ("RACF", "right-antecubital-fossa"), ("RD", "right-deltoid"), ("RE", "right-ear"),
        ("REJ", "right-external-jugular"), ("RF", "right-foot"),
        ("RG", "right-gluteus-medius"), ("RH", "right-hand"),
        ("RIJ", "right-internal-jugular"), ("RLAQ", "right-lower-abdominal-quadrant"),
        ("RLFA", "right-lower-forearm"), ("RMFA", "right-mid-forearm"),
        ("RN", "right-naris"), ("RPC", "right-posterior-chest"),
        ("RSC", "right-subclavian"), ("RT", "right-thigh"), ("RUA", "right-upper-arm"),
        ("RUAQ", "right-upper-abdominal-quadrant"), ("RUFA", "right-upper-forearm"),
        ("RVG", "right-ventrogluteal"), ("RVL", "right-vastus-lateralis"),
    ]

    @Test("every table 0163 code maps by code", arguments: table)
    func everyCodeMapsByCode(code: String, site: String) {
        #expect(Self.normalizer.site(table0163Code: code)?.name == site)
        #expect(Table0163.site(code: code)?.name == site)
        #expect(Self.normalizer.site(code: code, text: nil, codingSystem: "HL70163")?.name == site)
        #expect(Self.normalizer.site(code: code, text: nil, codingSystem: nil)?.name == site)
    }

    @Test func theTableHasExactlyTheseCodes() {
        #expect(Table0163.sites.count == Self.table.count)
        #expect(Set(Table0163.sites.keys) == Set(Self.table.map(\.code)))
    }

    @Test func everyCodeMapsToAKnownPart() {
        for (code, site) in Table0163.sites {
            #expect(Anatomy.isKnown(site.part), "\(code) -> \(site)")
        }
    }

    @Test func codesIgnoreCaseAndSurroundingSpace() {
        #expect(Self.normalizer.site(table0163Code: "lacf")?.name == "left-antecubital-fossa")
        #expect(Self.normalizer.site(table0163Code: " RH ")?.name == "right-hand")
    }

    @Test func textIsNotACode() {
        #expect(Self.normalizer.site(table0163Code: "") == nil)
        #expect(Self.normalizer.site(table0163Code: "HEEL") == nil)
        #expect(Self.normalizer.site(table0163Code: "left heel") == nil)
        #expect(Self.normalizer.site(table0163Code: "LHEEL") == nil)
        #expect(Self.normalizer.site(table0163Code: "RV") == nil)
    }

    @Test(
        "coding systems that name table 0163",
        arguments: [
            "HL70163", "hl70163", "0163", "HL7-0163", "hl7-0163", " HL70163 ",
            "http://terminology.hl7.org/CodeSystem/v2-0163",
        ])
    func codingSystemsNamingTable0163(system: String) {
        #expect(Table0163.isNamed(byCodingSystem: system))
    }

    @Test(
        "coding systems that do not name table 0163",
        arguments: ["", "99SITE", "HL70550", "SCT", "L", "HL70163X", "01630"])
    func codingSystemsNotNamingTable0163(system: String) {
        #expect(!Table0163.isNamed(byCodingSystem: system))
    }
}
