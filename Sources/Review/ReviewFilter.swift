import Sites
import Surveillance

/// Which alerts `extravasd alerts` shows (DESIGN.md sections 2 and 5): its filters, as
/// values the journal holds. Every criterion given must hold.
public struct ReviewFilter: Sendable, Hashable {
    /// Alerts written at or after this time (`__REALTIME_TIMESTAMP` of the alert's first
    /// entry, microseconds since the epoch).
    public var since: Int64?
    /// Alerts written at or before this time (microseconds since the epoch).
    public var until: Int64?
    /// `EXTRAVASD_PATIENT` exactly as the journal holds it (the MRN under `phi:
    /// identifiers`, its pseudonym under `pseudonymized`).
    public var patient: String?
    /// The catheter site or the observed site; a site without a side (`heel`) matches
    /// that part on either side.
    public var site: CanonicalSite?
    /// The lowest severity shown (moderate < high < critical).
    public var minimumSeverity: Severity?
    /// Only alerts with no trusted acknowledgement.
    public var unacknowledgedOnly: Bool
    /// Also alerts written by `extravasd replay --journal` (`EXTRAVASD_REPLAY=1`).
    public var includeReplay: Bool

    /// A filter; with no argument, every live alert.
    public init(
        since: Int64? = nil, until: Int64? = nil, patient: String? = nil, site: CanonicalSite? = nil,
        minimumSeverity: Severity? = nil, unacknowledgedOnly: Bool = false, includeReplay: Bool = false
    ) {
        self.since = since
        self.until = until
        self.patient = patient
        self.site = site
        self.minimumSeverity = minimumSeverity
        self.unacknowledgedOnly = unacknowledgedOnly
        self.includeReplay = includeReplay
    }

    /// Whether `alert` passes every criterion that does not depend on acknowledgements:
    /// replay, time written, patient, site and severity.
    public func admits(_ alert: ReviewedAlert) -> Bool {
        if alert.replay && !includeReplay { return false }
        if let since, alert.writtenAt < since { return false }
        if let until, alert.writtenAt > until { return false }
        if let patient, alert.patient != patient { return false }
        if let minimumSeverity, alert.severity < minimumSeverity { return false }
        if site != nil && !matchesSite(alert.site) && !matchesSite(alert.observedSite) { return false }
        return true
    }

    /// Whether `row` is shown: its alert is admitted and, with ``unacknowledgedOnly``,
    /// it has no trusted acknowledgement.
    public func shows(_ row: AlertLedger.Row) -> Bool {
        admits(row.alert) && !(unacknowledgedOnly && row.acknowledged)
    }

    /// Whether a canonical site name as written in the journal is ``site``: the same
    /// name, or the same part when ``site`` names no side.
    func matchesSite(_ written: String?) -> Bool {
        guard let site, let written else { return false }
        if written == site.name { return true }
        guard site.laterality == nil, let writtenSite = CanonicalSite(name: written) else { return false }
        return writtenSite.part == site.part
    }
}
