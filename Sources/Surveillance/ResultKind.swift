import ClinicalEvents
import HL7

/// What kind of result an ORU observation belongs to (DESIGN.md, "Signs"): only
/// nursing observations are read for acute signs; a lab result is read for risk
/// factors only, an imaging result for calcinosis findings only ("pale yellow" urine,
/// "black" stool, "soft tissue swelling" on an X-ray raise nothing).
enum ResultKind: Sendable, Equatable {
    /// A nursing observation: everything that is neither a lab nor an imaging result
    /// (flowsheet rows, LDA rows, LOINC-coded nursing rows such as a pain score).
    case nursing
    /// A laboratory result: OBR-24 names a laboratory section, or OBX-3 is a configured
    /// lab code or a LOINC code whose text names a specimen.
    case lab
    /// An imaging result: OBR-24 names radiology, or OBR-4 is an imaging procedure.
    case imaging

    /// The laboratory sections of HL7 table 0074 (Diagnostic Service Section ID), with
    /// `UR`, the urinalysis code some systems send for `URN`.
    static let labSections: Set<String> = [
        "BG", "BLB", "CG", "CH", "CP", "GE", "HM", "IMM", "LAB", "MB", "MCB", "MYC", "OSL", "PAR", "PAT",
        "SP",
        "SR", "TX", "UR", "URN", "VR",
    ]

    /// The radiology sections of table 0074 (`RAD`, `CT`, `NMR`, `RX`, `RUS`, `VUS`,
    /// `OUS`, `CUS`, `NMS`, `IMG`, `XRC`), and `US`, `MR`, `XRAY` as systems send them.
    static let imagingSections: Set<String> = [
        "RAD", "CT", "US", "MR", "MRI", "NMR", "XRAY", "RX", "RUS", "VUS", "OUS", "CUS", "NMS", "IMG", "XRC",
    ]

    /// The kind OBR-24 (diagnostic service section) names, nil for any other section
    /// (`NRS` nursing service measures, `ICU`, `PHY`, empty: decided by the OBR's other
    /// fields and the OBX).
    static func section(_ obr: Segment) -> ResultKind? {
        guard let section = obr[24].uppercasedValue else { return nil }
        if labSections.contains(section) { return .lab }
        if imagingSections.contains(section) { return .imaging }
        return nil
    }

    /// Whether a coding system (CWE-3 or CWE-6) is LOINC: `LN`, `LNC`, `LOINC`, or a
    /// URI of loinc.org.
    static func isLOINC(_ system: String) -> Bool {
        switch system.uppercased() {
        case "LN", "LNC", "LOINC": return true
        default: return system.lowercased().contains("loinc.org")
        }
    }

    /// Whether a LOINC name names a specimen: a specimen word after "in" or "of" ("...
    /// in Serum or Plasma", "Color of Urine", "Bilirubin in Cord blood", "... in Body
    /// fluid"), or a LOINC short-name specimen anywhere ("Creat SerPl-mCnc", "Hgb Bld",
    /// "Color Ur"). A nursing row ("Pain severity - 0-10 verbal numeric rating") names
    /// none.
    static func namesSpecimen(_ text: String) -> Bool {
        var afterPreposition = 0
        for word in text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            let lower = word.lowercased()
            if shortSpecimens.contains(lower) { return true }
            if afterPreposition > 0, specimens.contains(lower) { return true }
            afterPreposition = lower == "in" || lower == "of" ? 4 : max(afterPreposition - 1, 0)
        }
        return false
    }

    /// Specimen words of LOINC long names (after "in" or "of").
    private static let specimens: Set<String> = [
        "serum", "plasma", "urine", "blood", "stool", "feces", "faeces", "csf", "fluid", "specimen", "sputum",
        "saliva", "tissue", "marrow", "bile", "sweat", "cerebrospinal", "spinal",
    ]

    /// Specimens of LOINC short names.
    private static let shortSpecimens: Set<String> = [
        "serpl", "ser", "plas", "bld", "blda", "bldv", "bldc", "bldco", "bldmv", "ur", "stl", "csf",
    ]
}
