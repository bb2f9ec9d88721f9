/// One catheter site of a patient: its exposures, assessments and alerts, drawn as
/// one timeline.
public struct SiteTimeline: Sendable, Hashable {
    /// The canonical site (`left-heel`); `nil` for exposures whose order named no site
    /// and that no source placed.
    public var site: String?
    /// The exposures at the site, by start.
    public var exposures: [ExposureBar]
    /// The assessments, by time.
    public var assessments: [AssessmentMark]
    /// The alerts at the site, by time.
    public var alerts: [ReportAlert]

    /// Creates a site's timeline.
    public init(
        site: String?, exposures: [ExposureBar], assessments: [AssessmentMark], alerts: [ReportAlert]
    ) {
        self.site = site
        self.exposures = exposures
        self.assessments = assessments
        self.alerts = alerts
    }

    /// The site as the page names it.
    public var title: String { site ?? "site not named (unsited exposure)" }
}
