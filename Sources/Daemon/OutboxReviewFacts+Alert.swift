import StateStore
import Surveillance

extension OutboxReviewFacts {
    /// The review facts of an alert the engine raised: its episode (patient key, exposed
    /// site, exposure start: named by the id its `extravasation_suspected` alert has, keyed
    /// as alert ids are, so no PHI is stored or logged), its severity's rank, and a
    /// reminder for a `critical` alert.
    public init(alert: Alert, identityKey: [UInt8]?) {
        self.init(
            episode: AlertIdentifier.make(
                patient: alert.patientKey, site: alert.site, exposureStart: alert.exposureStartedAt,
                kind: .extravasationSuspected, sequence: 0, key: identityKey),
            severityRank: Self.rank(alert.severity), remindsIfUnacknowledged: alert.severity == .critical)
    }

    /// A severity's rank in the store: moderate 0, high 1, critical 2.
    static func rank(_ severity: Severity) -> Int {
        switch severity {
        case .moderate: return 0
        case .high: return 1
        case .critical: return 2
        }
    }
}
