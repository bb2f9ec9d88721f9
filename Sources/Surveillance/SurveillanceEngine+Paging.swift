import ClinicalEvents
import HL7

/// Paging: with a ``PagedStateSource``, `state.patients` and `state.processed` hold only
/// a cache (what the engine read or wrote lately); the rest is read from the source when
/// a message needs it, and pruned there by its due time.
extension SurveillanceEngine {
    /// The position of `key`'s record in `state.patients`, read from the source into it
    /// when the engine does not hold it; `nil` when there is no record.
    mutating func heldRecordIndex(_ key: PatientKey) -> Dictionary<PatientKey, PatientRecord>.Index? {
        if let index = state.patients.index(forKey: key) { return index }
        // Changed since the last commit and not held: removed (pruned, merged away); the
        // store still has what was committed before.
        guard let pagedState, pagingFailure == nil, !changes.patients.contains(key),
            !recordsNotStored.contains(key)
        else { return nil }
        do {
            guard let record = try pagedState.record(key) else { return nil }
            hold(record, key: key)
            return state.patients.index(forKey: key)
        } catch {
            pagingFailure = error
            return nil
        }
    }

    /// Reads, in as few calls to the source as it takes (up to ``recordsReadAtOnce`` keys
    /// each), the stored records of the patients `messages` name (PID-3, through merges)
    /// that the engine does not hold, so that applying the messages then reads none one at
    /// a time. Worth it with a source whose every read is a round trip to a server
    /// (``PagedStateSource/readsManyAtOnce``); changes no outcome. Without a source, or
    /// after a paging failure, it does nothing; a failure is kept as any paging failure.
    public mutating func readRecords(for messages: some Sequence<Message>) {
        guard let pagedState, pagingFailure == nil else { return }
        let named = messages.compactMap { message in
            message.segment("PID").flatMap(PatientKey.init(pid:)).map { state.resolve($0) }
        }
        do {
            try readRecords(named, from: pagedState)
        } catch {
            pagingFailure = error
        }
    }

    /// Reads the stored records of those of `keys` that a message could read from the
    /// source (not held, not changed since the last commit, not known to be stored
    /// nowhere; each once) into the state, up to ``recordsReadAtOnce`` in a call; those
    /// not stored are noted (``recordsNotStored``).
    private mutating func readRecords(_ keys: [PatientKey], from source: any PagedStateSource) throws {
        var seen: Set<PatientKey> = []
        let wanted = keys.filter { key in
            seen.insert(key).inserted && state.patients.index(forKey: key) == nil
                && !changes.patients.contains(key) && !recordsNotStored.contains(key)
        }
        var start = wanted.startIndex
        while start < wanted.endIndex {
            let some = Array(wanted[start..<min(start + Self.recordsReadAtOnce, wanted.endIndex)])
            start += some.count
            let found = try source.records(some)
            for key in some {
                if let record = found[key] {
                    hold(record, key: key)
                } else {
                    recordsNotStored.insert(key)
                }
            }
        }
    }

    /// Holds `record`, read from the source, as used now, and schedules its pruning: held
    /// and unchanged when the clock enters a day it is due by, it is pruned then (the
    /// stored records pruned at a new day are those not held).
    private mutating func hold(_ record: consuming PatientRecord, key: PatientKey) {
        schedulePruning(of: record, key: key)
        state.patients[key] = record
        recordUse[key] = useCount
    }

    /// The most records ``readRecords(for:)`` asks the source for in one call.
    static var recordsReadAtOnce: Int { 1_000 }

    /// The time `identity` was processed with, read from the source when the engine does
    /// not hold it.
    mutating func processedTime(_ identity: MessageIdentity) -> Instant? {
        if let time = state.processed[identity] { return time }
        guard let pagedState, pagingFailure == nil, !removedIdentities.contains(identity) else { return nil }
        do {
            if storedIdentities == nil || storedIdentities!.isFull {
                // Built (again) from what is stored, with room for as many more.
                var filter = StoredIdentityFilter(capacity: 2 * (try pagedState.storedIdentityCount()))
                try pagedState.forEachStoredIdentity { filter.insert($0) }
                storedIdentities = filter
            }
            guard storedIdentities!.mayContain(identity) else { return nil }
            return try pagedState.processedTime(identity)
        } catch {
            pagingFailure = error
            return nil
        }
    }

    /// Notes the records changed since the last commit as used now (the use counted by
    /// commits, not by messages: no table is written per message).
    mutating func noteUse(_ changed: Set<PatientKey>) {
        useCount &+= 1
        for key in changed { recordUse[key] = useCount }
    }

    /// When a stored `record` must be looked at again by pruning (seconds since the epoch;
    /// `Int64.max`: not until it changes): a lower bound of the first clock at which
    /// pruning would change it, so that the store finds due records by an index.
    public func pruneDue(of record: borrowing PatientRecord) -> Int64 {
        record.earliestPruneTime(
            labLookbackDays: settings.labLookbackDays, lateWatchDays: settings.lateWatchDays,
            lineForgetHours: settings.lineForgetHours)?.seconds ?? .max
    }

    /// Prunes what the source holds and the engine does not: records due by `clock`'s
    /// day are read, pruned and listed as changed (written back with their new due time,
    /// or removed); identities recorded before `retentionStart` are listed as changed
    /// (not held: removed from the store).
    mutating func pruneStored(
        at clock: Instant, retentionStart: Instant, prune: (inout Self, PatientKey) -> Void
    ) {
        guard let pagedState, pagingFailure == nil else { return }
        do {
            let endOfDay = Instant(seconds: (PruneSchedule.day(clock) + 1) * secondsPerDay - 1)
            let due = try pagedState.recordsDue(through: endOfDay).filter {
                state.patients.index(forKey: $0) == nil
            }
            // Many at once when one at a time would be a round trip each.
            if pagedState.readsManyAtOnce { try readRecords(due, from: pagedState) }
            for key in due {
                guard heldRecordIndex(key) != nil else { continue }
                changes.patients.insert(key)
                prune(&self, key)
            }
            for identity in try pagedState.processedDue(through: Instant(seconds: retentionStart.seconds - 1))
            where state.processed[identity] == nil {
                changes.processed.append(identity)
                removedIdentities.insert(identity)
            }
        } catch {
            pagingFailure = error
        }
    }

    /// Whether what the engine holds is estimated over `budget` bytes, from the counts
    /// and the last full estimate's averages (cheap: no record is looked at). A driver
    /// that commits only when it must (replay) asks this between commits.
    public func holdsMoreThan(_ budget: Int) -> Bool {
        let (records, identities) = heldEstimate.bytes(
            records: state.patients.count, identities: state.processed.count)
        return records + identities > budget
    }

    /// Lets go of held records and identities, least recently used records (by the
    /// commit that last took them as changed, or read them) and the oldest identities first, until what is held is estimated under three quarters of
    /// `budget` bytes (nothing when it is under `budget`). Only what was committed may go:
    /// call it after the store committed the changes taken last (``takeChanges()``);
    /// records changed since are kept, and no identity goes while one is listed as
    /// changed. Without a ``PagedStateSource`` nothing goes. With
    /// ``writesBackIdentities``, the identities about to go are given to `writingBack`
    /// first (to be stored; when it throws, they stay). Returns how many records and
    /// identities went.
    ///
    /// What is held is estimated in full every 16 calls; in between, from the counts and
    /// the last full estimate's bytes per record and identity (summing every record after
    /// every batch would cost more than the batch).
    @discardableResult
    public mutating func evict(keepingBytes budget: Int) -> (records: Int, identities: Int) {
        evict(keepingBytes: budget, writingBack: { _ in })
    }

    /// ``evict(keepingBytes:)``, giving the identities about to go to `writingBack` first
    /// when the engine ``writesBackIdentities``.
    @discardableResult
    public mutating func evict(
        keepingBytes budget: Int, writingBack: ([(MessageIdentity, Instant)]) throws -> Void
    ) rethrows -> (records: Int, identities: Int) {
        guard pagedState != nil else { return (0, 0) }
        var (recordBytes, identityBytes) = heldEstimate.bytes(
            records: state.patients.count, identities: state.processed.count)
        heldEstimate.calls += 1
        if heldEstimate.calls >= 16 || heldEstimate.records == 0 {
            heldEstimate.calls = 0
            recordBytes = 0
            for record in state.patients.values { recordBytes += record.estimatedBytes }
            identityBytes = 0
            for identity in state.processed.keys { identityBytes += identity.estimatedBytes }
        }
        guard recordBytes + identityBytes > budget else { return (0, 0) }
        let target = budget / 4 * 3
        // Identities first, oldest first (a resend comes soon after the message, if at all),
        // down to half the target.
        var evictedIdentities = 0
        if identityBytes > target / 2 && changes.processed.isEmpty && !state.processed.isEmpty {
            let perIdentity = max(1, identityBytes / state.processed.count)
            let count = (identityBytes - target / 2 + perIdentity - 1) / perIdentity
            let oldest = pruneSchedule.takeOldestIdentities(count).compactMap { identity in
                state.processed[identity].map { (identity, $0) }
            }
            if writesBackIdentities {
                do {
                    try writingBack(oldest)
                } catch {
                    // Not written: kept (scheduled again), and the error goes to the caller.
                    for (identity, time) in oldest { pruneSchedule.record(identity, at: time) }
                    throw error
                }
            }
            for (identity, _) in oldest {
                storedIdentities?.insert(identity)
                state.processed.removeValue(forKey: identity)
                identityBytes -= identity.estimatedBytes
                evictedIdentities += 1
            }
        }
        var evictedRecords = 0
        if recordBytes + identityBytes > target {
            recordUse = recordUse.filter { state.patients[$0.key] != nil }
            let byUse = state.patients.keys.map { ($0, recordUse[$0] ?? 0) }.sorted { $0.1 < $1.1 }
            for (key, _) in byUse
            where recordBytes + identityBytes > target && !changes.patients.contains(key) {
                guard let record = state.patients.removeValue(forKey: key) else { continue }
                recordBytes -= record.estimatedBytes
                recordUse[key] = nil
                // Its stored due time schedules it from now on.
                pruneSchedule.forget(key)
                evictedRecords += 1
            }
        }
        heldEstimate.records = state.patients.count
        heldEstimate.recordBytes = max(0, recordBytes)
        heldEstimate.identities = state.processed.count
        heldEstimate.identityBytes = max(0, identityBytes)
        return (evictedRecords, evictedIdentities)
    }
}

/// The last full estimate of what the engine holds (see ``SurveillanceEngine/evict(keepingBytes:)``).
struct HeldEstimate: Sendable {
    var records = 0
    var recordBytes = 0
    var identities = 0
    var identityBytes = 0
    /// Calls since the last full estimate.
    var calls = 0

    /// The bytes of `records` records and `identities` identities at the estimate's
    /// averages (a typical size before any estimate).
    func bytes(records: Int, identities: Int) -> (records: Int, identities: Int) {
        (
            records * (self.records > 0 ? recordBytes / self.records : 1_200),
            identities * (self.identities > 0 ? identityBytes / self.identities : 150)
        )
    }
}

extension PatientRecord {
    /// About how many bytes the record takes in memory (for the cache's budget): a fixed
    /// part and a part per element of each list, calibrated against the daemon's resident
    /// memory with 100,000 records (`make bench`: the resident growth per estimated byte).
    var estimatedBytes: Int {
        var bytes = 1_200 + key.identifier.utf8.count + (visit?.utf8.count ?? 0) + (location?.utf8.count ?? 0)
        bytes += labs.count * 480 + episodes.count * 720 + lines.count * 600
        bytes += standaloneAdministrations.count * 1_200
        for index in orders.indices { bytes += 1_440 + orders[index].exposures.count * 960 }
        if admissionHistory != nil { bytes += 480 }
        return bytes
    }
}

extension MessageIdentity {
    /// About how many bytes the identity and its table entry take in memory.
    var estimatedBytes: Int {
        200 + sendingApplication.utf8.count + sendingFacility.utf8.count + controlID.utf8.count
    }
}
