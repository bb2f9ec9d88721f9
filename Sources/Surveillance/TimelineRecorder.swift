import ClinicalEvents
import Signs
import Sites

/// What the engine applied, kept for a timeline per patient and site (the review report,
/// `extravasd report`): each patient's exposures as they stand after each of their
/// messages, the assessments of exposed sites (the sign kinds documented, or none:
/// normal), and merges.
///
/// Off by default (``SurveillanceEngine/timeline`` is `nil`): replay and the daemon pay
/// one branch per message for it, and nothing else. When on, the engine only appends
/// events; the driver takes them (``SurveillanceEngine/takeTimelineEvents()``) after
/// each message. Recording changes nothing the engine decides.
public struct TimelineRecorder: Sendable {
    /// The events since they were last taken, in the order they happened.
    public internal(set) var events: [TimelineEvent] = []

    /// An empty recorder.
    public init() {}
}

/// One event of the timeline (see ``TimelineRecorder``).
public enum TimelineEvent: Sendable, Hashable {
    /// A patient's exposures (and latest location) after a message of theirs: a snapshot;
    /// a later one holds the same exposures as they stand then (an end set, a site
    /// placed). Sent only for patients with an infusion order or administration kept.
    case exposures(PatientKey, location: String?, [SiteExposure])
    /// An assessment of an exposed site.
    case assessment(TimelineAssessment)
    /// A merge (ADT^A40): what was known of the first patient continues under the second.
    case merged(PatientKey, into: PatientKey)
}

/// An assessment of an exposed site: the rows of one message (or an administration's
/// notes) about that site at one time. The sign kinds it documented are empty for a
/// normal one (a site assessment of the line that documented no sign), and for a row
/// documenting the line's removal.
public struct TimelineAssessment: Sendable, Hashable {
    /// The patient (after merges).
    public var patient: PatientKey
    /// The observation time.
    public var time: Instant
    /// The exposed site the observation resolved to (``Alert/site``'s rule).
    public var site: CanonicalSite?
    /// The sign kinds documented, sorted; empty: normal (or a removal).
    public var signs: [SignKind]
    /// Whether a row documented the line's removal.
    public var lineRemoved: Bool

    /// Creates an assessment.
    public init(
        patient: PatientKey, time: Instant, site: CanonicalSite?, signs: [SignKind], lineRemoved: Bool = false
    ) {
        self.patient = patient
        self.time = time
        self.site = site
        self.signs = signs
        self.lineRemoved = lineRemoved
    }
}

extension SurveillanceEngine {
    /// The timeline events recorded since the last call (none when ``timeline`` is `nil`).
    public mutating func takeTimelineEvents() -> [TimelineEvent] {
        guard timeline != nil, !timeline!.events.isEmpty else { return [] }
        defer { timeline!.events.removeAll(keepingCapacity: true) }
        return timeline!.events
    }

    /// After a message applied for `key`, documenting `content`: a merge, and the patient's exposures.
    mutating func recordTimeline(after content: PreparedContent, key: PatientKey) {
        let resolved = state.resolve(key)
        if case .merge(.success(let merge)) = content {
            timeline!.events.append(.merged(merge.old, into: resolved))
        }
        guard let record = state.patients[resolved],
            !record.orders.isEmpty || !record.standaloneAdministrations.isEmpty
        else { return }
        timeline!.events.append(.exposures(resolved, location: record.location, record.exposures))
    }

    /// A sign assessment (an acute or calcinosis draft about to raise, or not).
    mutating func recordAssessment(_ draft: AssessmentDraft, patient: PatientKey) {
        timeline!.events.append(
            .assessment(
                TimelineAssessment(
                    patient: patient, time: draft.time, site: draft.target.site, signs: draft.signs.sorted()))
        )
    }

    /// What a message documents of lines at exposed sites: removals, and site assessments
    /// (not insertions, not contents rows) at another time than a removal's, normal
    /// unless signs at the same site and time are recorded too.
    mutating func recordLineAssessments(_ observations: PreparedObservations, in record: PatientRecord) {
        var removalTimes: [Instant] = []
        for reading in observations.readings where reading.lineRemoval {
            removalTimes.append(reading.time)
            guard
                let target = target(
                    in: record, observed: reading.observedSite, at: reading.time, late: false,
                    aboutCatheter: reading.aboutCatheter)
            else { continue }
            timeline!.events.append(
                .assessment(
                    TimelineAssessment(
                        patient: record.key, time: reading.time, site: target.site, signs: [],
                        lineRemoved: true)))
        }
        for chart in observations.lines
        where !chart.inserted && chart.infusedEntryID == nil && !removalTimes.contains(chart.time) {
            guard let target = target(in: record, observed: chart.site, at: chart.time, late: false) else {
                continue
            }
            timeline!.events.append(
                .assessment(
                    TimelineAssessment(patient: record.key, time: chart.time, site: target.site, signs: [])))
        }
    }
}
