import ClinicalEvents
import HL7
import Signs
import Sites

extension SurveillanceEngine {
    // MARK: - RXA-9 and NTE: signs charted with an administration

    /// The identifier an administration's notes are read under: a note about the
    /// infusion's site, read as text (DESIGN §3: "read for signs at the
    /// administration's site, like a nursing note").
    static let administrationNoteIdentifier = CodedValue(
        code: "RXA-9", text: "IV infusion administration note", system: "")

    /// Reads an administration's notes (RXA-9, NTE after the RXA) for signs at its site,
    /// at RXA-3, through the same assessment path as a nursing observation: the note
    /// is an observation whose value is its text and whose site is the
    /// administration's (RXR-2 of the RAS, else the site of its order's exposure at
    /// RXA-3). One administration is one assessment: it raises at most one acute alert.
    /// A deleted administration (RXA-21 `D`) says nothing (its notes are not read:
    /// ``MessagePreparer/administrations(_:)``).
    mutating func assessNotes(
        _ reading: ObservationReading, of administration: PreparedAdministration,
        in record: inout PatientRecord,
        controlID: String, source: MessageSource
    ) -> [Alert] {
        let event = administration.event
        var signs = reading.signs
        signs.remove(.calcinosis)
        guard !signs.isEmpty || reading.calcinosisFinding else { return [] }
        let time = event.start
        let observed = administrationSite(of: administration, in: record, at: time)
        let key = "RXA|\(event.identity)"
        var alerts: [Alert] = []
        if !signs.isEmpty, let target = target(in: record, observed: observed, at: time, late: false) {
            var draft = AssessmentDraft(target: target, time: time, signs: signs, controlID: controlID)
            draft.sources[key] = signs
            draft.onlyCorrections = false
            if let alert = raiseAcute(
                draft, record: &record, visit: record.visit, location: record.location, source: source)
            {
                alerts.append(alert)
            }
        }
        if reading.calcinosisFinding,
            let target = target(in: record, observed: observed, at: time, late: true)
        {
            let draft = AssessmentDraft(
                target: target, time: time, signs: [.calcinosis], controlID: controlID)
            if let alert = raiseCalcinosis(
                draft, record: &record, visit: record.visit, location: record.location, source: source)
            {
                alerts.append(alert)
            }
        }
        return alerts
    }

    /// Where an administration flowed: RXR-2 of the RAS, else the site of its order's
    /// exposure watched at `time` (`nil` when neither names one).
    private func administrationSite(
        of administration: PreparedAdministration, in record: PatientRecord, at time: Instant
    )
        -> CanonicalSite?
    {
        if let site = administration.site { return site }
        let event = administration.event
        guard
            let order = record.orders.first(where: {
                $0.isNamed(placer: event.placerNumber, filler: event.fillerNumber)
            })
        else { return nil }
        return order.exposures.last(where: { $0.site != nil && $0.isWatched(at: time) })?.site
    }
}
