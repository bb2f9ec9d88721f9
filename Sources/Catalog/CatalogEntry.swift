/// One drug (or family of products) that extravasd watches, as a pharmacist lists it
/// in a catalog file.
public struct CatalogEntry: Sendable, Hashable, Codable, Identifiable {
    /// The watch window when a catalog entry names none: 72 hours after the exposure ends.
    public static let defaultWatchWindowHours = 72
    /// The value of ``requiresComponentOf`` that stands for "any entry with
    /// ``isCalciumSalt``" (the parenteral-nutrition rule).
    public static let calciumSaltRequirement = "calcium-salt"

    /// A stable kebab-case identifier, e.g. `calcium-gluconate`. A catalog file entry
    /// with the id of a bundled entry replaces it.
    public var id: String
    /// The name people read in alerts and reports, e.g. `Calcium gluconate`.
    public var displayName: String
    /// The harm the drug does when it extravasates.
    public var risk: RiskTier
    /// Hours a site stays under watch after the exposure ends (default 72).
    public var watchWindowHours: Int
    /// A calcium entry (calcium salts, parenteral nutrition with a calcium component;
    /// not the Ringer's solutions): its sites are eligible for the late calcinosis watch.
    public var calciumEntry: Bool
    /// A calcium salt: when found among an order's RXC components, it makes an order
    /// whose give code matches nothing match this entry, and it satisfies
    /// ``calciumSaltRequirement``.
    public var isCalciumSalt: Bool
    /// Codes that identify the drug (RxNorm, NDC, local codes).
    public var codes: [CodeRef]
    /// Name patterns matched against the give code's text (see ``NamePattern`` for the
    /// syntax: words, case-insensitive, with `*` wildcards inside a word).
    public var namePatterns: [String]
    /// When set, the entry matches a give code only if one of the order's RXC
    /// components matches one of these: an entry id, or ``calciumSaltRequirement``
    /// (`"calcium-salt"`, any entry with ``isCalciumSalt``). Parenteral nutrition uses
    /// `["calcium-salt"]`.
    public var requiresComponentOf: [String]?

    /// Creates an entry.
    public init(
        id: String,
        displayName: String,
        risk: RiskTier,
        watchWindowHours: Int = CatalogEntry.defaultWatchWindowHours,
        calciumEntry: Bool = false,
        isCalciumSalt: Bool = false,
        codes: [CodeRef] = [],
        namePatterns: [String] = [],
        requiresComponentOf: [String]? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.risk = risk
        self.watchWindowHours = watchWindowHours
        self.calciumEntry = calciumEntry
        self.isCalciumSalt = isCalciumSalt
        self.codes = codes
        self.namePatterns = namePatterns
        self.requiresComponentOf = requiresComponentOf
    }
}
