import ClinicalEvents
import HL7
import Sites

extension SurveillanceEngine {
    // MARK: - RAS^O17 / RAS^O01

    /// Administrations: one of a known order belongs to that order's exposure (extends,
    /// never splits it); one of an unknown order is an exposure of its own. `NA`/`RE`
    /// gave nothing; RXA-21 `D` removes a prior administration, `U` updates it (an
    /// update to `NA`/`RE` removes it).
    mutating func applyAdministrations(_ message: Message, key: PatientKey, source: MessageSource)
        -> Result<[Alert], MessageRejection>
    {
        let events: [AdministrationEvent]
        switch AdministrationEvent.administrations(in: message, times: settings.times) {
        case .failure(let problem):
            return .failure(MessageRejection(location: problem.location, reason: problem.reason))
        case .success(let value): events = value
        }
        let resolved = state.resolve(key)
        let (taken, slot) = takeRecord(resolved)
        var record = taken
        updateVisit(&record, from: message)
        var alerts: [Alert] = []
        for event in events {
            apply(event, to: &record)
            // Notes (RXA-9, NTE) are read at the administration's site, at RXA-3.
            if !event.notes.isEmpty {
                alerts += assessNotes(of: event, in: &record, controlID: message.controlID, source: source)
            }
        }
        putRecord(record, key: resolved, slot: slot)
        return .success(alerts)
    }

    private mutating func apply(_ event: AdministrationEvent, to record: inout PatientRecord) {
        let removes = event.actionCode == "D" || event.notGiven
        let identity = event.identity
        if let index = record.orders.firstIndex(where: {
            $0.isNamed(placer: event.placerNumber, filler: event.fillerNumber)
        }) {
            // Changed in place: a copy of the order would copy its administrations.
            record.orders[index].administrations.removeAll { $0.identity == identity }
            if !removes {
                record.orders[index].administrations.append(
                    AdministrationRecord(identity: identity, start: event.start, end: event.end))
                // Source 2: the MAR's site moves the exposure from this administration on.
                if let coded = event.site, !coded.isEmpty,
                    let site = site(code: coded.code, text: coded.text, system: coded.system)
                {
                    Self.move(&record.orders[index], to: site, at: event.start)
                }
            }
            record.orders[index].applyAdministrations()
            return
        }
        record.standaloneAdministrations.removeAll { $0.identity == identity }
        guard !removes,
            let match = catalogMatch(giveCode: event.giveCode, components: [])
        else { return }
        var site: CanonicalSite? = nil
        if let coded = event.site {
            site = self.site(code: coded.code, text: coded.text, system: coded.system)
        }
        let exposure = SiteExposure(
            site: site, start: event.start, end: max(event.end ?? event.start, event.start),
            orderNumber: event.orderNumber, drug: event.giveCode.displayText, entryID: match.entry.id,
            risk: match.entry.risk, watchWindowHours: match.entry.watchWindowHours,
            calciumEntry: match.entry.calciumEntry)
        record.standaloneAdministrations.append(
            StandaloneAdministration(identity: identity, exposure: exposure))
        if site == nil { settleUnsitedExposures(in: &record, at: event.start) }
    }

    // MARK: - ADT^A40 / A34 / A36

    /// A merge: the state under MRG-1 moves to the PID-3 identifier, which survives;
    /// later messages naming the old identifier reach the surviving record.
    mutating func applyMerge(_ message: Message, into key: PatientKey) -> Result<[Alert], MessageRejection> {
        guard let mrg = message.segment("MRG") else {
            return .failure(MessageRejection(location: "MRG", reason: "a merge without an MRG segment"))
        }
        guard let old = PatientKey(identifiers: mrg[1]) else {
            return .failure(MessageRejection(location: "MRG-1", reason: "no prior patient identifier"))
        }
        let from = state.resolve(old)
        let to = state.resolve(key)
        guard from != to else { return .success([]) }
        var survivor = state.patients[to] ?? PatientRecord(key: to)
        if let merged = state.patients.removeValue(forKey: from) {
            survivor.birthDate = survivor.birthDate ?? merged.birthDate
            survivor.visit = survivor.visit ?? merged.visit
            survivor.location = survivor.location ?? merged.location
            survivor.labs += merged.labs
            survivor.orders += merged.orders
            survivor.standaloneAdministrations += merged.standaloneAdministrations
            for line in merged.lines where !survivor.lines.contains(where: { $0.site == line.site }) {
                survivor.lines.append(line)
            }
            for episode in merged.episodes
            where !survivor.episodes.contains(where: { $0.exposure == episode.exposure }) {
                survivor.episodes.append(episode)
            }
        }
        if let pid = message.segment("PID"), let birth = pid[7].component(1).value, HL7Timestamp(birth) != nil
        {
            survivor.birthDate = birth
        }
        updateVisit(&survivor, from: message)
        schedulePruning(of: survivor, key: to)
        pruneSchedule.schedule(from, dueAt: nil)
        state.patients[to] = survivor
        state.merges[from] = to
        changes.patients.formUnion([from, to])
        return .success([])
    }
}
