import Coding

/// What an observation identifier (OBX-3, code and text) names.
///
/// - Signs and findings: the identifier read as a label with the sign vocabulary
///   ("Erythema at IV site", "Pain score", "VIP phlebitis score", "Infiltration
///   grade", code "SWELLING"). The value decides whether they are present.
/// - A site or location: a location word ("IV site location", "Location", "Pain
///   location"; a code containing "SITELOC"), or "site" alone or with site qualifiers
///   ("Site", "Body site", "Catheter site", "Insertion site", "IV insertion site").
///   "IV site", "PIV site" and appearance labels ("IV site appearance", "Site
///   assessment") are not: their values are read as text.
/// - A line removal: a removal word (removed, removal, discontinued, D/C, pulled,
///   out) with a vascular line word (catheter, IV, PIV, line, cannula, PICC, CVC,
///   ...), and no word of a non-vascular device (Foley, urinary, epidural, drain,
///   tube, ...).
/// - A catheter site (lines in place, DESIGN §4): a vascular line word (IV, PIV,
///   PICC, CVC, catheter, cannula, line, infusion, ...) and no word of a non-vascular
///   device; a line insertion adds an insertion word ("PIV LDA Placement", "Peripheral
///   IV Insertion Date/Time") and is no site-location or removal row; a line's contents
///   ("Infusing", "Line contents", "IV fluids/meds infusing") name what flows in it.
/// - A vascular access (``namesVascularAccess``): an IV, catheter, line, cannula,
///   PIV/PICC/CVC word ("R IV SITE ASSESSMENT", "PIV Left Hand", "Line site"), an
///   infusion site ("Infusion site"), an infiltration or phlebitis scale ("VIP score"),
///   or a code that opens with a line type ("IVASSESS", "PIVSITE"), and no word of a
///   non-vascular device.
/// - The side of a site: "Orientation" or "Laterality" (an LDA row whose value,
///   "Left" or "Right", is the side of the location row with the same sub-ID).
struct IdentifierAnalysis: Sendable {
    /// Acute sign kinds the identifier names.
    var kinds: SignMask = []
    /// Whether the identifier names a calcinosis finding ("Nodule present").
    var namesCalcinosis = false
    /// Whether the identifier names the site normal ("IV site WNL").
    var namesNormal = false
    /// Whether the identifier names a sign as absent ("No erythema").
    var negatesSign = false
    /// Whether the identifier names a site or location.
    var namesSiteLocation = false
    /// Whether the identifier names a catheter/IV/line removal.
    var namesLineRemoval = false
    /// Whether the identifier names a catheter (IV, line) site: a row about a line.
    var namesCatheterSite = false
    /// Whether the identifier names a catheter/IV/line insertion or placement.
    var namesLineInsertion = false
    /// Whether the identifier names what is infusing through a line.
    var namesLineContents = false
    /// Whether the identifier names an IV, catheter, line, cannula, PIV/PICC/CVC or
    /// infusion-site assessment: only such an observation may take the patient's sole
    /// exposed site when it names none (DESIGN.md, "Signs": the sole-site rule).
    var namesVascularAccess = false
    /// Whether the identifier names the side of a site ("Orientation", "Laterality").
    var namesSide = false

    /// Whether the identifier names signs or a finding, whose presence the value decides.
    var namesFinding: Bool { !kinds.isEmpty || namesCalcinosis }

    init(_ identifier: CodedValue, table: PhraseTable) {
        let text = TokenizedText(identifier.text)
        let code = TokenizedText(identifier.code)
        for part in [text, code] where part.count > 0 {
            let findings = TextScanner.scan(part, table: table, mode: .label)
            kinds.formUnion(findings.signs)
            namesCalcinosis = namesCalcinosis || findings.calcinosis
            namesNormal = namesNormal || findings.normalMention
            negatesSign = negatesSign || findings.negatedMention
        }

        var all: IdentifierWordRole = []
        var previousWasD = false
        var sawDC = false
        for part in [text, code] {
            for index in 0..<part.count {
                let word = part.word(index)
                let role = IdentifierWords.roles.value(word) ?? []
                all.formUnion(role)
                if previousWasD && word.count == 1 && word.first == 0x63 { sawDC = true }
                previousWasD = word.count == 1 && word.first == 0x64
            }
            previousWasD = false
        }
        namesSiteLocation =
            all.contains(.location) || IdentifierAnalysis.contains(identifier.code, "SITELOC")
            || IdentifierAnalysis.isSiteWithQualifiers(text.count > 0 ? text : code)
        namesLineRemoval =
            (all.contains(.removal) || sawDC) && all.contains(.vascularLine) && !all.contains(.nonVascular)
        namesCatheterSite =
            !all.intersection([.vascularLine, .lineTypeQualifier, .catheterSite]).isEmpty
            && !all.contains(.nonVascular)
        namesLineInsertion =
            namesCatheterSite && all.contains(.insertion) && !namesSiteLocation && !namesLineRemoval
        namesLineContents =
            !all.contains(.nonVascular)
            && (all.contains(.infusing) || (all.contains(.contents) && namesCatheterSite))
        // Infiltration and phlebitis scales ("Infiltration scale", "VIP score") grade a catheter site.
        let gradesCatheterSite = !kinds.intersection([SignMask(.infiltration), SignMask(.phlebitis)]).isEmpty
        namesVascularAccess =
            (all.contains(.vascularAccess) || (all.contains(.infusion) && all.contains(.site))
                || IdentifierAnalysis.isVascularAccessCode(code) || gradesCatheterSite)
            && !all.contains(.nonVascularDevice)
        namesSide = all.contains(.side) && !namesFinding && !namesSiteLocation
    }

    /// "site" alone, or with site qualifiers among which at least one is specific
    /// (not only line-type words: "IV site" is an appearance label).
    private static func isSiteWithQualifiers(_ text: TokenizedText) -> Bool {
        var sawSite = false
        var sawSpecific = false
        for index in 0..<text.count {
            let role = IdentifierWords.roles.value(text.word(index)) ?? []
            if role.contains(.site) {
                sawSite = true
            } else if role.contains(.specificSiteQualifier) {
                sawSpecific = true
            } else if !role.contains(.lineTypeQualifier) && !role.contains(.filler) {
                return false
            }
        }
        return sawSite && (sawSpecific || text.count == 1)
    }

    /// Whether a code's first word starts with a line type, as local codes are written
    /// ("IVASSESS", "PIVSITE", "PICCDRSG", "CVCSITE").
    private static func isVascularAccessCode(_ code: TokenizedText) -> Bool {
        guard code.count > 0, !code.tokens[0].isNumber else { return false }
        let word = code.word(0)
        return vascularAccessCodePrefixes.contains { word.count > $0.count && word.starts(with: $0) }
    }

    /// The line types that open a vascular access code.
    private static let vascularAccessCodePrefixes: [[UInt8]] = ["iv", "piv", "picc", "cvc", "cvad"].map {
        Array($0.utf8)
    }

    /// Whether `text` contains `needle` (ASCII, case-insensitive).
    private static func contains(_ text: String, _ needle: StaticString) -> Bool {
        let target = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        let bytes = text.utf8
        guard bytes.count >= target.count, let first = target.first else { return false }
        var start = bytes.startIndex
        while start != bytes.endIndex {
            if bytes[start] & 0xDF == first {
                var a = start
                var matched = true
                for expected in target {
                    guard a != bytes.endIndex, bytes[a] & 0xDF == expected else {
                        matched = false
                        break
                    }
                    a = bytes.index(after: a)
                }
                if matched { return true }
            }
            start = bytes.index(after: start)
        }
        return false
    }
}

/// What a word means in an observation identifier.
struct IdentifierWordRole: OptionSet, Sendable, Hashable {
    let rawValue: UInt16

    static let site = IdentifierWordRole(rawValue: 1)
    static let location = IdentifierWordRole(rawValue: 2)
    static let specificSiteQualifier = IdentifierWordRole(rawValue: 4)
    static let lineTypeQualifier = IdentifierWordRole(rawValue: 8)
    static let filler = IdentifierWordRole(rawValue: 16)
    static let removal = IdentifierWordRole(rawValue: 32)
    static let vascularLine = IdentifierWordRole(rawValue: 64)
    static let nonVascular = IdentifierWordRole(rawValue: 128)
    static let catheterSite = IdentifierWordRole(rawValue: 256)
    static let insertion = IdentifierWordRole(rawValue: 512)
    static let infusing = IdentifierWordRole(rawValue: 1024)
    static let contents = IdentifierWordRole(rawValue: 2048)
    /// A word that names a vascular access device by itself (IV, PIV, catheter, line).
    static let vascularAccess = IdentifierWordRole(rawValue: 4096)
    /// "infusion": a vascular access together with "site" ("Infusion site").
    static let infusion = IdentifierWordRole(rawValue: 8192)
    /// A non-vascular device (Foley, drain, tube): the row is not about an IV site.
    static let nonVascularDevice = IdentifierWordRole(rawValue: 16384)
    /// "orientation", "laterality": the row gives the side of a site.
    static let side = IdentifierWordRole(rawValue: 32768)
}

/// Identifier words (fixed).
enum IdentifierWords {
    static let roles: WordTable<IdentifierWordRole> = {
        var table = WordTable<IdentifierWordRole>(filler: [])
        func add(_ words: [String], _ role: IdentifierWordRole) {
            for word in words {
                let bytes = Array(word.utf8)
                table.set(bytes, role.union(table.value(bytes) ?? []))
            }
        }
        add(["site", "sites"], .site)
        add(["location", "locations", "loc", "locn"], .location)
        add(
            [
                "body", "catheter", "cath", "insertion", "infusion", "access", "cannulation", "cannula",
                "puncture", "injection", "venipuncture", "anatomic", "anatomical",
            ], .specificSiteQualifier)
        add(
            [
                "iv", "piv", "cvc", "picc", "peripheral", "central", "line", "venous", "midline", "uvc",
                "uac", "intravenous",
            ], .lineTypeQualifier)
        add(["of", "the"], .filler)
        add(
            ["removed", "removal", "remove", "discontinued", "discontinue", "dc", "dcd", "pulled", "out"],
            .removal)
        add(
            [
                "catheter", "catheters", "cath", "iv", "ivs", "piv", "pivs", "line", "lines", "cannula",
                "cannulas", "canula", "picc", "cvc", "midline", "port", "uvc", "uac", "peripheral",
                "venous", "intravenous", "access",
            ], .vascularLine)
        add(
            [
                "foley", "urinary", "urethral", "suprapubic", "bladder", "epidural", "intrathecal",
                "chest", "drain", "drains", "tube", "tubes", "nasogastric", "orogastric", "endotracheal",
                "ett", "ng", "og", "ureteral", "nephrostomy",
            ], .nonVascular)
        add(["infusion", "cannulation", "venipuncture", "lda", "catheter", "cath"], .catheterSite)
        add(["insertion", "inserted", "insert", "placement", "placed", "place"], .insertion)
        add(["infusing"], .infusing)
        add(["contents", "content"], .contents)
        add(
            [
                "iv", "ivs", "piv", "pivs", "pivc", "picc", "piccs", "cvc", "cvcs", "cvad", "vad", "catheter",
                "catheters", "cath", "cannula", "cannulas", "canula", "cannulation", "line", "lines",
                "midline", "uvc", "uac", "intravenous",
            ], .vascularAccess)
        add(["infusion", "infusions"], .infusion)
        add(
            [
                "foley", "urinary", "urethral", "suprapubic", "bladder", "epidural", "intrathecal", "drain",
                "drains", "tube", "tubes", "nasogastric", "orogastric", "endotracheal", "ett", "ng", "og",
                "ureteral", "nephrostomy",
            ], .nonVascularDevice)
        add(["orientation", "laterality"], .side)
        return table
    }()
}
