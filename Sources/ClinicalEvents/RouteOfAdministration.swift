import HL7

/// What a route of administration (RXR-1) says about where the drug goes: into a
/// vessel or tissue through a needle or catheter (parenteral), by another way (oral,
/// enteral, topical, inhaled, ...), or nothing known (not sent, or a local code this
/// table does not know).
public enum RouteKind: Sendable, Hashable {
    /// Intravenous, intra-arterial, intraosseous, subcutaneous, intramuscular, ...
    case parenteral
    /// Oral, enteral, rectal, topical, transdermal, inhaled, nasal, ophthalmic, ...
    case notParenteral
    /// Not sent, or not recognised.
    case unknown

    /// HL7 table 0162 codes (and common local spellings) of parenteral routes.
    private static let parenteralCodes: Set<String> = [
        "IV", "IVP", "IVPB", "IVSS", "CIV", "IVCI", "IA", "IO", "IOSS", "IM", "SC", "SQ", "SUBQ", "SUBCUT",
        "ID",
        "IT", "EP", "IC", "IP", "PF", "IHA", "CVC", "PICC", "PIV", "INJ",
    ]
    /// Table 0162 codes (and common local spellings) of routes that are not parenteral.
    private static let otherCodes: Set<String> = [
        "PO", "OR", "NG", "NJ", "OG", "GT", "GTT", "JT", "PEG", "PR", "TP", "TOP", "TD", "SL", "B", "BU",
        "TL", "IH",
        "NEB", "INH", "IN", "NS", "NP", "NT", "OP", "OT", "VG", "UR", "MTH", "MM", "ET", "TRA", "DT", "AP",
        "SD",
        "WND", "RM", "VM", "GU", "IMR",
    ]
    /// Words of a route's text that name a parenteral route.
    private static let parenteralWords = [
        "intraven", "intra-ven", "intra-arter", "intraarter", "intraoss", "intra-oss", "subcut", "sub-cut",
        "intramusc", "intra-musc", "parenteral", "infusion", "injection", "iv push", "iv piggyback",
        "central line",
        "peripheral", "picc", "intrathecal", "epidural", "intradermal", "hypodermoclysis",
    ]
    /// Words of a route's text that name a route that is not parenteral.
    private static let otherWords = [
        "oral", "by mouth", "enteral", "gastr", "nasogastric", "jejun", "feeding tube", "rectal", "topical",
        "transdermal", "sublingual", "buccal", "inhal", "nebul", "nasal", "ophthalm", "otic", "vaginal",
        "urethral",
        "external", "cutaneous", "dental", "endotracheal", "tracheost", "mouth",
    ]

    /// The kind of a route: by its code (table 0162, any case), else by its text.
    public init(_ route: CodedValue?) {
        guard let route, !route.isEmpty else {
            self = .unknown
            return
        }
        let code = route.code.uppercased()
        if Self.parenteralCodes.contains(code) {
            self = .parenteral
            return
        }
        if Self.otherCodes.contains(code) {
            self = .notParenteral
            return
        }
        let text = route.text.isEmpty ? route.code.lowercased() : route.text.lowercased()
        if text == "iv" || text.hasPrefix("iv ")
            || Self.parenteralWords.contains(where: { text.contains($0) })
        {
            self = .parenteral
        } else if Self.otherWords.contains(where: { text.contains($0) }) {
            self = .notParenteral
        } else {
            self = .unknown
        }
    }
}

/// The route and site an order or administration uses, from its RXR segments.
public struct RouteAndSite: Sendable, Hashable {
    /// RXR-1 of the RXR chosen (else of the first parenteral RXR, else of the first RXR).
    public var route: CodedValue?
    /// RXR-2 of the first RXR whose route is parenteral and that has a site; `nil` when
    /// no RXR names a site (the order names no site).
    public var site: CodedValue?

    /// Chooses among several RXR segments: the site is RXR-2 of the first RXR whose
    /// route (RXR-1) is parenteral and that has a site. An RXR whose route is not sent
    /// or not recognised counts only when no parenteral RXR has a site (nothing says
    /// its route is not parenteral); an RXR whose route is known not to be parenteral
    /// (oral, topical, ...) never gives the site.
    public init(_ rxrs: [Segment]) {
        var firstParenteralRoute: CodedValue? = nil
        var firstRoute: CodedValue? = nil
        var fallback: (route: CodedValue?, site: CodedValue)? = nil
        for rxr in rxrs {
            let route = Self.nonEmpty(CodedValue(rxr[1]))
            let site = Self.nonEmpty(CodedValue(rxr[2]))
            if firstRoute == nil { firstRoute = route }
            switch RouteKind(route) {
            case .parenteral:
                if firstParenteralRoute == nil { firstParenteralRoute = route }
                if let site {
                    self.route = route
                    self.site = site
                    return
                }
            case .unknown:
                if fallback == nil, let site { fallback = (route, site) }
            case .notParenteral:
                break
            }
        }
        if let fallback {
            route = fallback.route ?? firstParenteralRoute
            site = fallback.site
        } else {
            route = firstParenteralRoute ?? firstRoute
            site = nil
        }
    }

    private static func nonEmpty(_ value: CodedValue) -> CodedValue? { value.isEmpty ? nil : value }
}
