import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

extension SurveillanceEngine {
    // MARK: - ORU^R01

    /// Applies what an ORU documents (read by ``MessagePreparer/observations(_:messageTime:)``):
    /// labs to the record, lines in place as of the message (before its signs are read),
    /// then its signs, grouped into assessments per exposed site, raise or escalate
    /// alerts; corrections replace what the same observation documented before;
    /// removals end lines and their exposures.
    mutating func applyObservations(
        _ observations: PreparedObservations, of message: Message, key: PatientKey, source: MessageSource
    )
        -> Result<[Alert], MessageRejection>
    {
        let resolved = state.resolve(key)
        // A message that documents nothing of this kind (vital signs: most rows) leaves a
        // known patient's record as it is: it is neither taken out nor listed as changed.
        if !observations.documentsAnything && heldRecordIndex(resolved) != nil {
            return .success([])
        }
        var (record, slot) = takeRecord(resolved)
        record.labs.append(contentsOf: observations.labs)
        // Lines documented in this message are in place as of it (before its signs are read).
        if !observations.lines.isEmpty { chartLines(observations.lines, in: &record) }
        if timeline != nil { recordLineAssessments(observations, in: record) }
        // Most messages assert nothing: the record goes back as it is.
        if observations.readings.isEmpty {
            putRecord(consume record, key: resolved, slot: slot)
            return .success([])
        }
        // Acute signs and calcinosis findings, grouped into assessments per exposed site.
        var acute: [String: AssessmentDraft] = [:]
        var calcinosis: [String: AssessmentDraft] = [:]
        var removals: [(site: CanonicalSite?, time: Instant)] = []
        var corrections: [(key: String, signs: Set<SignKind>, target: ExposureTarget)] = []
        // Acute targets found among the sites under watch, by observed site, time and
        // whether the row is about a catheter (a few per message).
        var sitedTargets:
            [(observed: CanonicalSite?, time: Instant, aboutCatheter: Bool, target: ExposureTarget)] =
                []
        for observation in observations.readings {
            let signs = observation.signs
            let named = observation.observedSite
            let time = observation.time
            if observation.lineRemoval { removals.append((named, time)) }
            var acuteTarget: ExposureTarget? = nil
            if observation.correction || !signs.isEmpty {
                // The signs of one site are usually charted in several rows at one time:
                // a target found among the sites under watch (its record unchanged
                // meanwhile) is found once. An unsited one depends on the row: never reused.
                if let known = sitedTargets.first(where: {
                    $0.observed == named && $0.time == time && $0.aboutCatheter == observation.aboutCatheter
                }) {
                    acuteTarget = known.target
                } else {
                    acuteTarget = target(
                        in: record, observed: named, at: time, late: false,
                        aboutCatheter: observation.aboutCatheter, catheterRow: observation.catheterRow)
                    if let found = acuteTarget, found.match != .unsited, sitedTargets.count < 8 {
                        sitedTargets.append((named, time, observation.aboutCatheter, found))
                    }
                }
            }
            let key = observation.key
            if observation.correction, let target = acuteTarget { corrections.append((key, signs, target)) }
            if !signs.isEmpty, let target = acuteTarget {
                add(signs, target: target, time: time, controlID: message.controlID, to: &acute) { draft in
                    draft.sources[key, default: []].formUnion(signs)
                    if !observation.correction { draft.onlyCorrections = false }
                }
            }
            if observation.calcinosisFinding,
                let target = target(
                    in: record, observed: named, at: time, late: true,
                    aboutCatheter: observation.aboutCatheter)
            {
                add([.calcinosis], target: target, time: time, controlID: message.controlID, to: &calcinosis)
            }
        }
        // Corrections replace what the same observation documented before.
        for correction in corrections {
            let identity = correction.target.episode
            guard let index = record.episodes.firstIndex(where: { $0.exposure == identity }) else { continue }
            record.episodes[index].correct(observation: correction.key, signs: correction.signs)
        }
        var alerts: [Alert] = []
        // Visit and location as of this message, for the alerts (most messages raise none).
        var visit: String? = nil
        var location: String? = nil
        if !acute.isEmpty || !calcinosis.isEmpty {
            let pv1 = message.segment("PV1")
            visit = pv1.flatMap { $0[19].component(1).value } ?? record.visit
            location = pv1.flatMap(Self.location) ?? record.location
        }
        for name in Self.sortedKeys(acute) {
            if let alert = raiseAcute(
                acute[name]!, record: &record, visit: visit, location: location, source: source)
            {
                alerts.append(alert)
            }
        }
        for name in Self.sortedKeys(calcinosis) {
            if let alert = raiseCalcinosis(
                calcinosis[name]!, record: &record, visit: visit, location: location, source: source)
            {
                alerts.append(alert)
            }
        }
        for removal in removals { removeLine(at: removal.site, time: removal.time, in: &record) }
        if !removals.isEmpty { settleUnsitedExposures(in: &record, at: removals.map(\.time).max()!) }
        putRecord(consume record, key: resolved, slot: slot)
        return .success(alerts)
    }

    /// Adds `signs` to the draft of `target`'s exposed site (made when missing), then
    /// `update`s that draft. The draft is changed where it lies in `drafts`.
    private func add(
        _ signs: Set<SignKind>, target: ExposureTarget, time: Instant, controlID: @autoclosure () -> String,
        to drafts: inout [String: AssessmentDraft], then update: (inout AssessmentDraft) -> Void = { _ in }
    ) {
        let name = target.draftKey
        if let index = drafts.index(forKey: name) {
            drafts.values[index].signs.formUnion(signs)
            if target.match.strength > drafts.values[index].target.match.strength {
                drafts.values[index].target.match = target.match
                drafts.values[index].target.observedSite = target.observedSite
            }
            update(&drafts.values[index])
        } else {
            var draft = AssessmentDraft(target: target, time: time, signs: signs, controlID: controlID())
            update(&draft)
            drafts[name] = draft
        }
    }

    /// The keys of a message's drafts in order (most messages have none, and sorting
    /// one key needs no sort).
    static func sortedKeys(_ drafts: [String: AssessmentDraft]) -> [String] {
        switch drafts.count {
        case 0: return []
        case 1: return [drafts.first!.key]
        default: return drafts.keys.sorted()
        }
    }
}
