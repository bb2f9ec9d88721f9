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
    public var settings: SurveillanceSettings {
        didSet {
            preparer = MessagePreparer(settings: settings)
            // Due times depend on the windows.
            pruneSchedule = PruneSchedule(everythingIn: state)
        }
    }
    /// Everything learned from the messages so far.
    public internal(set) var state: SurveillanceState
    /// When each record and identity next has something to prune (kept in step with
    /// `state`: wherever a record or an identity is written).
    var pruneSchedule: PruneSchedule
    /// Tests: prune with ``pruneWholeState(at:)`` instead (the reference).
    var pruneWholeStateForTests = false
    /// The latest the clock may be (the daemon sets its wall clock plus `clock.max_skew`
    /// before each batch; replay leaves it `nil`): a message time beyond it is
    /// implausible, and the clock never passes it. The engine reads no clock itself.
    public var clockCeiling: Instant?
    /// Whether the message last applied had an implausible MSH-7 (see
    /// ``FeedClock/isImplausible(_:maxJumpSeconds:ceiling:)``): it was processed for its
    /// own patient, and callers report it (once per source).
    public private(set) var lastMessageTimeImplausible = false
    /// What the engine changed in `state` since ``takeChanges()``.
    var changes = StateChanges()
    /// Where the records and identities the engine does not hold are read (paging; see
    /// ``PagedStateSource``); `nil`: `state` holds everything.
    public var pagedState: (any PagedStateSource)? {
        didSet {
            storedIdentities = nil
            recordsNotStored = []
        }
    }
    /// The first failure reading ``pagedState``, if any: what the engine did since may be
    /// wrong (a record it could not read counted as none), so the caller must not commit
    /// it. Cleared only by a new engine.
    public internal(set) var pagingFailure: (any Error)?
    /// The identities the store may hold that the engine does not (built from the store
    /// when first needed: empty when nothing is stored; see ``StoredIdentityFilter``).
    var storedIdentities: StoredIdentityFilter?
    /// Whether identities are written to the store only when let go (replay: its store
    /// is a working file, and writing every identity would cost more than the message):
    /// new and pruned held identities are then not listed as changed, and
    /// ``evict(keepingBytes:writingBack:)`` hands the ones it lets go to be written.
    /// The daemon writes each one with its batch (`false`).
    public var writesBackIdentities = false
    /// When each held record was last used (the count of commits then), for eviction.
    var recordUse: [PatientKey: UInt64] = [:]
    var useCount: UInt64 = 0
    /// Identities pruned since the changes were last taken (not held, and still in the
    /// store until the next commit: not to be read from it).
    var removedIdentities: Set<MessageIdentity> = []
    /// Patients whose record ``readRecords(for:)`` looked for in the store and found none,
    /// since the changes were last taken: not looked for again until the next commit
    /// (nothing else writes the store meanwhile).
    var recordsNotStored: Set<PatientKey> = []
    /// The last full estimate of the bytes held (see ``evict(keepingBytes:)``).
    var heldEstimate = HeldEstimate()
    /// What the engine applied, for a timeline per patient and site (the review report);
    /// `nil` (the default): nothing is recorded. See ``TimelineRecorder``.
    public var timeline: TimelineRecorder?
    /// Prepares the messages given to ``process(_:source:)-(Message,_)`` (and those
    /// prepared under other settings): the engine's own, made anew when the settings change.
    var preparer: MessagePreparer

    /// The preparer's saved work on observations (see ``MessagePreparer``).
    var observationCache: ObservationCache { preparer.observationCache }
    /// The preparer's sites of free texts already normalized.
    var freeTextSiteMemo: Memo<String, CanonicalSite?> { preparer.freeTextSiteMemo }

    /// An engine with the given settings, continuing from `state`.
    public init(settings: SurveillanceSettings, state: SurveillanceState = SurveillanceState()) {
        self.settings = settings
        self.state = state
        pruneSchedule = PruneSchedule(everythingIn: state)
        preparer = MessagePreparer(settings: settings)
    }

    /// The kinds of message the engine reads, by MSH-9.
    enum MessageKind: Equatable {
        case admission, demographics, transfer, discharge, merge, order, administration, observation, other
        case cancelAdmission, cancelTransfer, cancelDischarge

        init(code: String, event: String) {
            // By code first (observations, the most common, first of all), then by
            // event: a message is told apart in a few string comparisons.
            switch code {
            case "ORU": self = event == "R01" ? .observation : .other
            case "ADT":
                switch event {
                case "A01", "A04": self = .admission
                case "A05", "A08": self = .demographics
                case "A02": self = .transfer
                case "A03": self = .discharge
                case "A11": self = .cancelAdmission
                case "A12": self = .cancelTransfer
                case "A13": self = .cancelDischarge
                case "A40", "A34", "A36": self = .merge
                default: self = .other
                }
            case "RAS": self = event == "O17" || event == "O01" ? .administration : .other
            case "RDE": self = event == "O11" || event == "O01" ? .order : .other
            case "OMP": self = event == "O09" ? .order : .other
            case "ORM": self = event == "O01" ? .order : .other
            default: self = .other
            }
        }
    }

    /// Applies one message and returns what it raised. A resend (same MSH-3, MSH-4,
    /// MSH-10) changes nothing; a malformed message changes nothing and says why.
    /// The same as preparing it (``MessagePreparer/prepare(_:)``) and applying that.
    public mutating func process(_ message: Message, source: MessageSource) -> ProcessingOutcome {
        process(preparer.prepare(message), source: source)
    }

    /// Applies one prepared message and returns what it raised, as
    /// ``process(_:source:)-(Message,_)`` does: the stateful stage, which redoes nothing
    /// the preparation did. What a message prepared with its header only
    /// (``MessagePreparer/prepareHeader(_:)``) documents is read here. A message
    /// prepared under other settings than the engine's (they changed since) is prepared
    /// again, with the engine's.
    public mutating func process(_ prepared: PreparedMessage, source: MessageSource) -> ProcessingOutcome {
        guard prepared.revision === settings.revision else {
            return process(preparer.prepare(prepared.message), source: source)
        }
        if case .deferred = prepared.content {
            return apply(prepared, content: preparer.readContent(of: prepared), source: source)
        }
        return apply(prepared, content: prepared.content, source: source)
    }

    /// Applies `prepared` with `content`, what its message documents (read by the
    /// preparer, or here for a message prepared with its header only).
    private mutating func apply(
        _ prepared: borrowing PreparedMessage, content: PreparedContent, source: MessageSource
    ) -> ProcessingOutcome {
        lastMessageTimeImplausible = false
        switch prepared.problem {
        case .ignored: return .ignored
        case .noMessageTime, .invalidMessageTime: return .rejected(prepared.problem.rejection!)
        case .none, .noPID, .noPatientIdentifier: break
        }
        let messageTime = prepared.time
        let identified = !prepared.identity!.controlID.isEmpty
        if identified && processedTime(prepared.identity!) != nil { return .duplicate }
        if let rejection = prepared.problem.rejection { return .rejected(rejection) }
        let key = prepared.patient!
        let result: Result<[Alert], MessageRejection>
        switch content {
        case .admission(let admission):
            result = applyAdmission(admission, key: key)
        case .merge(let merge):
            result = merge.flatMap { applyMerge($0, into: key) }
        case .orders(let orders):
            result = applyOrders(orders, key: key, time: messageTime)
        case .administrations(let administrations):
            result = administrations.flatMap { applyAdministrations($0, key: key, source: source) }
        case .observations(let observations):
            result = observations.flatMap {
                applyObservations($0, of: prepared.message, key: key, source: source)
            }
        case .none, .deferred:
            return .ignored
        }
        switch result {
        case .failure(let rejection):
            return .rejected(rejection)
        case .success(let alerts):
            let implausible = state.clock.isImplausible(
                messageTime, maxJumpSeconds: settings.clockMaxJumpSeconds, ceiling: clockCeiling)
            lastMessageTimeImplausible = implausible
            if identified {
                // A time far in the past would drop the identity at the next pruning: it is
                // kept as of the clock at least, so a resend is recognised for the retention.
                let clock = state.clock.time ?? clockCeiling ?? messageTime
                let identity = prepared.identity!
                let kept = implausible ? max(messageTime, clock) : messageTime
                state.processed[identity] = kept
                pruneSchedule.record(identity, at: kept)
                if !writesBackIdentities { changes.processed.append(identity) }
            }
            if timeline != nil { recordTimeline(after: content, key: key) }
            advanceClock(to: messageTime)
            return .processed(alerts)
        }
    }

    /// What the engine changed in ``state`` since the last call (see ``StateChanges``);
    /// the record starts again empty.
    public mutating func takeChanges() -> StateChanges {
        removedIdentities.removeAll()
        recordsNotStored.removeAll()
        if pagedState != nil { noteUse(changes.patients) }
        defer { changes = StateChanges() }
        return changes
    }

    // MARK: - Records

    /// Where a record taken out with ``takeRecord(_:)`` goes back: its position in
    /// `state.patients`, or `nil` for a new patient.
    typealias RecordSlot = Dictionary<PatientKey, PatientRecord>.Index?

    /// Takes the record of `key` out of the state to change it (an empty record stands in
    /// meanwhile), or makes a new one. The record is moved, not copied, so changing it
    /// does not copy its arrays. Give it back with ``putRecord(_:key:slot:)`` before
    /// anything else adds or removes patients.
    mutating func takeRecord(_ key: PatientKey) -> (record: PatientRecord, slot: RecordSlot) {
        guard let index = heldRecordIndex(key) else { return (PatientRecord(key: key), nil) }
        var record = PatientRecord(key: key)
        swap(&record, &state.patients.values[index])
        return (record, index)
    }

    /// Puts back (or adds) a record taken with ``takeRecord(_:)``.
    mutating func putRecord(_ record: consuming PatientRecord, key: PatientKey, slot: RecordSlot) {
        // Looked up first: the patient is usually listed already, and `insert` would copy
        // the key in and the listed one out.
        if !changes.patients.contains(key) { changes.patients.insert(key) }
        pruneSchedule.recordChanged(key)
        if let slot {
            state.patients.values[slot] = record
        } else {
            state.patients[key] = record
        }
    }

    // MARK: - ADT

    /// PV1-3 components 1-3 (point of care, room, bed), the sent ones joined by `/`.
    static func location(_ pv1: Segment) -> String? {
        let field = pv1[3]
        if let plain = plainLocation(field) { return plain }
        var location: String? = nil
        for number in 1...3 {
            guard let part = field.component(number).value else { continue }
            if location == nil {
                location = part
            } else {
                location! += "/" + part
            }
        }
        return location
    }

    /// ``location(_:)`` read from the bytes in one pass, making one String: for a PV1-3
    /// that is ASCII with no escape character (the common case), whose components read
    /// as written. `nil` (read the usual way) for any other, or when no part is sent.
    private static func plainLocation(_ field: Field) -> String? {
        let text = field.message
        let delimiters = text.delimiters
        let range = field.byteRange
        // The joined text is no longer than the field (a `/` for each separator kept).
        guard !field.isLiteral, range.count <= 64, delimiters.component != delimiters.repetition else {
            return nil
        }
        return text.bytes.withUnsafeBufferPointer { bytes -> String? in
            var joined: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
                0, 0, 0, 0, 0, 0, 0, 0
            )
            return withUnsafeMutableBytes(of: &joined) { scratch -> String? in
                var length = 0
                var number = 1
                var start = range.lowerBound
                var index = range.lowerBound
                // Components 1-3 of the first repetition: each ends at a component
                // separator, the repetition's end or the field's end.
                while number <= 3 {
                    let byte: UInt8? = index < range.upperBound ? bytes[index] : nil
                    if let byte, byte >= 0x80 || byte == delimiters.escape { return nil }
                    if let byte, byte != delimiters.component && byte != delimiters.repetition {
                        index += 1
                        continue
                    }
                    // The component `start..<index`: sent unless empty or the null `""`.
                    let count = index - start
                    let isNull = count == 2 && bytes[start] == 0x22 && bytes[start + 1] == 0x22
                    if count > 0 && !isNull {
                        if length > 0 {
                            scratch[length] = 0x2F
                            length += 1
                        }
                        for offset in start..<index {
                            scratch[length] = bytes[offset]
                            length += 1
                        }
                    }
                    guard let byte, byte == delimiters.component else { break }
                    number += 1
                    index += 1
                    start = index
                }
                guard length > 0 else { return nil }
                return String(decoding: UnsafeRawBufferPointer(rebasing: scratch[0..<length]), as: UTF8.self)
            }
        }
    }

    // MARK: - Orders

    private mutating func applyOrders(_ orders: PreparedOrders, key: PatientKey, time: Instant)
        -> Result<[Alert], MessageRejection>
    {
        let resolved = state.resolve(key)
        let (taken, slot) = takeRecord(resolved)
        var record = taken
        record.update(orders.visit)
        for event in orders.events { apply(event, to: &record, messageTime: time) }
        putRecord(record, key: resolved, slot: slot)
        return .success([])
    }

    /// An order event. Its site and catalog entry are looked up (with the preparer's
    /// memos) only when it makes a new order or changes a site: most order messages are
    /// about known orders, and need neither.
    private mutating func apply(_ event: OrderEvent, to record: inout PatientRecord, messageTime: Instant) {
        let effective = event.effectiveTime ?? messageTime
        if let index = record.orders.firstIndex(where: { $0.isNamed(by: event) }) {
            // Changed in place: a copy of the order would copy its exposures and administrations.
            if event.endsOrder {
                end(&record.orders[index], at: effective)
            } else if event.control == "XO" || event.control == "XX" {
                let site = preparer.site(of: event.site)
                change(&record.orders[index], with: event, site: site, at: effective)
            } else if event.timingSent && !record.orders[index].ended {
                record.orders[index].replan(end: event.end)
            }
            return
        }
        // A new order (or the first we hear of one).
        guard !event.cancelsOrder else { return }
        guard let match = preparer.catalogMatch(giveCode: event.giveCode, components: event.components)
        else { return }
        let start = event.start ?? effective
        var end = event.end
        if event.endsOrder { end = min(end ?? effective, effective) }
        if let end, end < start { return }  // ended before it started: no exposure
        let site = preparer.site(of: event.site)
        let exposure = SiteExposure(
            site: site, start: start, end: end, orderNumber: event.orderNumber,
            drug: event.giveCode.displayText, entryID: match.entry.id, risk: match.entry.risk,
            watchWindowHours: match.entry.watchWindowHours, calciumEntry: match.entry.calciumEntry)
        record.orders.append(
            InfusionOrder(
                placerNumber: event.placerNumber, fillerNumber: event.fillerNumber, entryID: match.entry.id,
                drug: event.giveCode.displayText, plannedEnd: event.end, ended: event.endsOrder,
                exposures: [exposure]))
        // Source 4: an order without a site flows in the patient's only line in place.
        if exposure.site == nil { settleUnsitedExposures(in: &record, at: max(start, effective)) }
    }

    /// Discontinued, cancelled or completed at `time`: running exposures end; one that
    /// had not started yet never existed.
    func end(_ order: inout InfusionOrder, at time: Instant) {
        order.ended = true
        order.exposures.removeAll { $0.start > time }
        for index in order.exposures.indices {
            if let end = order.exposures[index].end, end <= time { continue }
            order.exposures[index].end = time
        }
    }

    /// `XO`/`XX` naming a new site: the old site's exposure ends at the event's
    /// effective time (its watch starts) and the new site's starts then.
    private func change(
        _ order: inout InfusionOrder, with event: OrderEvent, site: CanonicalSite?, at time: Instant
    ) {
        guard let newSite = site,
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

    /// Records an applied message's time in the clock (``FeedClock``: the median of
    /// recent message times, so no single wrong timestamp moves it).
    private mutating func advanceClock(to time: Instant) {
        let previousDay = state.clock.time.map { $0.seconds / secondsPerDay }
        state.clock.record(time, ceiling: clockCeiling)
        // Prune when the clock enters a new day: the same points in replay and live,
        // before and after a restart.
        if let previousDay, let clock = state.clock.time, clock.seconds / secondsPerDay != previousDay {
            if pruneWholeStateForTests { pruneWholeState(at: clock) } else { prune(at: clock) }
        }
    }

    /// Drops state that can no longer matter at `clock`: processed identities older
    /// than the retention, exposures past every watch (with a day's margin for late
    /// messages), their episodes, old labs, and discharged patients with nothing left.
    mutating func prune(at clock: Instant) {
        // Paged, every change is listed (the store cannot be compared whole).
        if pagedState == nil { changes.untracked = true }
        let margin: Int64 = secondsPerDay
        let retentionStart = clock.adding(seconds: -Int64(settings.processedRetentionDays) * secondsPerDay)
        let labStart = clock.adding(seconds: -Int64(settings.labLookbackDays) * secondsPerDay - margin)
        let horizon = clock.adding(seconds: -margin)
        if pruneSchedule.unscheduled {
            // The first pruning of a loaded state: everything is looked at once, and scheduled.
            pruneSchedule = PruneSchedule()
            var expired: [MessageIdentity] = []
            for (identity, time) in state.processed {
                if time < retentionStart {
                    expired.append(identity)
                } else {
                    pruneSchedule.record(identity, at: time)
                }
            }
            for identity in expired {
                state.processed.removeValue(forKey: identity)
                if !writesBackIdentities { changes.processed.append(identity) }
                if pagedState != nil && !writesBackIdentities { removedIdentities.insert(identity) }
            }
            for key in Array(state.patients.keys) { prunePatient(key, labStart: labStart, horizon: horizon) }
            pruneStored(at: clock, retentionStart: retentionStart) {
                $0.prunePatient($1, labStart: labStart, horizon: horizon)
            }
            return
        }
        // Only what the schedule says may be due is looked at (a full scan would find the
        // same: see PruneSchedule).
        for identity in pruneSchedule.takeIdentities(throughDayOf: retentionStart).joined() {
            // Looked up once: removed at the position found.
            guard let index = state.processed.index(forKey: identity) else { continue }
            let time = state.processed.values[index]
            if time < retentionStart {
                state.processed.remove(at: index)
                if !writesBackIdentities { changes.processed.append(identity) }
                if pagedState != nil && !writesBackIdentities { removedIdentities.insert(identity) }
            } else if PruneSchedule.day(time) <= PruneSchedule.day(retentionStart) {
                pruneSchedule.record(identity, at: time)
            }
        }
        for key in pruneSchedule.takePatientsDue(at: clock) {
            prunePatient(key, labStart: labStart, horizon: horizon)
        }
        pruneStored(at: clock, retentionStart: retentionStart) {
            $0.prunePatient($1, labStart: labStart, horizon: horizon)
        }
    }

    /// Prunes the record of `key` in place (not copied out and back) and schedules its next
    /// pruning, or removes it when nothing is left.
    private mutating func prunePatient(_ key: PatientKey, labStart: Instant, horizon: Instant) {
        guard let index = state.patients.index(forKey: key) else { return }
        // Written back (or removed) by the next commit: its stored due time changes.
        if pagedState != nil && !changes.patients.contains(key) { changes.patients.insert(key) }
        let keep = Self.prune(
            &state.patients.values[index], labStart: labStart, horizon: horizon,
            lateWatchDays: settings.lateWatchDays, lineForgetHours: settings.lineForgetHours)
        if keep {
            schedulePruning(of: state.patients.values[index], key: key)
        } else {
            state.patients.remove(at: index)
            pruneSchedule.schedule(key, dueAt: nil)
            recordUse[key] = nil
        }
    }

    /// The reference for ``prune(at:)``: the same pruning over the whole state, every
    /// identity and record looked at (tests compare the two).
    mutating func pruneWholeState(at clock: Instant) {
        changes.untracked = true
        let margin: Int64 = secondsPerDay
        let retentionStart = clock.adding(seconds: -Int64(settings.processedRetentionDays) * secondsPerDay)
        state.processed = state.processed.filter { $0.value >= retentionStart }
        let labStart = clock.adding(seconds: -Int64(settings.labLookbackDays) * secondsPerDay - margin)
        let horizon = clock.adding(seconds: -margin)
        var gone: [PatientKey] = []
        for key in state.patients.keys {
            let keep = Self.prune(
                &state.patients[key]!, labStart: labStart, horizon: horizon,
                lateWatchDays: settings.lateWatchDays, lineForgetHours: settings.lineForgetHours)
            if !keep { gone.append(key) }
        }
        for key in gone { state.patients.removeValue(forKey: key) }
        pruneSchedule = PruneSchedule(everythingIn: state)
    }

    /// Schedules the next pruning of `record` (see ``PruneSchedule``).
    mutating func schedulePruning(of record: borrowing PatientRecord, key: PatientKey) {
        pruneSchedule.schedule(
            key,
            dueAt: record.earliestPruneTime(
                labLookbackDays: settings.labLookbackDays, lateWatchDays: settings.lateWatchDays,
                lineForgetHours: settings.lineForgetHours))
    }

    /// Prunes one record; `false` when the patient is discharged with nothing left.
    private static func prune(
        _ record: inout PatientRecord, labStart: Instant, horizon: Instant, lateWatchDays: Int,
        lineForgetHours: Int
    ) -> Bool {
        // Each list is changed only when something in it goes: most records lose nothing
        // on a given day, and reading is cheaper than rewriting (their storage stays as is).
        // The checks walk indices: `contains(where:)` would copy each element (its strings
        // and tables retained and released) to look at one field.
        if record.labs.indices.contains(where: { record.labs[$0].time < labStart }) {
            record.labs.removeAll { $0.time < labStart }
        }
        if record.lines.indices.contains(where: {
            record.lines[$0].isForgotten(at: horizon, forgetHours: lineForgetHours)
        }) {
            record.lines.removeAll { $0.isForgotten(at: horizon, forgetHours: lineForgetHours) }
        }
        for index in record.orders.indices
        where record.orders[index].exposures.indices.contains(where: {
            record.orders[index].exposures[$0].isOver(at: horizon, lateWatchDays: lateWatchDays)
        }) {
            record.orders[index].exposures.removeAll { $0.isOver(at: horizon, lateWatchDays: lateWatchDays) }
        }
        if record.orders.indices.contains(where: {
            record.orders[$0].exposures.isEmpty && record.orders[$0].ended
        }) {
            record.orders.removeAll { $0.exposures.isEmpty && $0.ended }
        }
        if record.standaloneAdministrations.indices.contains(where: {
            record.standaloneAdministrations[$0].exposure.isOver(at: horizon, lateWatchDays: lateWatchDays)
        }) {
            record.standaloneAdministrations.removeAll {
                $0.exposure.isOver(at: horizon, lateWatchDays: lateWatchDays)
            }
        }
        // Episodes and exposures are few per record: looked up in place, no Set built.
        if record.episodes.indices.contains(where: { !record.hasExposure(record.episodes[$0].exposure) }) {
            record.episodes = record.episodes.filter { record.hasExposure($0.exposure) }
        }
        return
            !(record.dischargedAt != nil && record.orders.isEmpty && record.standaloneAdministrations.isEmpty)
    }
}
