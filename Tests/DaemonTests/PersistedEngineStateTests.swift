import ClinicalEvents
import Configuration
import FeedGen
import Foundation
import HL7
import StateStore
import Surveillance
import Testing

@testable import Daemon
@testable import EngineStorage

/// The engine state stored in parts: what is loaded equals what was committed, and a
/// batch writes only what it changed.
@Suite("Persisted engine state")
struct PersistedEngineStateTests {
    func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "extravasd-persisted-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// An engine with the built-in settings, holding everything (no paging).
    static func engineHoldingEverything() -> SurveillanceEngine {
        SurveillanceEngine(
            settings: SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog))
    }

    func engineAndMessages(count: Int, seed: UInt64) -> (SurveillanceEngine, [Message]) {
        let engine = Self.engineHoldingEverything()
        var reader = MessageReader()
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: seed, patients: 30, terminator: .cr, signShare: 0.3),
            messageCount: count)
        feed.withUnsafeBytes { reader.append($0) }
        reader.finish()
        var messages: [Message] = []
        while let result = reader.next() {
            if case .success(let message) = result { messages.append(message) }
        }
        return (engine, messages)
    }

    func commit(
        _ persisted: inout PersistedEngineState, _ engine: inout SurveillanceEngine,
        tracked: StateChanges? = nil, to store: any SurveillanceStore
    ) async throws -> StoreBatch {
        let tracked = tracked ?? engine.takeChanges()
        let changes = try persisted.changes(to: engine.state, tracked: tracked) { engine.pruneDue(of: $0) }
        let batch = StoreBatch(
            engineState: changes.remainder, engineStateVersion: SurveillanceState.currentVersion,
            engineParts: changes.parts, removedEngineParts: changes.removed)
        try await store.commit(batch)
        persisted.committed(remainder: changes.remainder)
        return batch
    }

    /// Every record and identity the store holds, decoded.
    func stored(in store: any SurveillanceStore) async throws -> (
        patients: [PatientKey: PatientRecord], processed: [MessageIdentity: Instant]
    ) {
        var patients: [PatientKey: PatientRecord] = [:]
        var processed: [MessageIdentity: Instant] = [:]
        for part in try await store.engineParts() {
            switch PersistedEngineState.Kind(rawValue: part.kind) {
            case .patientRecord:
                let record = try PatientRecordFormat.decode(part.value)
                patients[record.key] = record
            case .processedMessage:
                processed[try ProcessedMessageFormat.identity(fromKey: part.key)] =
                    try ProcessedMessageFormat.time(fromValue: part.value)
            default:
                Issue.record("a part of kind \(part.kind) left in the store")
            }
        }
        return (patients, processed)
    }

    /// How many keys the two tables do not agree on (a count: the tables are too long
    /// to print).
    func differences<Key: Hashable, Value: Equatable>(_ one: [Key: Value], _ other: [Key: Value]) -> Int {
        Set(one.keys).union(other.keys).filter { one[$0] != other[$0] }.count
    }

    /// Goes on from message `start` with `resumed` (paged: committed and let go of every
    /// 100 messages) and `fresh` (holding everything), expecting the same outcome for each
    /// message and, at the end, the store holding `fresh`'s state; returns the alerts raised.
    func goOnPaged(
        _ resumed: inout SurveillanceEngine, _ persisted: inout PersistedEngineState,
        beside fresh: inout SurveillanceEngine, messages: [Message], from start: Int,
        store: any SurveillanceStore
    ) async throws -> Int {
        var alerts = 0
        for (index, message) in messages.enumerated().dropFirst(start) {
            let source = MessageSource.file("/feed.hl7", offset: index)
            let expected = fresh.process(message, source: source)
            #expect(resumed.process(message, source: source) == expected, "message \(index)")
            if case .processed(let raised) = expected { alerts += raised.count }
            if index % 100 == 99 {
                _ = try await commit(&persisted, &resumed, to: store)
                resumed.evict(keepingBytes: 1)
            }
        }
        _ = try await commit(&persisted, &resumed, to: store)
        let held = try await stored(in: store)
        #expect(differences(held.patients, fresh.state.patients) == 0)
        #expect(differences(held.processed, fresh.state.processed) == 0)
        return alerts
    }

    /// An ADT message of `event` at `time` for the patient `mrn`, MSH-10 `control`.
    static func adt(_ event: String, _ time: String, _ mrn: String, _ control: String) -> String {
        "MSH|^~\\&|ADT|HOSP|EXTRAVASD|HOSP|\(time)||ADT^\(event)^ADT_A01|\(control)|P|2.5.1\r"
            + "EVN|\(event)|\(time)\r" + "PID|1||\(mrn)^^^HOSP^MR||DOE^JANE||20200101|F\r"
            + "PV1|1|I|WARD^1^A||||||||||||||||V\(mrn)\r"
    }

    /// The messages of `texts`, read.
    static func messages(_ texts: [String]) -> [Message] {
        var reader = MessageReader()
        Array(texts.joined().utf8).withUnsafeBytes { reader.append($0) }
        reader.finish()
        var messages: [Message] = []
        while let result = reader.next() {
            if case .success(let message) = result { messages.append(message) }
        }
        return messages
    }

    /// An engine paged from `store`, continuing from what it holds.
    func pagedEngine(_ store: any SurveillanceStore, settings: SurveillanceSettings) async throws -> (
        SurveillanceEngine, PersistedEngineState
    ) {
        let (state, persisted) = try await PersistedEngineState.load(from: store)
        var engine = SurveillanceEngine(settings: settings, state: state)
        engine.pagedState = StoredStateSource(reader: try store.partReader())
        return (engine, persisted)
    }

    /// Paging: an engine that lets go of every committed record and identity after each
    /// batch, and reads them back from the store when a message needs them (and prunes
    /// the stored ones by their due time), raises exactly what an engine holding
    /// everything raises, and the store ends up holding exactly that engine's state.
    @Test func aPagedEngineThatLetsGoOfEverythingGivesTheOutcomesAndStateOfOneHoldingEverything() async throws
    {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        var (whole, messages) = engineAndMessages(count: 6000, seed: 11)
        var (paged, persisted) = try await pagedEngine(store, settings: whole.settings)
        var evicted = (records: 0, identities: 0)
        var alerts = 0
        var prunedStored = 0
        var resends = 0
        for (index, message) in messages.enumerated() {
            let source = MessageSource.file("/feed.hl7", offset: index)
            let expected = whole.process(message, source: source)
            #expect(paged.process(message, source: source) == expected, "message \(index)")
            if case .processed(let raised) = expected { alerts += raised.count }
            // Batches of 50 and of 400 (long enough for a patient pruned at a new day to
            // send again before the commit: read as removed, not from the store).
            let batch = index < 3000 ? 50 : 400
            guard index % batch == batch - 1 || index == messages.count - 1 else { continue }
            let committed = try await commit(&persisted, &paged, to: store)
            prunedStored += committed.removedEngineParts.count
            let gone = paged.evict(keepingBytes: 1)
            evicted.records += gone.records
            evicted.identities += gone.identities
            // A resend of a message of an earlier batch: its identity was let go of, and is
            // found in the store (through the filter of stored identities).
            let resend = messages[max(0, index - 60)]
            let resent = whole.process(resend, source: source)
            #expect(paged.process(resend, source: source) == resent)
            if case .duplicate = resent { resends += 1 }
        }
        #expect(paged.pagingFailure == nil)
        #expect(alerts > 0, "the feed raises alerts")
        #expect(evicted.records > 100 && evicted.identities > 1000, "\(evicted)")
        #expect(prunedStored > 0, "stored records and identities were pruned")
        #expect(resends > 0, "resends of identities let go of are found in the store")
        let held = try await stored(in: store)
        #expect(differences(held.patients, whole.state.patients) == 0)
        #expect(differences(held.processed, whole.state.processed) == 0)
        #expect(!whole.state.merges.isEmpty, "the feed merges patients")
        // A restart reads no record and no identity: they are read when needed.
        let (restarted, _) = try await PersistedEngineState.load(from: store)
        #expect(restarted.patients.isEmpty && restarted.processed.isEmpty)
        #expect(restarted.merges == whole.state.merges && restarted.clock == whole.state.clock)
        await store.close()
    }

    /// Paging, message by message: every bundled example feed, committed and let go of
    /// after each message, raises the alerts of an engine holding everything.
    @Test func everyExampleFeedPagedAfterEachMessageRaisesTheSameAlerts() async throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/feeds").standardized
        let files = try FileManager.default.subpathsOfDirectory(atPath: examples.path)
            .filter { $0.hasSuffix(".hl7") }.sorted()
        #expect(files.count >= 3)
        for file in files {
            let directory = try scratch()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let store: any SurveillanceStore = try SQLiteStore(directory: directory)
            var whole = Self.engineHoldingEverything()
            var (paged, persisted) = try await pagedEngine(store, settings: whole.settings)
            var reader = MessageReader()
            let bytes = try [UInt8](Data(contentsOf: examples.appendingPathComponent(file)))
            bytes.withUnsafeBytes { reader.append($0) }
            reader.finish()
            while let result = reader.next() {
                guard case .success(let message) = result else { continue }
                let source = MessageSource.file(file, offset: message.offset)
                #expect(
                    paged.process(message, source: source) == whole.process(message, source: source),
                    "\(file) at \(message.offset)")
                _ = try await commit(&persisted, &paged, to: store)
                paged.evict(keepingBytes: 1)
            }
            #expect(paged.pagingFailure == nil)
            await store.close()
        }
    }

    /// Paging: a record pruned since the last commit (a discharged patient with nothing
    /// left, at a new message day) is gone, though the store still has it until the
    /// commit: a message for that patient in the same batch starts a new record, as in an
    /// engine holding everything, instead of reading the pruned one back.
    @Test func aRecordPrunedSinceTheLastCommitIsNotReadBackFromTheStore() async throws {
        let adt = Self.adt
        let messages = Self.messages
        let first = [adt("A01", "20260301080000", "P1", "c1"), adt("A03", "20260301100000", "P1", "c2")]
        // Enough messages of the next day for the clock (a median) to enter it.
        var second = (0..<120).map { adt("A08", "20260302080000", "Q1", "q\($0)") }
        second.append(adt("A08", "20260302090000", "P1", "c3"))
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        var whole = Self.engineHoldingEverything()
        var (paged, persisted) = try await pagedEngine(store, settings: whole.settings)
        for batch in [messages(first), messages(second)] {
            #expect(!batch.isEmpty)
            for (index, message) in batch.enumerated() {
                let source = MessageSource.file("/feed.hl7", offset: index)
                #expect(paged.process(message, source: source) == whole.process(message, source: source))
            }
            _ = try await commit(&persisted, &paged, to: store)
            paged.evict(keepingBytes: 1)
        }
        let key = whole.state.patients.keys.first { $0.identifier == "P1" }
        #expect(key != nil && whole.state.patients[key!]?.dischargedAt == nil, "P1 starts again")
        let held = try await stored(in: store)
        #expect(differences(held.patients, whole.state.patients) == 0)
        await store.close()
    }

    /// Schema 3 as the build before paging wrote it: records and identities in the binary
    /// formats, with no due time. Start-up reads those (and only those) parts, the first
    /// commit writes them with due times, and the paged engine goes on with the alerts of
    /// one uninterrupted run.
    @Test func binaryPartsStoredWithoutDueTimesAreRewrittenAndPagingGoesOnWithTheSameAlerts() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        var (fresh, messages) = engineAndMessages(count: 2000, seed: 23)
        for (index, message) in messages.prefix(1000).enumerated() {
            _ = fresh.process(message, source: .file("/feed.hl7", offset: index))
        }
        // What the earlier build committed: the remainder and every part, no due times.
        var rest = fresh.state
        rest.patients = [:]
        rest.processed = [:]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try await store.commit(
            StoreBatch(
                engineState: Array(try encoder.encode(rest)),
                engineStateVersion: SurveillanceState.currentVersion,
                engineParts: fresh.state.patients.values.map {
                    EnginePart(
                        kind: 3, key: PatientRecordFormat.storageKey($0.key),
                        value: PatientRecordFormat.encode($0))
                }
                    + fresh.state.processed.map {
                        EnginePart(
                            kind: 4, key: ProcessedMessageFormat.key($0.key),
                            value: ProcessedMessageFormat.value($0.value))
                    }))
        var (resumed, persisted) = try await pagedEngine(store, settings: fresh.settings)
        #expect(resumed.state.patients == fresh.state.patients, "parts with no due time are read at start")
        _ = try await commit(&persisted, &resumed, tracked: StateChanges(), to: store)
        #expect(try await store.engineParts().allSatisfy { $0.due != nil })
        (resumed, persisted) = try await pagedEngine(store, settings: fresh.settings)
        #expect(resumed.state.patients.isEmpty, "nothing read at start any more")
        let alerts = try await goOnPaged(
            &resumed, &persisted, beside: &fresh, messages: messages, from: 1000, store: store)
        #expect(alerts > 0, "the rest of the feed raises alerts")
        await store.close()
    }

    @Test func aBatchWritesOnlyThePartsItChanged() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        var (engine, messages) = engineAndMessages(count: 800, seed: 5)
        var (_, persisted) = try await PersistedEngineState.load(from: store)
        for (index, message) in messages.dropLast().enumerated() {
            _ = engine.process(message, source: .file("/feed.hl7", offset: index))
        }
        _ = try await commit(&persisted, &engine, to: store)
        // Nothing changed: nothing written.
        let empty = try await commit(&persisted, &engine, to: store)
        #expect(empty.isEmpty)
        // One more message: its patient's record and its identity, not every patient.
        _ = engine.process(messages[messages.count - 1], source: .file("/feed.hl7", offset: 800))
        let tracked = engine.takeChanges()
        #expect(tracked.patients.count <= 2 && tracked.processed.count <= 1)
        let one = try await commit(&persisted, &engine, tracked: tracked, to: store)
        let patientParts = one.engineParts.filter {
            $0.kind == PersistedEngineState.Kind.patientRecord.rawValue
        }
        #expect(patientParts.count <= 1, "\(patientParts.count) patient records written")
        #expect(one.engineParts.count <= 2)
        #expect(engine.state.patients.count > 10)
        await store.close()
    }

    @Test func aWholeStateStoredByAnEarlierVersionLoadsAndIsSplitAtTheFirstCommit() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        var (engine, messages) = engineAndMessages(count: 600, seed: 3)
        for (index, message) in messages.enumerated() {
            _ = engine.process(message, source: .file("/feed.hl7", offset: index))
        }
        // The earlier format: the whole state in engine_state, no parts.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try await store.commit(
            StoreBatch(engineState: Array(try encoder.encode(engine.state)), engineStateVersion: 1))
        var (loaded, persisted) = try await PersistedEngineState.load(from: store)
        #expect(loaded == engine.state)
        var split = SurveillanceEngine(settings: engine.settings, state: loaded)
        _ = try await commit(&persisted, &split, to: store)
        let held = try await stored(in: store)
        #expect(held.patients == engine.state.patients)
        #expect(held.processed == engine.state.processed)
        let (again, _) = try await PersistedEngineState.load(from: store)
        #expect(again.patients.isEmpty && again.merges == engine.state.merges)
        await store.close()
    }

    /// Tests/DaemonTests/Fixtures/state-json-parts.sqlite was written by the build before
    /// the binary formats (schema 3, records and identities as JSON parts): the first 600
    /// messages of feedgen seed 17 (30 patients, 1,200 messages), committed every 100.
    @Test func aStoreWrittenWithJSONPartsLoadsMigratesAndGoesOnWithTheSameAlertsAsAFreshRun() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/state-json-parts.sqlite").path
        try FileManager.default.copyItem(atPath: fixture, toPath: directory + "/extravasd.sqlite")
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        let settings = SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog)
        var reader = MessageReader()
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 17, patients: 30, terminator: .cr, signShare: 0.3), messageCount: 1200)
        feed.withUnsafeBytes { reader.append($0) }
        reader.finish()
        var messages: [Message] = []
        while let result = reader.next() {
            if case .success(let message) = result { messages.append(message) }
        }
        var fresh = SurveillanceEngine(settings: settings)
        for (index, message) in messages.prefix(600).enumerated() {
            _ = fresh.process(message, source: .file("/feed.hl7", offset: index))
        }
        let jsonParts = try await store.engineParts()
        #expect(jsonParts.allSatisfy { $0.kind == 1 || $0.kind == 2 }, "the fixture holds JSON parts only")
        var (loaded, persisted) = try await PersistedEngineState.load(from: store)
        #expect(loaded.patients == fresh.state.patients)
        #expect(loaded.processed == fresh.state.processed)
        #expect(loaded.merges == fresh.state.merges)
        #expect(loaded.clock == fresh.state.clock)
        // The first commit rewrites every part in the binary kinds (with due times) and
        // removes the JSON ones.
        var migrated = SurveillanceEngine(settings: settings, state: loaded)
        _ = try await commit(&persisted, &migrated, tracked: StateChanges(), to: store)
        let parts = try await store.engineParts()
        #expect(parts.allSatisfy { ($0.kind == 3 || $0.kind == 4) && $0.due != nil })
        #expect(parts.count == loaded.patients.count + loaded.processed.count)
        #expect(
            parts.filter { $0.kind == 3 }.allSatisfy {
                PatientRecordFormat.storageKey(try! PatientRecordFormat.decode($0.value).key) == $0.key
            })
        // Going on from the migrated store (paged: nothing read at start) gives the alerts
        // of one uninterrupted run, and the store ends up holding its state.
        var (resumed, resumedPersisted) = try await pagedEngine(store, settings: settings)
        #expect(resumed.state.patients.isEmpty)
        let alerts = try await goOnPaged(
            &resumed, &resumedPersisted, beside: &fresh, messages: messages, from: 600, store: store)
        #expect(alerts > 0, "the rest of the feed raises alerts")
        await store.close()
    }
}
