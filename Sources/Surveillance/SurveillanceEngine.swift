import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// The surveillance engine: HL7 messages in, state changes and alerts out.
///
/// It does no I/O and reads no clock: every time comes from the messages (MSH-7,
/// ORC-9/15, TQ1, OBX-14, OBR-7), so `replay` and the live daemon run the same code
/// and the same feed always gives the same alerts. The state is a value
/// (``SurveillanceState``) that callers persist as they see fit.
public struct SurveillanceEngine: Sendable {
    /// Catalog, vocabularies, zone and windows.
    public var settings: SurveillanceSettings
    /// Everything learned from the messages so far.
    public var state: SurveillanceState
    /// Readings of observations already seen (a pure function of the OBX, and the same
    /// few observation rows recur all day): not state, just saved work.
    var readingCache = ReadingCache()

    /// An engine with the given settings, continuing from `state`.
    public init(settings: SurveillanceSettings, state: SurveillanceState = SurveillanceState()) {
        self.settings = settings
        self.state = state
    }

    /// The kinds of message the engine reads, by MSH-9.
    enum MessageKind: Equatable {
        case demographics, transfer, discharge, merge, order, administration, observation, other

        init(code: String, event: String) {
            switch (code, event) {
            case ("ADT", "A01"), ("ADT", "A04"), ("ADT", "A05"), ("ADT", "A08"): self = .demographics
            case ("ADT", "A02"): self = .transfer
            case ("ADT", "A03"): self = .discharge
            case ("ADT", "A40"), ("ADT", "A34"), ("ADT", "A36"): self = .merge
            case ("RAS", "O17"), ("RAS", "O01"): self = .administration
            case ("RDE", "O11"), ("RDE", "O01"), ("OMP", "O09"), ("ORM", "O01"): self = .order
            case ("ORU", "R01"): self = .observation
            default: self = .other
            }
        }
    }

    /// Applies one message and returns what it raised. A resend (same MSH-3, MSH-4,
    /// MSH-10) changes nothing; a malformed message changes nothing and says why.
    public mutating func process(_ message: Message, source: MessageSource) -> ProcessingOutcome {
        let type = message.messageType
        var event = type.event.uppercased()
        if event.isEmpty, let evn = message.segment("EVN") { event = evn[1].value?.uppercased() ?? "" }
        let kind = MessageKind(code: type.code.uppercased(), event: event)
        guard kind != .other else { return .ignored }
        guard message.header[7].hasValue else {
            return .rejected(MessageRejection(location: "MSH-7", reason: "no message time"))
        }
        guard let messageTime = settings.times.instant(message.header[7]) else {
            return .rejected(MessageRejection(location: "MSH-7", reason: "not a valid HL7 date/time"))
        }
        let identity = MessageIdentity(message)
        let identified = !identity.controlID.isEmpty
        if identified && state.processed[identity] != nil { return .duplicate }
        guard let pid = message.segment("PID") else {
            return .rejected(MessageRejection(location: "PID", reason: "no PID segment: the patient is unknown"))
        }
        guard let key = PatientKey(pid: pid) else {
            return .rejected(MessageRejection(location: "PID-3", reason: "no patient identifier"))
        }
        let result: Result<[Alert], MessageRejection>
        switch kind {
        case .demographics, .transfer, .discharge:
            result = applyAdmission(message, kind: kind, key: key, pid: pid, time: messageTime)
        case .merge:
            result = applyMerge(message, into: key)
        case .order:
            result = applyOrders(message, key: key, time: messageTime)
        case .administration:
            result = applyAdministrations(message, key: key)
        case .observation:
            result = applyObservations(message, key: key, time: messageTime, source: source)
        case .other:
            return .ignored
        }
        switch result {
        case .failure(let rejection):
            return .rejected(rejection)
        case .success(let alerts):
            if identified { state.processed[identity] = messageTime }
            advanceClock(to: messageTime)
            return .processed(alerts)
        }
    }

    // MARK: - ADT

    private mutating func applyAdmission(
        _ message: Message, kind: MessageKind, key: PatientKey, pid: Segment, time: Instant
    ) -> Result<[Alert], MessageRejection> {
        let resolved = state.resolve(key)
        var record = state.patients[resolved] ?? PatientRecord(key: resolved)
        if let birth = pid[7].component(1).value, HL7Timestamp(birth) != nil { record.birthDate = birth }
        updateVisit(&record, from: message)
        switch kind {
        case .discharge: record.dischargedAt = time
        case .demographics where message.messageType.event.uppercased() == "A01": record.dischargedAt = nil
        default: break
        }
        state.patients[resolved] = record
        return .success([])
    }

    func updateVisit(_ record: inout PatientRecord, from message: Message) {
        guard let pv1 = message.segment("PV1") else { return }
        if let location = Self.location(pv1) { record.location = location }
        if let visit = pv1[19].component(1).value { record.visit = visit }
    }

    /// PV1-3 components 1-3 (point of care, room, bed), the sent ones joined by `/`.
    static func location(_ pv1: Segment) -> String? {
        let parts = (1...3).compactMap { pv1[3].component($0).value }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    // MARK: - Orders

    private mutating func applyOrders(_ message: Message, key: PatientKey, time: Instant)
        -> Result<[Alert], MessageRejection>
    {
        let events = OrderEvent.orders(in: message, messageTime: time, times: settings.times)
        let resolved = state.resolve(key)
        var record = state.patients[resolved] ?? PatientRecord(key: resolved)
        updateVisit(&record, from: message)
        for event in events { apply(event, to: &record, messageTime: time) }
        state.patients[resolved] = record
        return .success([])
    }

    private func site(of coded: CodedValue?) -> CanonicalSite? {
        guard let coded, !coded.isEmpty else { return nil }
        return settings.sites.site(code: coded.code, text: coded.text, codingSystem: coded.system)
    }

    private func apply(_ event: OrderEvent, to record: inout PatientRecord, messageTime: Instant) {
        let effective = event.effectiveTime ?? messageTime
        if let index = record.orders.firstIndex(where: { $0.isNamed(by: event) }) {
            var order = record.orders[index]
            if event.endsOrder {
                end(&order, at: effective)
            } else if event.control == "XO" || event.control == "XX" {
                change(&order, with: event, at: effective)
            } else if let plannedEnd = event.end {
                order.plannedEnd = plannedEnd
                for position in order.exposures.indices where order.exposures[position].end == nil {
                    order.exposures[position].end = max(plannedEnd, order.exposures[position].start)
                }
            }
            record.orders[index] = order
            return
        }
        // A new order (or the first we hear of one).
        guard !event.cancelsOrder else { return }
        guard let match = settings.catalog.match(giveCode: triple(event.giveCode), components: event.components.map(triple))
        else { return }
        let start = event.start ?? effective
        var end = event.end
        if event.endsOrder { end = min(end ?? effective, effective) }
        if let end, end < start { return }  // ended before it started: no exposure
        let exposure = SiteExposure(
            site: site(of: event.site), start: start, end: end, orderNumber: event.orderNumber,
            drug: event.giveCode.displayText, entryID: match.entry.id, risk: match.entry.risk,
            watchWindowHours: match.entry.watchWindowHours, calciumEntry: match.entry.calciumEntry)
        record.orders.append(
            InfusionOrder(
                placerNumber: event.placerNumber, fillerNumber: event.fillerNumber, entryID: match.entry.id,
                drug: event.giveCode.displayText, plannedEnd: event.end, ended: event.endsOrder,
                exposures: [exposure]))
    }

    private func triple(_ coded: CodedValue) -> (code: String, text: String, system: String) {
        (coded.code, coded.text, coded.system)
    }

    /// Discontinued, cancelled or completed at `time`: running exposures end; one that
    /// had not started yet never existed.
    private func end(_ order: inout InfusionOrder, at time: Instant) {
        order.ended = true
        order.exposures.removeAll { $0.start > time }
        for index in order.exposures.indices {
            if let end = order.exposures[index].end, end <= time { continue }
            order.exposures[index].end = time
        }
    }

    /// `XO`/`XX` naming a new site: the old site's exposure ends at the event's
    /// effective time (its watch starts) and the new site's starts then.
    private func change(_ order: inout InfusionOrder, with event: OrderEvent, at time: Instant) {
        guard let newSite = site(of: event.site),
            let running = order.exposures.lastIndex(where: { $0.end == nil || $0.end! > time })
        else { return }
        let current = order.exposures[running]
        guard current.site != newSite else { return }
        order.exposures[running].end = max(time, current.start)
        var moved = current
        moved.site = newSite
        moved.start = time
        moved.end = event.end ?? order.plannedEnd
        if let end = moved.end, end < time { moved.end = nil }
        order.exposures.append(moved)
    }

    // MARK: - Clock and pruning

    private mutating func advanceClock(to time: Instant) {
        let previousDay = state.clock.map { $0.seconds / 86_400 }
        if state.clock.map({ time > $0 }) ?? true { state.clock = time }
        // Prune when the clock enters a new day: the same points in replay and live,
        // before and after a restart.
        if let previousDay, let clock = state.clock, clock.seconds / 86_400 != previousDay { prune(at: clock) }
    }

    /// Drops state that can no longer matter at `clock`: processed identities older
    /// than the retention, exposures past every watch (with a day's margin for late
    /// messages), their episodes, old labs, and discharged patients with nothing left.
    mutating func prune(at clock: Instant) {
        let margin: Int64 = 86_400
        let retentionStart = clock.adding(seconds: -Int64(settings.processedRetentionDays) * 86_400)
        state.processed = state.processed.filter { $0.value >= retentionStart }
        let labStart = clock.adding(seconds: -Int64(settings.labLookbackDays) * 86_400 - margin)
        let horizon = clock.adding(seconds: -margin)
        for key in Array(state.patients.keys) {
            guard var record = state.patients[key] else { continue }
            record.labs.removeAll { $0.time < labStart }
            for index in record.orders.indices {
                record.orders[index].exposures.removeAll { $0.isOver(at: horizon, lateWatchDays: settings.lateWatchDays) }
            }
            record.orders.removeAll { $0.exposures.isEmpty && $0.ended }
            record.standaloneAdministrations.removeAll {
                $0.exposure.isOver(at: horizon, lateWatchDays: settings.lateWatchDays)
            }
            let live = Set(record.exposures.map(\.identity))
            record.episodes.removeAll { !live.contains($0.exposure) }
            if record.dischargedAt != nil && record.orders.isEmpty && record.standaloneAdministrations.isEmpty {
                state.patients[key] = nil
            } else {
                state.patients[key] = record
            }
        }
    }
}
