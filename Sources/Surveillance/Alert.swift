import ClinicalEvents
import Signs
import Sites

/// What an alert says happened.
public enum AlertKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The first acute sign in an episode.
    case extravasationSuspected = "extravasation_suspected"
    /// A later assessment added a sign kind or raised the severity.
    case extravasationEscalated = "extravasation_escalated"
    /// A calcinosis finding at a calcium entry's site, up to the late watch's end.
    case calcinosisSuspected = "calcinosis_suspected"
}

/// How an observation's site was matched to the catheter's.
public enum SiteMatch: String, Sendable, Hashable, Codable {
    case exact, contained, unlateralized
    case soleSite = "sole-site"
    /// The order named no site and no source gave one: the observed site (or none).
    case unsited

    /// Stronger matches first: exact, contained, unlateralized, sole-site, unsited.
    var strength: Int {
        switch self {
        case .exact: return 3
        case .contained: return 2
        case .unlateralized: return 1
        case .soleSite: return 0
        case .unsited: return -1
        }
    }
}

/// Lab and demographic risk factors of an assessment.
public enum RiskFactor: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case caXPHigh = "ca_x_p_high"
    case hyperphosphatemia
    case hypocalcemia
    case infant
    case renalFailure = "renal_failure"

    /// Sorted by name, as alerts list them.
    public static func < (lhs: RiskFactor, rhs: RiskFactor) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a message came from: `file:PATH:OFFSET` or `mllp:PEER`.
///
/// A file source keeps its path and offset and writes its text only when asked (most
/// messages raise no alert, so most sources are never written). Sources compare,
/// hash and encode by their text.
public struct MessageSource: Sendable, Hashable, Codable, CustomStringConvertible {
    private enum Origin: Sendable {
        case text(String)
        case file(path: String, offset: Int)
    }

    private var origin: Origin

    /// The source text as alerts carry it.
    public var description: String {
        get {
            switch origin {
            case .text(let text): return text
            case .file(let path, let offset): return "file:\(path):\(offset)"
            }
        }
        set { origin = .text(newValue) }
    }

    /// A file (path as given) and the byte offset of the message's MSH.
    public static func file(_ path: String, offset: Int) -> MessageSource {
        MessageSource(origin: .file(path: path, offset: offset))
    }
    /// An MLLP peer.
    public static func mllp(_ peer: String) -> MessageSource { MessageSource(description: "mllp:\(peer)") }
    /// Creates a source from its text.
    public init(description: String) { origin = .text(description) }

    private init(origin: Origin) { self.origin = origin }

    /// Equal when their texts are equal.
    public static func == (lhs: MessageSource, rhs: MessageSource) -> Bool {
        lhs.description == rhs.description
    }

    /// Hashes the text.
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    private enum CodingKeys: String, CodingKey { case description }

    /// Reads `{"description": TEXT}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        origin = .text(try container.decode(String.self, forKey: .description))
    }

    /// Writes `{"description": TEXT}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(description, forKey: .description)
    }
}

/// One alert, with every field of the replay JSON lines and the journal entry.
public struct Alert: Sendable, Hashable, Codable {
    /// The deterministic alert id (hex).
    public var id: String
    /// What happened.
    public var kind: AlertKind
    /// How urgent.
    public var severity: Severity
    /// The observation's time.
    public var observedAt: Instant
    /// The patient identifier (CX-1) as staff read it; the surviving one after merges.
    public var patient: String
    /// The patient key (identifier and assigning authority).
    public var patientKey: PatientKey
    /// PV1-19.1, when known.
    public var visit: String?
    /// PV1-3 components 1-3 joined by `/`, when known.
    public var location: String?
    /// The catheter's (exposed) canonical site; for an unsited exposure the observed site.
    public var site: CanonicalSite?
    /// The canonical site the observation named, or `nil` (sole-site; unsited without a site).
    public var observedSite: CanonicalSite?
    /// How the observation's site matched.
    public var siteMatch: SiteMatch
    /// Every sign kind of the episode so far, sorted.
    public var signs: [SignKind]
    /// The give code's text as sent.
    public var drug: String
    /// The order number.
    public var order: String?
    /// Whether the infusion was flowing at that site at the observation time.
    public var infusionActive: Bool
    /// Risk factors at the observation time, sorted.
    public var riskFactors: [RiskFactor]
    /// MSH-10 of the observation message.
    public var controlID: String
    /// Where the observation message came from.
    public var source: MessageSource
    /// When the exposure started.
    public var exposureStartedAt: Instant
    /// The catalog entry of the drug.
    public var catalogEntry: String

    /// Creates an alert (the engine does; tests and tools may too).
    public init(
        id: String, kind: AlertKind, severity: Severity, observedAt: Instant, patient: String,
        patientKey: PatientKey,
        visit: String?, location: String?, site: CanonicalSite?, observedSite: CanonicalSite?,
        siteMatch: SiteMatch,
        signs: [SignKind], drug: String, order: String?, infusionActive: Bool, riskFactors: [RiskFactor],
        controlID: String, source: MessageSource, exposureStartedAt: Instant, catalogEntry: String
    ) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.observedAt = observedAt
        self.patient = patient
        self.patientKey = patientKey
        self.visit = visit
        self.location = location
        self.site = site
        self.observedSite = observedSite
        self.siteMatch = siteMatch
        self.signs = signs
        self.drug = drug
        self.order = order
        self.infusionActive = infusionActive
        self.riskFactors = riskFactors
        self.controlID = controlID
        self.source = source
        self.exposureStartedAt = exposureStartedAt
        self.catalogEntry = catalogEntry
    }
}
