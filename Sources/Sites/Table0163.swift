/// HL7 table 0163 (Body Site): every code and the canonical site it stands for.
///
/// Bilateral codes (`BE` ears, `BN` nares, `OU` eyes) map to the part without a side;
/// the nebulized codes (`NB`, `LNB`) to the bare part `nebulized`.
public enum Table0163 {
    /// Every table 0163 code with its canonical site.
    public static let sites: [String: CanonicalSite] = {
        var sites: [String: CanonicalSite] = [:]
        func bare(_ code: String, _ part: String) {
            sites[code] = CanonicalSite(laterality: nil, part: part)
        }
        func sided(_ suffix: String, _ part: String) {
            sites["L" + suffix] = CanonicalSite(laterality: .left, part: part)
            sites["R" + suffix] = CanonicalSite(laterality: .right, part: part)
        }
        sided("A", "arm")
        sided("AC", "anterior-chest")
        sided("ACF", "antecubital-fossa")
        sided("D", "deltoid")
        sided("E", "ear")
        sided("EJ", "external-jugular")
        sided("F", "foot")
        sided("G", "gluteus-medius")
        sided("H", "hand")
        sided("IJ", "internal-jugular")
        sided("LAQ", "lower-abdominal-quadrant")
        sided("LFA", "lower-forearm")
        sided("MFA", "mid-forearm")
        sided("N", "naris")
        sided("PC", "posterior-chest")
        sided("SC", "subclavian")
        sided("T", "thigh")
        sided("UA", "upper-arm")
        sided("UAQ", "upper-abdominal-quadrant")
        sided("UFA", "upper-forearm")
        sided("VG", "ventrogluteal")
        sided("VL", "vastus-lateralis")
        sites["LV"] = CanonicalSite(laterality: .left, part: "vastus-lateralis")
        bare("LNB", "nebulized")
        bare("NB", "nebulized")
        bare("BE", "ear")
        bare("BN", "naris")
        bare("BU", "buttock")
        bare("CT", "chest-tube")
        sites["OD"] = CanonicalSite(laterality: .right, part: "eye")
        sites["OS"] = CanonicalSite(laterality: .left, part: "eye")
        bare("OU", "eye")
        bare("PA", "perianal")
        bare("PERIN", "perineal")
        return sites
    }()

    /// The canonical site of a table 0163 code ("LACF" -> left-antecubital-fossa),
    /// ignoring surrounding whitespace and case; nil when `code` is not one.
    public static func site(code: String) -> CanonicalSite? {
        sites[SiteText.trimmed(code).uppercased()]
    }

    /// Whether a CWE-3 coding system names table 0163: "HL70163", "0163", "HL7-0163"
    /// (case-insensitive; spaces, hyphens and underscores ignored), or a URI ending in
    /// "v2-0163".
    public static func isNamed(byCodingSystem codingSystem: String) -> Bool {
        let upper = SiteText.trimmed(codingSystem).uppercased()
        if upper.hasSuffix("/V2-0163") { return true }
        let compact = String(upper.filter { $0 != "-" && $0 != " " && $0 != "_" })
        return compact == "HL70163" || compact == "0163"
    }
}
