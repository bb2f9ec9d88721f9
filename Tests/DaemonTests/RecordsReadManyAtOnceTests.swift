import ClinicalEvents
import Configuration
import Foundation
import HL7
import StateStore
import Surveillance
import Synchronization
import Testing

@testable import EngineStorage

/// The store's own source (``StoredStateSource``) with its reads counted, saying it reads
/// many records at once for much less than one at a time, as a source on a server does.
private final class CountedSource: PagedStateSource {
    let stored: StoredStateSource
    /// Records read one at a time, and calls reading many.
    let reads = Mutex((one: 0, many: 0))

    init(_ stored: StoredStateSource) { self.stored = stored }

    var readsManyAtOnce: Bool { true }
    func record(_ key: PatientKey) throws -> PatientRecord? {
        reads.withLock { $0.one += 1 }
        return try stored.record(key)
    }
    func records(_ keys: [PatientKey]) throws -> [PatientKey: PatientRecord] {
        reads.withLock { $0.many += 1 }
        return try stored.records(keys)
    }
    func recordsDue(through time: Instant) throws -> [PatientKey] { try stored.recordsDue(through: time) }
    func processedTime(_ identity: MessageIdentity) throws -> Instant? { try stored.processedTime(identity) }
    func processedDue(through time: Instant) throws -> [MessageIdentity] {
        try stored.processedDue(through: time)
    }
    func storedIdentityCount() throws -> Int { try stored.storedIdentityCount() }
    func forEachStoredIdentity(_ body: (MessageIdentity) -> Void) throws {
        try stored.forEachStoredIdentity(body)
    }
}

extension PersistedEngineStateTests {
    /// Paging from a store on a server (one round trip per read): the daemon reads the
    /// records a batch names before applying it (`readRecords(for:)`), in one call. The
    /// outcomes and the stored state are those of an engine holding everything; records are
    /// then read one at a time only for patients a message names elsewhere than in PID-3
    /// (the other patient of a merge); a patient found in no store is not looked for again
    /// before the next commit.
    @Test func recordsReadManyAtOnceBeforeEachBatchGiveTheOutcomesOfAnEngineHoldingEverything()
        async throws
    {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        var (whole, messages) = engineAndMessages(count: 4000, seed: 31)
        var (paged, persisted) = try await pagedEngine(store, settings: whole.settings)
        let source = CountedSource(paged.pagedState as! StoredStateSource)
        paged.pagedState = source
        var alerts = 0
        var evicted = 0
        for start in stride(from: 0, to: messages.count, by: 100) {
            let batch = messages[start..<min(start + 100, messages.count)]
            paged.readRecords(for: batch)
            let before = source.reads.withLock { $0 }
            for (offset, message) in batch.enumerated() {
                let where_ = MessageSource.file("/feed.hl7", offset: start + offset)
                let expected = whole.process(message, source: where_)
                #expect(paged.process(message, source: where_) == expected, "message \(start + offset)")
                if case .processed(let raised) = expected { alerts += raised.count }
            }
            // One at a time only for a patient named outside PID-3 (MRG-1 of a merge).
            let oneByOne = source.reads.withLock { $0.one } - before.one
            let merges = batch.filter { $0.segment("MRG") != nil }.count
            #expect(oneByOne <= merges, "batch at \(start): \(oneByOne) records read one at a time")
            _ = try await commit(&persisted, &paged, to: store)
            evicted += paged.evict(keepingBytes: 1).records
        }
        #expect(paged.pagingFailure == nil)
        #expect(alerts > 0, "the feed raises alerts")
        #expect(evicted > 100, "records were let go of and read back")
        let reads = source.reads.withLock { $0 }
        #expect(reads.many >= 30 && reads.one < reads.many, "\(reads)")
        let held = try await stored(in: store)
        #expect(differences(held.patients, whole.state.patients) == 0)
        #expect(differences(held.processed, whole.state.processed) == 0)
        await store.close()
    }
}

extension PersistedEngineStateTests {
    /// Paging: a record read back from the store and held without a change (vital signs
    /// only) is pruned when the clock enters a day it is due by, as in an engine holding
    /// everything (the stored records pruned at a new day are those not held: a held one
    /// must be in the schedule). Here a patient discharged on day 1 with nothing left goes
    /// on day 2.
    @Test func aRecordReadBackAndHeldUnchangedIsPrunedWhenItFallsDue() async throws {
        let adt = Self.adt
        let vitals =
            "MSH|^~\\&|MONITOR|HOSP|EXTRAVASD|HOSP|20260302070000||ORU^R01^ORU_R01|v1|P|2.5.1\r"
            + "PID|1||P1^^^HOSP^MR||DOE^JANE||20200101|F\r" + "PV1|1|I|WARD^1^A\r"
            + "OBR|1|||8716-3^Vital signs^LN|||20260302065500\r"
            + "OBX|1|NM|8310-5^Body temperature^LN||37.0|Cel|||||F|||20260302065500\r"
        let first = [adt("A01", "20260301080000", "P1", "c1"), adt("A03", "20260301100000", "P1", "c2")]
        // The vital signs first (the record read back, held unchanged), then enough
        // messages of day 2 for the clock (a median) to enter it.
        let second = [vitals] + (0..<120).map { adt("A08", "20260302080000", "Q1", "q\($0)") }
        let messages = Self.messages
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        var whole = Self.engineHoldingEverything()
        var (paged, persisted) = try await pagedEngine(store, settings: whole.settings)
        for (day, batch) in [messages(first), messages(second)].enumerated() {
            #expect(batch.count == (day == 0 ? 2 : 121))
            for (index, message) in batch.enumerated() {
                let source = MessageSource.file("/feed.hl7", offset: index)
                #expect(paged.process(message, source: source) == whole.process(message, source: source))
            }
            _ = try await commit(&persisted, &paged, to: store)
            if day == 0 { paged.evict(keepingBytes: 1) }
        }
        #expect(!whole.state.patients.keys.contains { $0.identifier == "P1" }, "P1 went on day 2")
        let held = try await stored(in: store)
        #expect(!held.patients.keys.contains { $0.identifier == "P1" }, "and from the store")
        #expect(differences(held.patients, whole.state.patients) == 0)
        await store.close()
    }
}
