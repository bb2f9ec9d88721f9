import ClinicalEvents
import HL7
import Sites

extension SurveillanceEngine {
    // MARK: - RAS^O17 / RAS^O01

    /// Administrations: one of a known order belongs to that order's exposure (extends,
    /// never splits it); one of an unknown order is an exposure of its own. `NA`/`RE`
    /// gave nothing; RXA-21 `D` removes a prior administration, `U` updates it (an
    /// update to `NA`/`RE` removes it).
    mutating func applyAdministrations(
        _ administrations: PreparedAdministrations, key: PatientKey, source: MessageSource
    )
        -> Result<[Alert], MessageRejection>
    {
        let resolved = state.resolve(key)
        let (taken, slot) = takeRecord(resolved)
        var record = taken
        record.update(administrations.visit)
        var alerts: [Alert] = []
        for administration in administrations.events {
            apply(administration, to: &record)
            // Notes (RXA-9, NTE) are read at the administration's site, at RXA-3.
            if let notes = administration.notes {
                alerts += assessNotes(
                    notes, of: administration, in: &record, controlID: administrations.controlID,
                    source: source)
            }
        }
        putRecord(record, key: resolved, slot: slot)
        return .success(alerts)
    }

    /// An administration. The catalog entry of its give code is looked up (with the
    /// preparer's memos) only for an administration of no known order.
    private mutating func apply(_ administration: PreparedAdministration, to record: inout PatientRecord) {
        let event = administration.event
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
                if administration.siteSent, let site = administration.site {
                    Self.move(&record.orders[index], to: site, at: event.start)
                }
            }
            record.orders[index].applyAdministrations()
            return
        }
        record.standaloneAdministrations.removeAll { $0.identity == identity }
        guard !removes, let match = preparer.catalogMatch(giveCode: event.giveCode, components: []) else {
            return
        }
        let site = administration.site
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
    mutating func applyMerge(_ merge: PreparedMerge, into key: PatientKey) -> Result<
        [Alert], MessageRejection
    > {
        let old = merge.old
        let from = state.resolve(old)
        let to = state.resolve(key)
        guard from != to else { return .success([]) }
        var survivor = heldRecordIndex(to).map { state.patients.values[$0] } ?? PatientRecord(key: to)
        if let index = heldRecordIndex(from) {
            let merged = state.patients.remove(at: index).value
            recordUse[from] = nil
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
        if let birth = merge.birthDate { survivor.birthDate = birth }
        survivor.update(merge.visit)
        pruneSchedule.recordChanged(to)
        pruneSchedule.schedule(from, dueAt: nil)
        state.patients[to] = survivor
        state.merges[from] = to
        changes.patients.formUnion([from, to])
        return .success([])
    }
}
