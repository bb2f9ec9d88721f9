import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// One OBX of an ORU message, with what the engine reads from it.
struct ObservationItem {
    var segment: Segment
    /// `OBX[n]`, for rejections.
    var label: String
    /// Index of the OBR group (0 before any OBR).
    var group: Int
    /// OBX-4, the sub-ID that ties observations about the same site together.
    var subID: String
    /// OBX-14, else OBR-7, else MSH-7.
    var time: Instant
    /// OBX-11.
    var status: String
}

/// The exposure an observation resolved to.
struct ExposureTarget {
    var site: CanonicalSite
    var match: SiteMatch
    var observedSite: CanonicalSite?
    /// The exposure named in the alert: highest risk at the site, ties the most recently started.
    var exposure: SiteExposure
    /// Whether any exposure at that site was flowing at the observation time.
    var infusionActive: Bool
}

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
    // MARK: - ORU^R01

    mutating func applyObservations(_ message: Message, key: PatientKey, time messageTime: Instant, source: MessageSource)
        -> Result<[Alert], MessageRejection>
    {
        // Read and validate everything first: a rejected message changes nothing.
        var items: [ObservationItem] = []
        var group = 0
        var groupTime: Instant? = nil
        var occurrence = 0
        for segment in message.segments {
            if segment.id == "OBR" {
                group += 1
                groupTime = nil
                if segment[7].hasValue {
                    guard let time = settings.times.instant(segment[7]) else {
                        return .failure(MessageRejection(location: "OBR-7", reason: "not a valid HL7 date/time"))
                    }
                    groupTime = time
                }
            } else if segment.id == "OBX" {
                occurrence += 1
                let label = occurrence == 1 ? "OBX" : "OBX[\(occurrence)]"
                var time = groupTime ?? messageTime
                if segment[14].hasValue {
                    guard let observed = settings.times.instant(segment[14]) else {
                        return .failure(MessageRejection(location: "\(label)-14", reason: "not a valid HL7 date/time"))
                    }
                    time = observed
                }
                items.append(
                    ObservationItem(
                        segment: segment, label: label, group: group, subID: segment[4].string, time: time,
                        status: segment[11].value?.uppercased() ?? ""))
            }
        }
        let resolved = state.resolve(key)
        var record = state.patients[resolved] ?? PatientRecord(key: resolved)
        let pv1 = message.segment("PV1")
        let visit = pv1.flatMap { $0[19].component(1).value } ?? record.visit
        let location = pv1.flatMap(Self.location) ?? record.location
        let live = items.filter { !["D", "W", "X"].contains($0.status) }

        // Labs.
        var readings: [(item: ObservationItem, reading: ObservationReading)] = []
        for item in live {
            if let result = labResult(item) {
                record.labs.append(result)
            } else {
                readings.append((item, reading(item.segment)))
            }
        }
        // Sites named by site-location observations, per OBR group and sub-ID.
        var namedSites: [String: CanonicalSite] = [:]
        for (item, reading) in readings where reading.isSiteLocation {
            let value = item.segment[5].repetition(1)
            let coded = CodedValue(value)
            var site = settings.sites.site(code: coded.code, text: coded.text, codingSystem: coded.system)
            if site == nil, let text = reading.siteText { site = settings.sites.site(freeText: text) }
            if let site { namedSites["\(item.group)|\(item.subID)"] = site }
        }
        func observedSite(_ item: ObservationItem) -> CanonicalSite? {
            let bodySite = item.segment[20]
            if bodySite.hasValue {
                let coded = CodedValue(bodySite)
                if let site = settings.sites.site(code: coded.code, text: coded.text, codingSystem: coded.system) {
                    return site
                }
            }
            if let site = namedSites["\(item.group)|\(item.subID)"] { return site }
            let identifier = CodedValue(item.segment[3])
            if let site = settings.sites.site(freeText: identifier.displayText) { return site }
            for repetition in item.segment[5].repetitions {
                if let site = settings.sites.site(freeText: repetition.string) { return site }
            }
            return nil
        }

        // Acute signs and calcinosis findings, grouped into assessments per exposed site.
        var acute: [String: AssessmentDraft] = [:]
        var calcinosis: [String: AssessmentDraft] = [:]
        var removals: [(site: CanonicalSite?, time: Instant)] = []
        var corrections: [(key: String, signs: Set<SignKind>, target: ExposureTarget)] = []
        let imagingOrder = message.segments("OBR").contains { Self.namesImaging(CodedValue($0[4]).displayText) }
        for (item, reading) in readings where !reading.isSiteLocation {
            // Imaging reports describe findings ("soft tissue swelling"), not nursing signs:
            // only their calcinosis findings count.
            let imaging = imagingOrder || Self.namesImaging(CodedValue(item.segment[3]).displayText)
            let signs = imaging ? [] : reading.signs.subtracting([.calcinosis])
            let correction = item.status == "C"
            // Most observations are normal: resolve a site only for those that need one.
            guard !signs.isEmpty || reading.calcinosisFinding || reading.isLineRemoval || correction else { continue }
            let named = observedSite(item)
            if reading.isLineRemoval { removals.append((named, item.time)) }
            let key = Self.observationKey(item)
            let acuteTarget =
                correction || !signs.isEmpty ? target(in: record, observed: named, at: item.time, late: false) : nil
            if correction, let target = acuteTarget { corrections.append((key, signs, target)) }
            if !signs.isEmpty, let target = acuteTarget {
                add(signs, target: target, time: item.time, controlID: message.controlID, to: &acute)
                acute[target.site.name]?.sources[key, default: []].formUnion(signs)
                if !correction { acute[target.site.name]?.onlyCorrections = false }
            }
            if reading.calcinosisFinding, let target = target(in: record, observed: named, at: item.time, late: true) {
                add([.calcinosis], target: target, time: item.time, controlID: message.controlID, to: &calcinosis)
            }
        }
        // Corrections replace what the same observation documented before.
        for correction in corrections {
            let identity = correction.target.exposure.identity
            guard let index = record.episodes.firstIndex(where: { $0.exposure == identity }) else { continue }
            record.episodes[index].correct(observation: correction.key, signs: correction.signs)
        }
        var alerts: [Alert] = []
        for name in acute.keys.sorted() {
            if let alert = raiseAcute(acute[name]!, record: &record, visit: visit, location: location, source: source) {
                alerts.append(alert)
            }
        }
        for name in calcinosis.keys.sorted() {
            if let alert = raiseCalcinosis(
                calcinosis[name]!, record: &record, visit: visit, location: location, source: source)
            {
                alerts.append(alert)
            }
        }
        for removal in removals { removeLine(at: removal.site, time: removal.time, in: &record) }
        state.patients[resolved] = record
        return .success(alerts)
    }

    private func add(
        _ signs: Set<SignKind>, target: ExposureTarget, time: Instant, controlID: String,
        to drafts: inout [String: AssessmentDraft]
    ) {
        let name = target.site.name
        if var draft = drafts[name] {
            draft.signs.formUnion(signs)
            if target.match.strength > draft.target.match.strength {
                draft.target.match = target.match
                draft.target.observedSite = target.observedSite
            }
            drafts[name] = draft
        } else {
            drafts[name] = AssessmentDraft(target: target, time: time, signs: signs, controlID: controlID)
        }
    }

    // MARK: - Resolving the exposure

    /// The exposed site an observation at `time` refers to: the observed site's best
    /// match among the sites under watch (or, for calcinosis, under the late watch at a
    /// calcium entry), else, without an observed site, the patient's only site under
    /// (acute) watch.
    func target(in record: PatientRecord, observed: CanonicalSite?, at time: Instant, late: Bool) -> ExposureTarget? {
        let watched = record.exposures.filter { exposure in
            guard exposure.site != nil else { return false }
            return late
                ? exposure.isUnderLateWatch(at: time, lateWatchDays: settings.lateWatchDays)
                : exposure.isWatched(at: time)
        }
        var best: (site: CanonicalSite, match: SiteMatch)? = nil
        if let observed {
            for exposure in watched {
                guard let site = exposure.site, let kind = siteMatch(observed: observed, exposed: site) else { continue }
                let match = SiteMatch(kind)
                if best == nil || match.strength > best!.match.strength
                    || (match.strength == best!.match.strength && site < best!.site)
                {
                    best = (site, match)
                }
            }
        } else {
            let acuteSites = Set(
                record.exposures.filter { $0.site != nil && $0.isWatched(at: time) }.compactMap(\.site))
            if acuteSites.count == 1, let only = acuteSites.first, watched.contains(where: { $0.site == only }) {
                best = (only, .soleSite)
            }
        }
        guard let best else { return nil }
        let atSite = watched.filter { $0.site == best.site }
        guard
            let chosen = atSite.max(by: { ($0.risk, $0.start) < ($1.risk, $1.start) })
        else { return nil }
        return ExposureTarget(
            site: best.site, match: best.match, observedSite: best.match == .soleSite ? nil : observed,
            exposure: chosen, infusionActive: atSite.contains { $0.isActive(at: time) })
    }

    // MARK: - Raising alerts

    private mutating func raiseAcute(
        _ draft: AssessmentDraft, record: inout PatientRecord, visit: String?, location: String?,
        source: MessageSource
    ) -> Alert? {
        let exposure = draft.target.exposure
        let index = record.episodeIndex(for: exposure.identity)
        var episode = record.episodes[index]
        for (key, documented) in draft.sources where episode.documentedSigns[key] == nil || !draft.onlyCorrections {
            episode.documentedSigns[key] = documented
        }
        let factors = riskFactors(of: record, at: draft.time)
        let current = episode.currentSigns
        let signs = current.union(draft.signs)
        let severity = Severity.assess(
            risk: exposure.risk, signs: signs, riskFactors: factors, infusionActive: draft.target.infusionActive)
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

    private mutating func raiseCalcinosis(
        _ draft: AssessmentDraft, record: inout PatientRecord, visit: String?, location: String?,
        source: MessageSource
    ) -> Alert? {
        let exposure = draft.target.exposure
        let index = record.episodeIndex(for: exposure.identity)
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
        draft: AssessmentDraft, record: PatientRecord, visit: String?, location: String?, source: MessageSource
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

    // MARK: - Line removal

    /// A documented catheter removal ends the running exposures at that site (the
    /// watch window starts). Without a site, the patient's only running site.
    private func removeLine(at site: CanonicalSite?, time: Instant, in record: inout PatientRecord) {
        let running = record.exposures.filter { $0.site != nil && $0.isActive(at: time) }.compactMap(\.site)
        let targets: Set<CanonicalSite>
        if let site {
            targets = Set(running.filter { siteMatch(observed: site, exposed: $0) != nil })
        } else {
            let distinct = Set(running)
            targets = distinct.count == 1 ? distinct : []
        }
        guard !targets.isEmpty else { return }
        for order in record.orders.indices {
            for index in record.orders[order].exposures.indices {
                let exposure = record.orders[order].exposures[index]
                guard let exposureSite = exposure.site, targets.contains(exposureSite), exposure.isActive(at: time)
                else { continue }
                record.orders[order].exposures[index].end = time
            }
        }
    }

    // MARK: - Reading OBX

    /// Whether an observation or order name is an imaging study (X-ray, ultrasound, CT, MRI).
    static func namesImaging(_ text: String) -> Bool {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-") }
        return words.contains { word in
            ["x-ray", "xray", "xr", "radiograph", "radiography", "ultrasound", "sonography", "imaging", "radiology",
             "ct", "mri", "us"].contains(String(word))
        }
    }

    /// Which observation an OBX is, for corrections: OBX-3 and OBX-4.
    static func observationKey(_ item: ObservationItem) -> String {
        let identifier = CodedValue(item.segment[3])
        return "\(identifier.code)|\(identifier.text)|\(item.subID)"
    }

    /// The sign reading of an OBX, from the cache when the same row was read before.
    mutating func reading(_ obx: Segment) -> ObservationReading {
        let input = observationInput(obx)
        let key = ReadingCache.Key(valueType: input.valueType, identifier: input.identifier, values: input.values)
        if let cached = readingCache.readings[key] { return cached }
        let reading = settings.signs.read(input)
        readingCache.store(reading, for: key)
        return reading
    }

    func observationInput(_ obx: Segment) -> ObservationInput {
        let identifier = CodedValue(obx[3])
        let values = obx[5].repetitions.filter { !$0.isEmpty }.map { repetition in
            ObservationValue(text: repetition.string, components: repetition.components.map(\.string))
        }
        return ObservationInput(
            valueType: obx[2].value?.uppercased() ?? "",
            identifier: CodedElement(code: identifier.code, text: identifier.text, codingSystem: identifier.system),
            values: values)
    }
}

/// Memoised sign readings, bounded: cleared when it grows past its limit.
struct ReadingCache: Sendable {
    struct Key: Hashable, Sendable {
        var valueType: String
        var identifier: CodedElement
        var values: [ObservationValue]
    }

    private(set) var readings: [Key: ObservationReading] = [:]
    let limit = 8_192

    mutating func store(_ reading: ObservationReading, for key: Key) {
        if readings.count >= limit { readings.removeAll(keepingCapacity: true) }
        readings[key] = reading
    }
}

extension SiteMatch {
    init(_ kind: SiteMatchKind) {
        switch kind {
        case .exact: self = .exact
        case .contained: self = .contained
        case .unlateralized: self = .unlateralized
        case .soleSite: self = .soleSite
        }
    }
}
