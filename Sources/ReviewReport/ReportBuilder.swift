import AlertOutput
import ClinicalEvents
import Review
import Signs
import Sites
import Surveillance

/// Builds a ``ReviewReport`` from a replay of the feeds (the engine's timeline events and
/// its alerts, as they come) and the journal's alerts and acknowledgements.
///
/// What it keeps grows with the exposures, the assessments of exposed sites and the
/// alerts, never with the messages: each exposure once (its latest state: a later
/// snapshot replaces an earlier one), assessments only in the period.
///
/// Alerts are joined by id: a replayed alert with the journal's entry of the same id (its
/// journal time and acknowledgement); journal alerts the replay did not raise are listed
/// too, when observed in the span the report covers, except entries that
/// `replay --journal` wrote (`EXTRAVASD_REPLAY=1`): those are some replay's output, and
/// this report's replay is the authority on what the feeds raise.
public struct ReportBuilder: Sendable {
    private let privacy: PrivacyPolicy
    private let selection: PatientSelection
    private let period: ReportPeriod
    private let lateWatchDays: Int
    private var patients: [PatientKey: Collected] = [:]
    /// Patients merged away (A40), to the key they continue under.
    private var merges: [PatientKey: PatientKey] = [:]
    private var arrivals = 0
    /// The first and last times the replay gave (exposures, assessments, alerts).
    private var firstTime: Instant?
    private var lastTime: Instant?

    /// The first moment the report covers: `--since`, else the first time the replay gave
    /// (`nil` before any). The journal is read from it on.
    public var coveredFrom: Instant? { period.since ?? firstTime }

    /// What the replay told of one patient.
    struct Collected: Sendable {
        /// When the patient was first seen, among the others (the page's order on ties).
        var arrival: Int
        var location: String?
        /// Each exposure once: by order, catalog entry and start, the sites it had.
        var exposures: [ExposureSlot: [SiteExposure]] = [:]
        /// Assessments by exposed site and time: what they documented.
        var assessments: [AssessmentSlot: Documented] = [:]
        /// The replayed alerts observed in the period.
        var alerts: [Alert] = []
    }

    /// An exposure's identity across snapshots: its site may be set later (an order
    /// without a site takes the only line in place), never its start.
    struct ExposureSlot: Hashable, Sendable {
        var order: String?
        var entryID: String
        var start: Instant
    }

    /// One assessment: the exposed site and the time.
    struct AssessmentSlot: Hashable, Sendable {
        var site: CanonicalSite?
        var time: Instant
    }

    /// What the rows of one assessment documented together.
    struct Documented: Hashable, Sendable {
        var signs: Set<SignKind> = []
        var lineRemoved = false

        mutating func add(_ other: Documented) {
            signs.formUnion(other.signs)
            lineRemoved = lineRemoved || other.lineRemoved
        }
    }

    /// A builder keeping what falls in `period` for the patients `selection` names, under
    /// `privacy`; `lateWatchDays` is the configured late (calcinosis) watch.
    public init(privacy: PrivacyPolicy, selection: PatientSelection, period: ReportPeriod, lateWatchDays: Int)
    {
        self.privacy = privacy
        self.selection = selection
        self.period = period
        self.lateWatchDays = lateWatchDays
    }

    // MARK: - Taking the replay

    /// Takes one event of the engine's timeline.
    public mutating func add(_ event: TimelineEvent) {
        switch event {
        case .exposures(let key, let location, let exposures):
            let key = resolve(key)
            update(key) { collected in
                if location != nil { collected.location = location }
                for exposure in exposures { Self.upsert(exposure, into: &collected.exposures) }
            }
            for exposure in exposures {
                note(exposure.effectiveStart)
                if let end = exposure.effectiveEnd { note(end) }
            }
        case .assessment(let assessment):
            note(assessment.time)
            guard period.contains(assessment.time) else { return }
            update(resolve(assessment.patient)) { collected in
                collected.assessments[
                    AssessmentSlot(site: assessment.site, time: assessment.time), default: Documented()
                ]
                .add(Documented(signs: Set(assessment.signs), lineRemoved: assessment.lineRemoved))
            }
        case .merged(let old, let survivor):
            let from = resolve(old)
            let to = resolve(survivor)
            guard from != to else { return }
            merges[from] = to
            guard let merged = patients.removeValue(forKey: from) else { return }
            update(to) { collected in
                collected.arrival = min(collected.arrival, merged.arrival)
                if collected.location == nil { collected.location = merged.location }
                for exposure in merged.exposures.values.joined() {
                    Self.upsert(exposure, into: &collected.exposures)
                }
                for (slot, documented) in merged.assessments {
                    collected.assessments[slot, default: Documented()].add(documented)
                }
                collected.alerts += merged.alerts
            }
        }
    }

    /// Takes one alert the replay raised.
    public mutating func add(_ alert: Alert) {
        note(alert.observedAt)
        guard period.contains(alert.observedAt) else { return }
        update(resolve(alert.patientKey)) { $0.alerts.append(alert) }
    }

    private mutating func note(_ time: Instant) {
        if firstTime == nil || time < firstTime! { firstTime = time }
        if lastTime == nil || time > lastTime! { lastTime = time }
    }

    private func resolve(_ key: PatientKey) -> PatientKey {
        var current = key
        var steps = 0
        while let next = merges[current], steps < 100 {
            current = next
            steps += 1
        }
        return current
    }

    /// Changes the record of `key` in place (made when missing).
    private mutating func update(_ key: PatientKey, _ change: (inout Collected) -> Void) {
        if patients[key] == nil {
            patients[key] = Collected(arrival: arrivals)
            arrivals += 1
        }
        change(&patients[key]!)
    }

    /// Keeps the latest state of `exposure`: it replaces the one at the same site, or the
    /// unsited one it placed.
    private static func upsert(_ exposure: SiteExposure, into exposures: inout [ExposureSlot: [SiteExposure]])
    {
        let slot = ExposureSlot(order: exposure.orderNumber, entryID: exposure.entryID, start: exposure.start)
        var states = exposures[slot] ?? []
        if let index = states.firstIndex(where: { $0.site == exposure.site }) {
            states[index] = exposure
        } else if exposure.site != nil, let index = states.firstIndex(where: { $0.site == nil }) {
            states[index] = exposure
        } else if exposure.site != nil || states.isEmpty {
            states.append(exposure)
        }
        exposures[slot] = states
    }

    // MARK: - The report

    /// The report: the patients selected with what the period holds of them, every alert
    /// joined with the journal's `rows` (``Review/AlertLedger/all``), and the figures.
    public func build(journal rows: [AlertLedger.Row], header: ReportHeader) -> ReviewReport {
        let coveredFrom = self.coveredFrom
        let coveredUntil = period.until ?? lastTime
        var journal: [String: AlertLedger.Row] = [:]
        for row in rows where journal[row.alert.id] == nil { journal[row.alert.id] = row }

        var sections: [(first: Instant, arrival: Int, key: PatientKey, collected: Collected)] = []
        for (key, collected) in patients where selection.includes(identifier: key.identifier) {
            let times =
                collected.exposures.values.joined().filter(isShown).map(\.effectiveStart)
                + collected.assessments.keys.map(\.time) + collected.alerts.map(\.observedAt)
            guard let first = times.min() else { continue }
            sections.append((first, collected.arrival, key, collected))
        }
        sections.sort { ($0.first, $0.arrival) < ($1.first, $1.arrival) }

        var number = 0
        var alerts: [ReportAlert] = []
        var used: Set<String> = []
        var timelines: [PatientTimeline] = []
        for (index, section) in sections.enumerated() {
            let label = patientLabel(section.key.identifier, index: index + 1)
            let location = privacy.location(section.collected.location)
            var sites: [SiteTimeline] = []
            for site in Self.sites(of: section.collected, shown: isShown) {
                let siteAlerts = section.collected.alerts.filter { $0.site == site }
                    .sorted { ($0.observedAt, $0.id) < ($1.observedAt, $1.id) }
                var rows: [ReportAlert] = []
                for alert in siteAlerts where !used.contains(alert.id) {
                    used.insert(alert.id)
                    number += 1
                    let row = joined(alert, number: number, patient: label, journal: journal[alert.id])
                    rows.append(row)
                    alerts.append(row)
                }
                sites.append(
                    SiteTimeline(
                        site: site?.name,
                        exposures: section.collected.exposures.values.joined()
                            .filter { $0.site == site && isShown($0) }
                            .sorted { ($0.effectiveStart, $0.drug) < ($1.effectiveStart, $1.drug) }
                            .map(bar),
                        assessments: section.collected.assessments.filter { $0.key.site == site }
                            .map {
                                AssessmentMark(
                                    time: $0.key.time, signs: $0.value.signs.map(\.rawValue).sorted(),
                                    lineRemoved: $0.value.lineRemoved)
                            }
                            .sorted { $0.time < $1.time },
                        alerts: rows))
            }
            timelines.append(PatientTimeline(label: label, location: location, sites: sites))
        }

        // The journal's alerts the replay did not raise (not replays'), in the span covered.
        var journalOnly: [(time: Instant?, row: AlertLedger.Row)] = []
        for row in rows where !used.contains(row.alert.id) && !row.alert.replay {
            let observed =
                JournalObservedTime.instant(row.alert.observedAt)
                ?? Instant(seconds: row.alert.writtenAt / 1_000_000)
            if let coveredFrom, observed < coveredFrom { continue }
            if let coveredUntil, observed > coveredUntil { continue }
            guard selection.includes(journalPatient: row.alert.patient) else { continue }
            used.insert(row.alert.id)
            journalOnly.append((observed, row))
        }
        journalOnly.sort {
            ($0.time?.seconds ?? 0, $0.row.alert.writtenAt) < ($1.time?.seconds ?? 0, $1.row.alert.writtenAt)
        }
        for (time, row) in journalOnly {
            number += 1
            alerts.append(journalAlert(row, observedAt: time, number: number))
        }
        return ReviewReport(
            header: header, coveredFrom: coveredFrom, coveredUntil: coveredUntil, patients: timelines,
            alerts: alerts)
    }

    /// Whether an exposure (with its watch) meets the period.
    private func isShown(_ exposure: SiteExposure) -> Bool {
        period.overlaps(
            from: exposure.effectiveStart, to: exposure.effectiveEnd?.adding(hours: exposure.watchWindowHours)
        )
    }

    /// The sites of a patient: those of the exposures shown, by their first start, then
    /// those of assessments and alerts alone; the unsited last.
    private static func sites(of collected: Collected, shown: (SiteExposure) -> Bool) -> [CanonicalSite?] {
        var first: [CanonicalSite?: Instant] = [:]
        for exposure in collected.exposures.values.joined() where shown(exposure) {
            first[exposure.site] = min(
                first[exposure.site] ?? exposure.effectiveStart, exposure.effectiveStart)
        }
        for slot in collected.assessments.keys {
            first[slot.site] = min(first[slot.site] ?? slot.time, slot.time)
        }
        for alert in collected.alerts {
            first[alert.site] = min(first[alert.site] ?? alert.observedAt, alert.observedAt)
        }
        return first.keys.sorted { lhs, rhs in
            if (lhs == nil) != (rhs == nil) { return rhs == nil }
            if first[lhs]! != first[rhs]! { return first[lhs]! < first[rhs]! }
            return (lhs?.name ?? "") < (rhs?.name ?? "")
        }
    }

    /// How the page names patient `identifier`, the `index`th shown.
    private func patientLabel(_ identifier: String, index: Int) -> String {
        switch privacy.mode {
        case .identifiers: return "MRN \(identifier)"
        case .pseudonymized: return "Patient \(privacy.patient(identifier) ?? "#\(index)")"
        case .minimal: return "Patient \(index)"
        }
    }

    private func bar(_ exposure: SiteExposure) -> ExposureBar {
        ExposureBar(
            drug: exposure.drug, order: privacy.order(exposure.orderNumber), start: exposure.effectiveStart,
            end: exposure.effectiveEnd, watchHours: exposure.watchWindowHours,
            lateWatchDays: exposure.calciumEntry ? lateWatchDays : nil)
    }

    /// A replayed alert with its journal entry, when there is one.
    private func joined(_ alert: Alert, number: Int, patient: String, journal row: AlertLedger.Row?)
        -> ReportAlert
    {
        ReportAlert(
            id: alert.id, number: number, kind: alert.kind, severity: alert.severity,
            observedAt: alert.observedAt, patient: patient, location: privacy.location(alert.location),
            site: alert.site?.name, signs: alert.signs.map(\.rawValue), drug: alert.drug,
            order: privacy.order(alert.order), origin: row == nil ? .replayOnly : .replayAndJournal,
            writtenAt: row?.alert.writtenAt, acknowledgement: row?.acknowledgement,
            acknowledgementTrusted: row?.acknowledgementTrusted ?? false, reminded: row?.reminded ?? false)
    }

    /// An alert only the journal holds. Its fields were written under the PHI policy of
    /// the writer, which may not be this one: the patient and location are shown as this
    /// policy lets them out (under `pseudonymized`, a value that is not a pseudonym yet
    /// is made one; under `minimal`, no patient and no order).
    private func journalAlert(_ row: AlertLedger.Row, observedAt: Instant?, number: Int) -> ReportAlert {
        let alert = row.alert
        func pseudonymous(_ value: String?, _ make: (String?) -> String?) -> String? {
            guard let value else { return nil }
            return value.hasPrefix("p-") ? value : make(value)
        }
        let patient: String?
        let location: String?
        switch privacy.mode {
        case .identifiers:
            patient = alert.patient.map { "MRN \($0)" }
            location = alert.location
        case .pseudonymized:
            patient = pseudonymous(alert.patient, privacy.patient).map { "Patient \($0)" }
            location = pseudonymous(alert.location, privacy.location)
        case .minimal:
            patient = nil
            location = alert.location
        }
        return ReportAlert(
            id: alert.id, number: number, kind: alert.kind, severity: alert.severity, observedAt: observedAt,
            patient: patient, location: location, site: alert.site, signs: alert.signs, drug: alert.drug,
            order: privacy.order(alert.order), origin: .journalOnly, writtenAt: alert.writtenAt,
            acknowledgement: row.acknowledgement, acknowledgementTrusted: row.acknowledgementTrusted,
            reminded: row.reminded)
    }
}
