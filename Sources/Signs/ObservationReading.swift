/// What one nursing observation says about a catheter site.
public struct ObservationReading: Sendable, Hashable {
    /// The acute signs the observation asserts (never `.calcinosis`).
    public var signs: Set<SignKind>
    /// Whether the observation states a calcinosis finding (nodule, white-yellow
    /// papule, calcification, ...) that is not negated.
    public var calcinosisFinding: Bool
    /// Whether the identifier names a site or location ("IV site location", "Site",
    /// "Location", "Body site", "Catheter site", "Insertion site"): its value is the
    /// site of its sibling observations.
    public var isSiteLocation: Bool
    /// Whether the identifier names a catheter/IV/line removal and the value says yes
    /// (`Y`, `YES`, `POS`, `present`, SNOMED 373066001, `true`, `removed`) or is a
    /// time (a DTM/TS/DT/TM value, or digits such as `202603051425`).
    public var isLineRemoval: Bool
    /// Whether the identifier names the side of a site ("Orientation", "Laterality"):
    /// its value ("Left", "Right") is the side of the site named by the site-location
    /// observation with the same sub-ID.
    public var isOrientation: Bool
    /// For a site-location or orientation observation, the value text to resolve as a
    /// site or a side (CWE-2, else CWE-1, else the text of the first non-empty
    /// repetition); otherwise nil.
    public var siteText: String?
    /// Whether the observation explicitly documents the site as normal: it asserts no
    /// sign and no finding, and it states a sign as absent (a coded "No" to a sign, a
    /// score of 0, "no redness", "pain 0/10") or names the site normal ("WNL",
    /// "clean, dry and intact", "unremarkable"). Never true for a site-location or a
    /// line-removal observation.
    public var mentionsNormal: Bool
    /// Whether the identifier names a catheter (IV, line) site: the row documents a line
    /// ("IV site location", "PIV site appearance", "Erythema at IV site").
    public var namesCatheterSite = false
    /// Whether the identifier names a catheter/IV/line insertion or placement and the
    /// value says yes, is a time, or is a text (which may name the site).
    public var isLineInsertion = false
    /// For an identifier naming what is infusing through a line ("Infusing", "Line
    /// contents"), the value's text (CWE-2, else CWE-1, else the text); otherwise nil.
    public var lineContents: String?

    /// A reading; every part defaults to "says nothing".
    public init(
        signs: Set<SignKind> = [],
        calcinosisFinding: Bool = false,
        isSiteLocation: Bool = false,
        isLineRemoval: Bool = false,
        isOrientation: Bool = false,
        siteText: String? = nil,
        mentionsNormal: Bool = false
    ) {
        self.isOrientation = isOrientation
        self.signs = signs
        self.calcinosisFinding = calcinosisFinding
        self.isSiteLocation = isSiteLocation
        self.isLineRemoval = isLineRemoval
        self.siteText = siteText
        self.mentionsNormal = mentionsNormal
    }
}
