/// One patient of a report: how the page names them under the PHI policy, where they
/// were, and a timeline per site.
public struct PatientTimeline: Sendable, Hashable {
    /// The page's name for the patient: the MRN (`identifiers`), its pseudonym
    /// (`pseudonymized`), or `Patient N` numbered in the report (`minimal`).
    public var label: String
    /// The latest location (PV1-3) as the PHI policy lets it out.
    public var location: String?
    /// The sites, by their first exposure.
    public var sites: [SiteTimeline]

    /// Creates a patient's section.
    public init(label: String, location: String?, sites: [SiteTimeline]) {
        self.label = label
        self.location = location
        self.sites = sites
    }
}
