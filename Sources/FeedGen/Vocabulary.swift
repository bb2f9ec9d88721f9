// Static vocabulary of the simulated hospital: names, places, sites, drugs. Every
// value is already HL7-escaped for the standard delimiters `|^~\&`.

/// Age groups drive birth dates, units, catheter sites and drugs.
enum AgeGroup: Int {
    case neonate = 0, infant, child, adult
}

/// What a drug means to extravasd's default catalog.
enum DrugKind: Int, CaseIterable {
    case calciumGluconate = 0, calciumChloride, ringer, pnWithCalcium, pnWithoutCalcium,
        compoundedCalcium, other

    var containsCalcium: Bool {
        switch self {
        case .calciumGluconate, .calciumChloride, .pnWithCalcium, .compoundedCalcium: return true
        default: return false
        }
    }
}

/// A catheter site: its table 0163 code (if any), a coded parent (e.g. the heel's
/// foot), and the free-text spellings nurses use.
struct SiteDef {
    let code: [UInt8]
    let codeText: [UInt8]
    let parentCode: [UInt8]
    let parentText: [UInt8]
    let freeTexts: [[UInt8]]
    let localCode: [UInt8]
    let central: Bool
    let weights: [Int]  // by AgeGroup
}

/// A drug as it appears in a give code, with its components and how it runs.
struct Drug {
    let give: [UInt8]
    let kind: DrugKind
    let amount: [UInt8]
    let units: [UInt8]
    let form: [UInt8]
    let rate: [UInt8]
    let rateUnits: [UInt8]
    let components: [[UInt8]]  // RXC field bodies after "RXC|"
    let continuous: Bool
}

/// A sending application with its HL7 version.
struct Source {
    let app: [UInt8]
    let version: HL7Version
    let weight: Int
}

/// HL7 v2 versions written in MSH-12.
enum HL7Version: Int {
    case v23 = 0, v231, v24, v25, v251, v26, v27, v271, v28

    var text: StaticString {
        switch self {
        case .v23: return "2.3"
        case .v231: return "2.3.1"
        case .v24: return "2.4"
        case .v25: return "2.5"
        case .v251: return "2.5.1"
        case .v26: return "2.6"
        case .v27: return "2.7"
        case .v271: return "2.7.1"
        case .v28: return "2.8"
        }
    }

    var atLeast25: Bool { rawValue >= HL7Version.v25.rawValue }
    var atLeast27: Bool { rawValue >= HL7Version.v27.rawValue }
    var hasStructure: Bool { rawValue >= HL7Version.v231.rawValue }
}

/// A facility: MSH-4, the assigning authority written in CX-4, its units.
struct Facility {
    let name: [UInt8]
    let authority: [UInt8]
    let units: [Unit]
}

/// A nursing unit and how its rooms and beds are numbered.
struct Unit {
    let name: [UInt8]
    let firstRoom: Int
    let rooms: Int
    let beds: [[UInt8]]
    let service: [UInt8]
    let groups: [AgeGroup]
}

@inline(__always)
func u8(_ s: String) -> [UInt8] { Array(s.utf8) }

enum Vocab {
    static let familyNames: [[UInt8]] = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
        "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
        "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
        "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
        "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
        "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "O'Brien", "Kowalski", "Novak",
        "Müller", "Núñez", "Østergaard", "Okafor", "Haddad", "Tanaka", "Kim", "Patel", "Schultz",
        "Van Dyke", "St. Clair", "Delacroix", "MacLeod", "Ivanova", "Björk", "Dubois", "Rossi",
    ].map(u8)

    /// Alternating female (even index) and male (odd index) given names.
    static let givenNames: [[UInt8]] = [
        "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Isabella", "Mason",
        "Mia", "Ethan", "Amelia", "James", "Harper", "Aiden", "Evelyn", "Logan", "Abigail",
        "Jackson", "Emily", "Sebastian", "Ella", "Mateo", "Chloe", "Henry", "Zoe", "Owen", "Nora",
        "Leo", "Aaliyah", "Jayden", "Sofía", "José", "Zoë", "Chen", "Priya", "Mohammed", "Fatima",
        "Kenji", "Grace", "Daniel", "Hannah", "Samuel", "Layla", "Wyatt", "Ruth", "Tomás",
    ].map(u8)

    static let middleInitials: [[UInt8]] = ["A", "B", "C", "D", "E", "J", "K", "L", "M", "R", "S", "T", ""]
        .map(u8)

    static let streets: [[UInt8]] = [
        "Maple St", "Oak Ave", "Cedar Ln", "Elm St", "Pine Rd", "Lakeview Dr", "Hillcrest Ave",
        "Washington Blvd", "Park Ave", "River Rd", "Sunset Blvd", "Mill St", "Church St",
        "Orchard Way", "Birch Ct", "Meadow Ln",
    ].map(u8)

    /// city^state^zip
    static let cities: [[UInt8]] = [
        "Springfield^IL^62701", "Riverton^WY^82501", "Fairview^OR^97024", "Madison^WI^53703",
        "Franklin^TN^37064", "Greenville^SC^29601", "Bristol^CT^06010", "Clinton^IA^52732",
        "Georgetown^TX^78626", "Salem^MA^01970", "Ashland^KY^41101", "Dover^DE^19901",
    ].map(u8)

    static let doctors: [[UInt8]] = [
        "1184920^Okafor^Chidi^^^Dr^MD", "2290417^Lindgren^Astrid^M^^Dr^MD",
        "3311508^Petrov^Alexei^^^Dr^MD", "4407712^Nakamura^Hana^^^Dr^MD",
        "5510093^Delgado^Marisol^R^^Dr^MD", "6623481^Byrne^Siobhan^^^Dr^MD",
        "7734102^Adeyemi^Tunde^^^Dr^MD", "8845236^Fischer^Jonas^K^^Dr^MD",
        "9956370^Chowdhury^Rina^^^Dr^DO", "1067814^Whitfield^Graham^^^Dr^MD",
    ].map(u8)

    static let nurses: [[UInt8]] = [
        "RN20417^Lindqvist^Maja^^^^RN", "RN31842^Okonkwo^Grace^^^^RN",
        "RN42210^Moreau^Camille^^^^RN", "RN53377^Sato^Kenji^^^^RN", "RN64408^Brennan^Aoife^^^^RN",
        "RN75519^Haddad^Lina^^^^RN", "RN86620^Kowalczyk^Piotr^^^^RN", "RN97731^Reyes^Luz^^^^RN",
        "RN10842^Abernathy^Claire^^^^RN", "RN21953^Mensah^Kwame^^^^RN",
        "RN33064^Vasquez^Elena^^^^RN", "RN44175^Park^Jiwoo^^^^RN",
    ].map(u8)

    static let pharmacists: [[UInt8]] = [
        "PH1021^Albright^Nora^^^^PharmD", "PH2032^Esposito^Marco^^^^PharmD",
        "PH3043^Kaur^Simran^^^^PharmD", "PH4054^Holm^Erik^^^^RPh",
    ].map(u8)

    static let facilities: [Facility] = [
        Facility(
            name: u8("CHMC"), authority: u8("CHMC"),
            units: [
                Unit(
                    name: u8("NICU"), firstRoom: 1, rooms: 40, beds: [u8("A"), u8("B")],
                    service: u8("NICU"), groups: [.neonate]),
                Unit(
                    name: u8("PICU"), firstRoom: 1, rooms: 24, beds: [u8("A"), u8("B")],
                    service: u8("PICU"), groups: [.infant, .child]),
                Unit(
                    name: u8("5W"), firstRoom: 501, rooms: 32, beds: [u8("1"), u8("2")],
                    service: u8("PED"), groups: [.infant, .child]),
                Unit(
                    name: u8("6E"), firstRoom: 601, rooms: 30, beds: [u8("1"), u8("2")],
                    service: u8("PED"), groups: [.child]),
            ]),
        Facility(
            name: u8("MAINHOSP"), authority: u8("MAINHOSP"),
            units: [
                Unit(
                    name: u8("MICU"), firstRoom: 1, rooms: 20, beds: [u8("1")],
                    service: u8("MED"), groups: [.adult]),
                Unit(
                    name: u8("SICU"), firstRoom: 1, rooms: 20, beds: [u8("1")],
                    service: u8("SUR"), groups: [.adult]),
                Unit(
                    name: u8("4W"), firstRoom: 401, rooms: 40, beds: [u8("1"), u8("2")],
                    service: u8("MED"), groups: [.adult]),
                Unit(
                    name: u8("7N"), firstRoom: 701, rooms: 40, beds: [u8("1"), u8("2")],
                    service: u8("SUR"), groups: [.adult]),
            ]),
        Facility(
            name: u8("NORTH"), authority: u8("NORTH&2.16.840.1.113883.3.4242&ISO"),
            units: [
                Unit(
                    name: u8("CCU"), firstRoom: 1, rooms: 12, beds: [u8("A")],
                    service: u8("CAR"), groups: [.adult]),
                Unit(
                    name: u8("3S"), firstRoom: 301, rooms: 30, beds: [u8("1"), u8("2")],
                    service: u8("MED"), groups: [.adult]),
            ]),
    ]

    // MARK: Sites

    static let sites: [SiteDef] = buildSites()

    private static func buildSites() -> [SiteDef] {
        var out: [SiteDef] = []
        func lateral(
            _ code: String, _ text: String, parent: String = "", parentText: String = "",
            left: [String], right: [String], local: String, central: Bool = false, _ w: [Int]
        ) {
            for side in 0..<2 {
                let l = side == 0
                out.append(
                    SiteDef(
                        code: code.isEmpty ? [] : u8((l ? "L" : "R") + code),
                        codeText: text.isEmpty ? [] : u8((l ? "Left " : "Right ") + text),
                        parentCode: parent.isEmpty ? [] : u8((l ? "L" : "R") + parent),
                        parentText: parentText.isEmpty ? [] : u8((l ? "Left " : "Right ") + parentText),
                        freeTexts: (l ? left : right).map(u8),
                        localCode: u8((l ? "L" : "R") + local),
                        central: central, weights: w))
            }
        }
        func plain(_ texts: [String], local: String, central: Bool = false, _ w: [Int]) {
            out.append(
                SiteDef(
                    code: [], codeText: [], parentCode: [], parentText: [], freeTexts: texts.map(u8),
                    localCode: u8(local), central: central, weights: w))
        }
        //       neonate infant child adult
        lateral(
            "F", "Foot", left: ["L foot", "left foot", "Lt foot"],
            right: ["R foot", "right foot", "Rt. foot"], local: "FOOT", [10, 10, 4, 1])
        lateral(
            "", "", parent: "F", parentText: "Foot",
            left: ["L heel", "Lt. heel", "heel, left", "LEFT HEEL", "Left heel"],
            right: ["R heel", "Rt heel", "heel, right", "RIGHT HEEL", "right heel"],
            local: "HEEL", [14, 10, 0, 0])
        lateral(
            "", "", parent: "F", parentText: "Foot",
            left: ["dorsum of foot left", "L dorsum of foot"],
            right: ["dorsum of foot right", "R dorsum of foot"], local: "DFOOT", [5, 5, 2, 0])
        lateral(
            "H", "Hand", left: ["L hand", "left hand", "Lt hand"],
            right: ["R hand", "right hand", "Rt hand"], local: "HAND", [8, 10, 12, 10])
        lateral(
            "", "", parent: "H", parentText: "Hand",
            left: ["dorsum of hand left", "L dorsum of hand", "dorsum of hand, left"],
            right: ["dorsum of hand right", "R dorsum of hand", "dorsum of hand, right"],
            local: "DHAND", [8, 8, 6, 2])
        lateral(
            "ACF", "Antecubital Fossa",
            left: ["L AC", "Lt antecubital", "left antecubital fossa", "L antecubital"],
            right: ["R AC", "rt antecubital", "right antecubital fossa", "Rt. antecubital"],
            local: "AC", [2, 6, 12, 16])
        lateral(
            "LFA", "Lower Forearm", left: ["L lower forearm", "left lower forearm"],
            right: ["R lower forearm", "right lower forearm"], local: "LFA", [0, 2, 6, 8])
        lateral(
            "MFA", "Mid Forearm", left: ["L forearm", "left forearm", "L mid forearm"],
            right: ["R forearm", "right forearm", "R mid forearm"], local: "MFA", [0, 2, 8, 12])
        lateral(
            "UFA", "Upper Forearm", left: ["L upper forearm"], right: ["R upper forearm"],
            local: "UFA", [0, 1, 3, 5])
        lateral(
            "UA", "Upper Arm", left: ["L upper arm", "left upper arm"],
            right: ["R upper arm", "right upper arm"], local: "UA", [0, 0, 2, 6])
        lateral(
            "A", "Arm", left: ["L arm", "left arm"], right: ["R arm", "right arm"], local: "ARM",
            [1, 2, 3, 4])
        lateral(
            "", "", parent: "A", parentText: "Arm", left: ["L wrist", "Lt wrist", "left wrist"],
            right: ["R wrist", "Rt wrist", "right wrist"], local: "WRIST", [2, 3, 3, 3])
        lateral(
            "", "", left: ["L ankle", "Lt ankle", "left ankle"],
            right: ["R ankle", "rt ankle", "right ankle"], local: "ANKLE", [3, 4, 2, 1])
        lateral("D", "Deltoid", left: ["L deltoid"], right: ["R deltoid"], local: "DELT", [0, 0, 0, 1])
        lateral(
            "T", "Thigh", left: ["L thigh", "left thigh"], right: ["R thigh", "right thigh"],
            local: "THIGH", [0, 1, 1, 1])
        lateral(
            "EJ", "External Jugular", left: ["L external jugular", "left EJ"],
            right: ["R external jugular", "right EJ"], local: "EJ", central: true, [0, 1, 1, 3])
        lateral(
            "IJ", "Internal Jugular", left: ["L internal jugular", "left IJ"],
            right: ["R internal jugular", "Rt IJ"], local: "IJ", central: true, [0, 1, 2, 6])
        lateral(
            "SC", "Subclavian", left: ["L subclavian", "left subclavian"],
            right: ["R subclavian", "right subclavian"], local: "SC", central: true, [0, 0, 1, 4])
        plain(["scalp", "scalp vein", "SCALP"], local: "SCALP", [8, 4, 0, 0])
        plain(
            ["umbilical", "umbilical (UVC)", "UVC - umbilical"], local: "UMB", central: true,
            [14, 0, 0, 0])
        return out
    }

    /// Site weights per age group (index: AgeGroup.rawValue).
    static let siteWeights: [[Int]] = (0..<4).map { g in sites.map { $0.weights[g] } }

    // MARK: Drugs

    static let drugs: [Drug] = buildDrugs()

    static let drugsByKind: [[Int]] = DrugKind.allCases.map { kind in
        drugs.indices.filter { drugs[$0].kind == kind }
    }

    /// Drug-kind weights by age group, in DrugKind order.
    static let kindWeights: [[Int]] = [
        [12, 2, 2, 20, 8, 6, 50],  // neonate
        [10, 4, 10, 8, 4, 4, 60],  // infant
        [6, 3, 14, 5, 3, 2, 67],  // child
        [5, 4, 18, 3, 2, 1, 67],  // adult
    ]

    private static func buildDrugs() -> [Drug] {
        var out: [Drug] = []
        func add(
            _ give: String, _ kind: DrugKind, _ amount: String, _ units: String,
            form: String = "INJ^Injection^HL70292",
            rate: String = "", rateUnits: String = "", rxc: [String] = [], continuous: Bool
        ) {
            out.append(
                Drug(
                    give: u8(give), kind: kind, amount: u8(amount), units: u8(units), form: u8(form),
                    rate: u8(rate), rateUnits: u8(rateUnits), components: rxc.map(u8), continuous: continuous)
            )
        }
        // Calcium gluconate in the spellings real feeds use.
        add(
            "1736854^Calcium Gluconate 10% inj^RXNORM", .calciumGluconate, "200", "mg^milligram^UCUM",
            continuous: false)
        add("CAGLU100^CALCIUM GLUCONATE 100 MG/ML^L", .calciumGluconate, "500", "mg", continuous: false)
        add("^Ca gluconate", .calciumGluconate, "100", "mg", continuous: false)
        add(
            "63323-360-10^Calcium Gluconate 10% inj 10 mL vial^NDC", .calciumGluconate, "1000", "mg",
            continuous: false)
        add(
            "CAGLU2G^Calcium gluconate 2 g \\T\\ NS 100 mL IVPB^L", .calciumGluconate, "2", "g",
            form: "IVPB^Piggyback^L", continuous: false)
        add(
            "CAGLUINF^calcium gluconate continuous infusion 100 mg/mL^L", .calciumGluconate, "400", "mg/kg/d",
            rate: "0.7", rateUnits: "mL/h", continuous: true)
        // Calcium chloride.
        add("^CaCl2", .calciumChloride, "500", "mg", continuous: false)
        add("CACL10^calcium chloride 10%^L", .calciumChloride, "1", "g", continuous: false)
        add(
            "1795597^Calcium Chloride 100 MG/ML Injectable Solution^RXNORM", .calciumChloride, "20", "mg/kg",
            continuous: false)
        // Ringer's solutions.
        add(
            "^Lactated Ringers", .ringer, "1000", "mL", form: "SOLN^Solution^HL70292", rate: "100",
            rateUnits: "mL/h", continuous: true)
        add(
            "LR1000^LR^L", .ringer, "1000", "mL", form: "SOLN^Solution^HL70292", rate: "125",
            rateUnits: "mL/h",
            continuous: true)
        add(
            "RL^Ringer's lactate 1000 mL^L", .ringer, "1000", "mL", rate: "80", rateUnits: "mL/h",
            continuous: true)
        add("HART^Hartmann's^L", .ringer, "500", "mL", rate: "60", rateUnits: "mL/h", continuous: true)
        add(
            "0338-0117-04^Lactated Ringer's Injection USP 1000 mL^NDC", .ringer, "1000", "mL", rate: "150",
            rateUnits: "mL/h", continuous: true)
        add(
            "D5LR^Dextrose 5% in Lactated Ringers^L", .ringer, "1000", "mL", rate: "40", rateUnits: "mL/h",
            continuous: true)
        // Parenteral nutrition.
        let neoBase = [
            "B|D10W^Dextrose 10% in water^L|100|mL", "A|AA6^Amino acids 6% (TrophAmine)^L|3|g/kg",
        ]
        let neoTail = [
            "A|KPHOS^Potassium phosphate^L|1.5|mmol/kg", "A|NACL^Sodium chloride^L|3|mEq/kg",
            "A|MVIPED^Multivitamin pediatric^L|2|mL", "A|HEP^Heparin^L|0.5|unit/mL",
        ]
        let adultBase = ["B|AA15^Amino acids 15%^L|1000|mL", "B|D70W^Dextrose 70%^L|500|mL"]
        let adultTail = [
            "A|LIPID20^Lipid injectable emulsion 20%^L|250|mL", "A|KCL^Potassium chloride^L|40|mEq",
            "A|MGSO4^Magnesium sulfate^L|8|mEq", "A|MVI^Multivitamin adult^L|10|mL",
        ]
        add(
            "PN^PN^L", .pnWithCalcium, "1", "BAG^bag^L", form: "SOLN^Solution^HL70292", rate: "4.2",
            rateUnits: "mL/h", rxc: neoBase + ["A|CAGLU^Calcium Gluconate^L|2|mEq/kg"] + neoTail,
            continuous: true)
        add(
            "TPN^TPN^L", .pnWithCalcium, "1", "BAG^bag^L", form: "SOLN^Solution^HL70292", rate: "6.5",
            rateUnits: "mL/h",
            rxc: neoBase + ["A|1736854^Calcium Gluconate 10% inj^RXNORM|400|mg/kg"] + neoTail,
            continuous: true)
        add(
            "TPNADULT^Parenteral Nutrition Adult^L", .pnWithCalcium, "1", "BAG^bag^L",
            form: "SOLN^Solution^HL70292", rate: "75", rateUnits: "mL/h",
            rxc: adultBase + ["A|CAGLU^Calcium gluconate^L|10|mEq"] + adultTail, continuous: true)
        add(
            "^TPN Neonatal Standard", .pnWithCalcium, "1", "BAG^bag^L", form: "SOLN^Solution^HL70292",
            rate: "3.8", rateUnits: "mL/h",
            rxc: neoBase + ["A|CAGLU10^Ca gluconate 10%^L|3|mEq/kg"] + neoTail,
            continuous: true)
        add(
            "PNPED^Parenteral Nutrition Pediatric^L", .pnWithCalcium, "1", "BAG^bag^L",
            form: "SOLN^Solution^HL70292", rate: "20", rateUnits: "mL/h",
            rxc: adultBase + ["A|CACL^Calcium chloride^L|5|mEq"] + adultTail, continuous: true)
        add(
            "PN^PN^L", .pnWithoutCalcium, "1", "BAG^bag^L", form: "SOLN^Solution^HL70292", rate: "3.5",
            rateUnits: "mL/h", rxc: neoBase + ["A|HEP^Heparin^L|0.5|unit/mL"], continuous: true)
        add(
            "TPNADULT^Parenteral Nutrition Adult^L", .pnWithoutCalcium, "1", "BAG^bag^L",
            form: "SOLN^Solution^HL70292", rate: "80", rateUnits: "mL/h", rxc: adultBase + adultTail,
            continuous: true)
        add(
            "TPN^TPN^L", .pnWithoutCalcium, "1", "BAG^bag^L", form: "SOLN^Solution^HL70292", rate: "5",
            rateUnits: "mL/h", rxc: neoBase + neoTail, continuous: true)
        // Compounded bags with a calcium additive.
        add(
            "D5W100^D5W 100 mL^L", .compoundedCalcium, "100", "mL", form: "IVPB^Piggyback^L",
            rxc: ["B|D5W^Dextrose 5% in water^L|100|mL", "A|CAGLU1G^Calcium gluconate^L|1|g"],
            continuous: false)
        add(
            "NS50^NS 50 mL^L", .compoundedCalcium, "50", "mL", form: "IVPB^Piggyback^L",
            rxc: ["B|NS^Sodium chloride 0.9%^L|50|mL", "A|CACL^Calcium chloride^L|500|mg"], continuous: false)
        add(
            "^D5W 100 mL compounded", .compoundedCalcium, "100", "mL", form: "IVPB^Piggyback^L",
            rxc: ["B|D5W^Dextrose 5% in water^L|100|mL", "A|CAGLU^Calcium gluconate^L|1000|mg"],
            continuous: false)
        // Drugs of no interest to the default catalog.
        add(
            "11124^Vancomycin 1 g in NS 250 mL IVPB^RXNORM", .other, "15", "mg/kg", form: "IVPB^Piggyback^L",
            continuous: false)
        add(
            "NS1000^Sodium Chloride 0.9% 1000 mL^L", .other, "1000", "mL", rate: "100", rateUnits: "mL/h",
            continuous: true)
        add("^normal saline", .other, "1000", "mL", rate: "20", rateUnits: "mL/h", continuous: true)
        add("NS^NS^L", .other, "500", "mL", rate: "5", rateUnits: "mL/h", continuous: true)
        add("KCL20^Potassium Chloride 20 mEq in 100 mL^L", .other, "20", "mEq", continuous: false)
        add(
            "DOPA^Dopamine 800 mg/250 mL D5W^L", .other, "5", "mcg/kg/min", rate: "3.2", rateUnits: "mL/h",
            continuous: true)
        add("ACYC^Acyclovir 500 mg in NS 100 mL^L", .other, "10", "mg/kg", continuous: false)
        add("CEFAZ^Cefazolin 1 g IVPB^L", .other, "1", "g", continuous: false)
        add("AMPI^Ampicillin 100 mg/mL inj^L", .other, "50", "mg/kg", continuous: false)
        add("GENT^Gentamicin 10 mg/mL inj^L", .other, "4", "mg/kg", continuous: false)
        add(
            "MORPH^Morphine 0.1 mg/mL infusion^L", .other, "0.02", "mg/kg/h", rate: "1.1", rateUnits: "mL/h",
            continuous: true)
        add(
            "HEPNS^Heparin 1 unit/mL in 0.45% NaCl^L", .other, "250", "mL", rate: "0.5", rateUnits: "mL/h",
            continuous: true)
        add(
            "D10W^Dextrose 10% in water^L", .other, "250", "mL", rate: "8", rateUnits: "mL/h",
            continuous: true)
        add("NAHCO3^Sodium Bicarbonate 4.2% inj^L", .other, "1", "mEq/kg", continuous: false)
        add(
            "FENT^Fentanyl 10 mcg/mL infusion^L", .other, "1", "mcg/kg/h", rate: "0.4", rateUnits: "mL/h",
            continuous: true)
        add(
            "PIPTAZ^Piperacillin-Tazobactam 3.375 g IVPB^L", .other, "3.375", "g", form: "IVPB^Piggyback^L",
            continuous: false)
        add(
            "INSR^Insulin regular 1 unit/mL infusion^L", .other, "0.05", "unit/kg/h", rate: "2",
            rateUnits: "mL/h", continuous: true)
        add(
            "LIPID20^Lipid injectable emulsion 20%^L", .other, "3", "g/kg/d", rate: "1.5", rateUnits: "mL/h",
            continuous: true)
        add(
            "MIDAZ^Midazolam 1 mg/mL infusion^L", .other, "0.1", "mg/kg/h", rate: "0.6", rateUnits: "mL/h",
            continuous: true)
        add(
            "D5W100^D5W 100 mL^L", .other, "100", "mL", form: "IVPB^Piggyback^L",
            rxc: ["B|D5W^Dextrose 5% in water^L|100|mL", "A|KCL^Potassium chloride^L|10|mEq"],
            continuous: false)
        return out
    }

    // MARK: Sending applications

    static let adtSources: [Source] = [
        Source(app: u8("REG"), version: .v251, weight: 45), Source(app: u8("PAS"), version: .v23, weight: 25),
        Source(app: u8("ADTX"), version: .v24, weight: 15), Source(app: u8("HIS"), version: .v28, weight: 15),
    ]
    static let nursingSources: [Source] = [
        Source(app: u8("FLOWSHEET"), version: .v27, weight: 30),
        Source(app: u8("NURSDOC"), version: .v251, weight: 35),
        Source(app: u8("FLOWSHEET"), version: .v28, weight: 10),
        Source(app: u8("NURSDOC"), version: .v231, weight: 10),
        Source(app: u8("ICUDOC"), version: .v271, weight: 10),
        Source(app: u8("ICUDOC"), version: .v26, weight: 5),
    ]
    static let labSources: [Source] = [
        Source(app: u8("LIS"), version: .v251, weight: 60),
        Source(app: u8("LAB"), version: .v231, weight: 25),
        Source(app: u8("LIS"), version: .v26, weight: 15),
    ]
    static let vitalsSources: [Source] = [
        Source(app: u8("MONITOR"), version: .v26, weight: 40),
        Source(app: u8("VITALS"), version: .v251, weight: 40),
        Source(app: u8("FLOWSHEET"), version: .v27, weight: 20),
    ]
    static let emarSources: [Source] = [
        Source(app: u8("EMAR"), version: .v251, weight: 60),
        Source(app: u8("EMAR"), version: .v26, weight: 20),
        Source(app: u8("BCMA"), version: .v27, weight: 20),
    ]

    static func weights(_ sources: [Source]) -> [Int] { sources.map(\.weight) }
    static let adtWeights = weights(adtSources)
    static let nursingWeights = weights(nursingSources)
    static let labWeights = weights(labSources)
    static let vitalsWeights = weights(vitalsSources)
    static let emarWeights = weights(emarSources)

    static let receivers: [[UInt8]] = ["IFACE|HUB", "ROUTER|HUB", "EXTRAVASD|IT"].map(u8)
}

/// Pharmacy order message flavours: structure and version.
enum OrderFlavour: Int {
    case rdeO11v251 = 0, rdeO11v27, rdeO11v26, ompO09v26, ompO09v28, ormO01v23, rdeO01v24

    static let weights = [40, 10, 8, 8, 4, 20, 10]

    var version: HL7Version {
        switch self {
        case .rdeO11v251: return .v251
        case .rdeO11v27: return .v27
        case .rdeO11v26: return .v26
        case .ompO09v26: return .v26
        case .ompO09v28: return .v28
        case .ormO01v23: return .v23
        case .rdeO01v24: return .v24
        }
    }

    var app: StaticString {
        switch self {
        case .rdeO11v251, .rdeO11v27: return "RXMGR"
        case .rdeO11v26: return "PHARMNET"
        case .ompO09v26, .ompO09v28: return "CPOE"
        case .ormO01v23, .rdeO01v24: return "PHARM"
        }
    }
}
