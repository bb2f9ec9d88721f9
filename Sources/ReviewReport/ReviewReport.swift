import ClinicalEvents

/// The model of a review report (`extravasd report --html`): the header, a timeline per
/// patient and site, every alert numbered, and the review figures. Built by
/// ``ReportBuilder``, drawn by ``ReportRenderer``.
public struct ReviewReport: Sendable, Hashable {
    /// What the report says about itself.
    public var header: ReportHeader
    /// The span the report covers: the period asked for, each open end replaced by the
    /// first or last time the replayed feeds gave (`nil` when they gave none).
    public var coveredFrom: Instant?
    /// See ``coveredFrom``.
    public var coveredUntil: Instant?
    /// The patients, in the order of their first exposure, assessment or alert.
    public var patients: [PatientTimeline]
    /// Every alert: those of the patients' timelines in page order, then those only the
    /// journal holds, oldest first; numbered in that order.
    public var alerts: [ReportAlert]
    /// The review figures over ``alerts``.
    public var figures: ReviewFigures

    /// Creates a report (the figures are computed from `alerts`).
    public init(
        header: ReportHeader, coveredFrom: Instant?, coveredUntil: Instant?, patients: [PatientTimeline],
        alerts: [ReportAlert]
    ) {
        self.header = header
        self.coveredFrom = coveredFrom
        self.coveredUntil = coveredUntil
        self.patients = patients
        self.alerts = alerts
        figures = ReviewFigures(alerts)
    }

    /// The alerts that only the journal holds.
    public var journalOnlyAlerts: [ReportAlert] { alerts.filter { $0.origin == .journalOnly } }

    /// How many sites the timelines show.
    public var siteCount: Int { patients.reduce(0) { $0 + $1.sites.count } }

    /// Whether there is nothing to show: no timeline and no alert.
    public var isEmpty: Bool { patients.isEmpty && alerts.isEmpty }
}
