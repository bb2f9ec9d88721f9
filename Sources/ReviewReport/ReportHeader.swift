import AlertOutput
import ClinicalEvents

/// What a report says about itself: the period asked for, the data sources, when it
/// was generated, the zone its times are in and the PHI policy it applied.
public struct ReportHeader: Sendable, Hashable {
    /// The period asked for (`--since`, `--until`).
    public var period: ReportPeriod
    /// The feed files replayed, in order.
    public var feeds: [String]
    /// The journal read, for people ("the system journal", "journal files in DIR").
    public var journal: String
    /// Where the configuration came from.
    public var configuration: String
    /// When the report was generated (the wall clock).
    public var generatedAt: Instant
    /// The configured zone's name: times on the page are in it.
    public var zoneName: String
    /// The PHI policy applied.
    public var privacy: PrivacyPolicy.Mode
    /// Messages replayed.
    public var messages: Int
    /// The one patient asked for (`--patient`) as the PHI policy lets it out: the MRN
    /// (`identifiers`) or its pseudonym (`pseudonymized`); `nil` for every patient.
    public var patient: String?

    /// Creates a header.
    public init(
        period: ReportPeriod, feeds: [String], journal: String, configuration: String, generatedAt: Instant,
        zoneName: String, privacy: PrivacyPolicy.Mode, messages: Int, patient: String? = nil
    ) {
        self.period = period
        self.feeds = feeds
        self.journal = journal
        self.configuration = configuration
        self.generatedAt = generatedAt
        self.zoneName = zoneName
        self.privacy = privacy
        self.messages = messages
        self.patient = patient
    }
}
