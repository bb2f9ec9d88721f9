import Catalog
import ClinicalEvents
import Signs
import Sites

/// Seconds in a day (86,400).
@usableFromInline let secondsPerDay: Int64 = 86_400

/// Everything the engine needs to know that does not come from the messages: the
/// catalog, vocabularies, the zone of offset-less times, windows and lab codes.
public struct SurveillanceSettings: Sendable {
    /// The drug catalog (calcium entries, optionally vesicants).
    public var catalog: DrugCatalog { didSet { revision = SettingsRevision() } }
    /// Site normalisation (table 0163, free text, synonyms).
    public var sites: SiteNormalizer { didSet { revision = SettingsRevision() } }
    /// Sign recognition in observations.
    public var signs: SignRecognizer { didSet { revision = SettingsRevision() } }
    /// Reads HL7 times, applying the configured `timezone` to those without an offset.
    public var times: TimeReader { didSet { revision = SettingsRevision() } }
    /// Days after an exposure ends during which calcinosis findings still alert (42).
    public var lateWatchDays: Int { didSet { revision = SettingsRevision() } }
    /// Days back from an assessment within which lab results count (7).
    public var labLookbackDays: Int { didSet { revision = SettingsRevision() } }
    /// Hours within which the latest calcium and phosphate must have been taken to be multiplied (72).
    public var calciumPhosphateWindowHours: Int { didSet { revision = SettingsRevision() } }
    /// Lab test codes by analyte.
    public var labCodes: LabCodes { didSet { revision = SettingsRevision() } }
    /// Days a processed message identity is kept to recognise resends (by message time).
    public var processedRetentionDays: Int { didSet { revision = SettingsRevision() } }
    /// Under `phi: pseudonymized` and `minimal`, the PHI key that alert ids are derived with.
    public var identityKey: [UInt8]? { didSet { revision = SettingsRevision() } }
    /// `clock.max_jump`: how far (seconds) an MSH-7 may be from the median of recent
    /// message times before the message counts as implausible (7 days). See ``FeedClock``.
    public var clockMaxJumpSeconds: Int64 { didSet { revision = SettingsRevision() } }
    /// `lines.forget_hours`: a line in place with no assessment for this long is
    /// forgotten (default 72).
    public var lineForgetHours: Int = 72 { didSet { revision = SettingsRevision() } }
    /// Which settings these are: a new revision whenever a value changes, so that work
    /// prepared under other settings (``PreparedMessage``) is recognised as such.
    private(set) var revision = SettingsRevision()

    /// Creates settings; every value has the documented default.
    public init(
        catalog: DrugCatalog, sites: SiteNormalizer = SiteNormalizer(),
        signs: SignRecognizer = SignRecognizer(),
        times: TimeReader = TimeReader(), lateWatchDays: Int = 42, labLookbackDays: Int = 7,
        calciumPhosphateWindowHours: Int = 72, labCodes: LabCodes = .standard,
        processedRetentionDays: Int = 14,
        identityKey: [UInt8]? = nil, clockMaxJumpSeconds: Int64 = 7 * secondsPerDay
    ) {
        self.catalog = catalog
        self.sites = sites
        self.signs = signs
        self.times = times
        self.lateWatchDays = lateWatchDays
        self.labLookbackDays = labLookbackDays
        self.calciumPhosphateWindowHours = calciumPhosphateWindowHours
        self.labCodes = labCodes
        self.processedRetentionDays = processedRetentionDays
        self.identityKey = identityKey
        self.clockMaxJumpSeconds = clockMaxJumpSeconds
    }
}

/// The identity of one revision of the settings (see ``SurveillanceSettings/revision``):
/// compared by reference, never stored.
final class SettingsRevision: Sendable {}

/// The lab analytes that make risk factors, and the codes (with their units) that name them.
public struct LabCodes: Sendable, Hashable {
    /// One code and the unit its values are in.
    public struct Code: Sendable, Hashable {
        /// The code (LOINC by default).
        public var code: String
        /// The unit (`mg/dL`, `umol/L`, `mmol/L`).
        public var unit: LabUnit
        /// Creates a code.
        public init(code: String, unit: LabUnit) {
            self.code = code
            self.unit = unit
        }
    }

    /// Serum creatinine codes.
    public var creatinine: [Code]
    /// Serum phosphate codes.
    public var phosphate: [Code]
    /// Serum calcium codes (total calcium).
    public var calcium: [Code]
    /// Ionized calcium codes (`hypocalcemia` only, never `ca_x_p_high`).
    public var ionizedCalcium: [Code]

    /// Creates lab codes (ionized calcium: the LOINC codes by default).
    public init(
        creatinine: [Code], phosphate: [Code], calcium: [Code],
        ionizedCalcium: [Code] = Self.standardIonizedCalcium
    ) {
        self.creatinine = creatinine
        self.phosphate = phosphate
        self.calcium = calcium
        self.ionizedCalcium = ionizedCalcium
    }

    /// LOINC ionized calcium: 1994-3 (mmol/L), 12180-8 (mg/dL).
    public static let standardIonizedCalcium = [
        Code(code: "1994-3", unit: .millimolesPerLiter), Code(code: "12180-8", unit: .milligramsPerDeciliter),
    ]

    /// LOINC: creatinine 2160-0 (mg/dL), 14682-9 (umol/L); phosphate 2777-1 (mg/dL),
    /// 14879-1 (mmol/L); calcium 17861-6 (mg/dL), 2000-8 (mmol/L).
    public static let standard = LabCodes(
        creatinine: [
            Code(code: "2160-0", unit: .milligramsPerDeciliter),
            Code(code: "14682-9", unit: .micromolesPerLiter),
        ],
        phosphate: [
            Code(code: "2777-1", unit: .milligramsPerDeciliter),
            Code(code: "14879-1", unit: .millimolesPerLiter),
        ],
        calcium: [
            Code(code: "17861-6", unit: .milligramsPerDeciliter),
            Code(code: "2000-8", unit: .millimolesPerLiter),
        ])
}

/// Units of the lab values extravasd reads.
public enum LabUnit: String, Sendable, Hashable, Codable {
    case milligramsPerDeciliter = "mg/dL"
    case millimolesPerLiter = "mmol/L"
    case micromolesPerLiter = "umol/L"

    /// Reads OBX-6 text (`mg/dl`, `MMOL/L`, `µmol/L`, `umol/l`...).
    public init?(text: String) {
        let folded = String(
            text.lowercased().compactMap { character -> Character? in
                switch character {
                case " ": return nil
                case "µ", "μ": return "u"
                default: return character
                }
            })
        switch folded {
        case "mg/dl": self = .milligramsPerDeciliter
        case "mmol/l": self = .millimolesPerLiter
        case "umol/l": self = .micromolesPerLiter
        default: return nil
        }
    }
}
