import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// All sign-bearing observations of one message that resolve to one exposed site.
struct AssessmentDraft {
    var target: ExposureTarget
    var time: Instant
    var signs: Set<SignKind>
    var controlID: String
    /// The observations behind it (OBX-3 and sub-ID) and the signs each documented.
    var sources: [String: Set<SignKind>] = [:]
    /// Whether every observation behind it is a correction (OBX-11 `C`).
    var onlyCorrections = true
}

extension SurveillanceEngine {
    // MARK: - Raising alerts

    mutating func raiseAcute(
        _ draft: AssessmentDraft, record: inout PatientRecord, visit: String?, location: String?,
        source: MessageSource
    ) -> Alert? {
        if timeline != nil { recordAssessment(draft, patient: record.key) }
        let exposure = draft.target.exposure
        let index = record.episodeIndex(for: draft.target.episode)
        var episode = record.episodes[index]
        for (key, documented) in draft.sources
        where episode.documentedSigns[key] == nil || !draft.onlyCorrections {
            episode.documentedSigns[key] = documented
        }
        let factors = riskFactors(of: record, at: draft.time)
        let current = episode.currentSigns
        let signs = current.union(draft.signs)
        let severity = Severity.assess(
            risk: exposure.risk, signs: signs, riskFactors: factors,
            infusionActive: draft.target.infusionActive)
        let kind: AlertKind
        if episode.lastSeverity == nil {
            kind = .extravasationSuspected
        } else if !draft.signs.isSubset(of: episode.alertedSigns) || severity > episode.lastSeverity! {
            // A sign corrected away and documented again is not new: alerted before.
            kind = .extravasationEscalated
        } else {
            return nil
        }
        episode.alertedSigns.formUnion(signs)
        episode.lastSeverity = severity
        let sequence = episode.nextSequence(for: kind)
        record.episodes[index] = episode
        return makeAlert(
            kind: kind, sequence: sequence, severity: severity, signs: signs, factors: factors, draft: draft,
            record: record, visit: visit, location: location, source: source)
    }

    mutating func raiseCalcinosis(
        _ draft: AssessmentDraft, record: inout PatientRecord, visit: String?, location: String?,
        source: MessageSource
    ) -> Alert? {
        if timeline != nil { recordAssessment(draft, patient: record.key) }
        let index = record.episodeIndex(for: draft.target.episode)
        guard !record.episodes[index].calcinosisAlerted else { return nil }
        record.episodes[index].calcinosisAlerted = true
        let sequence = record.episodes[index].nextSequence(for: .calcinosisSuspected)
        return makeAlert(
            kind: .calcinosisSuspected, sequence: sequence, severity: .high, signs: [.calcinosis],
            factors: riskFactors(of: record, at: draft.time), draft: draft, record: record, visit: visit,
            location: location, source: source)
    }

    private func makeAlert(
        kind: AlertKind, sequence: Int, severity: Severity, signs: Set<SignKind>, factors: Set<RiskFactor>,
        draft: AssessmentDraft, record: PatientRecord, visit: String?, location: String?,
        source: MessageSource
    ) -> Alert {
        let exposure = draft.target.exposure
        return Alert(
            id: AlertIdentifier.make(
                patient: record.key, site: draft.target.site, exposureStart: exposure.start, kind: kind,
                sequence: sequence, key: settings.identityKey),
            kind: kind, severity: severity, observedAt: draft.time, patient: record.key.identifier,
            patientKey: record.key, visit: visit, location: location, site: draft.target.site,
            observedSite: draft.target.observedSite, siteMatch: draft.target.match, signs: signs.sorted(),
            drug: exposure.drug, order: exposure.orderNumber, infusionActive: draft.target.infusionActive,
            riskFactors: factors.sorted(), controlID: draft.controlID, source: source,
            exposureStartedAt: exposure.start, catalogEntry: exposure.entryID)
    }
}
