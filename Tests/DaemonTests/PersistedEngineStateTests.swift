import ClinicalEvents
import Configuration
import FeedGen
import Foundation
import HL7
import StateStore
import Surveillance
import Testing

@testable import Daemon

/// The engine state stored in parts: what is loaded equals what was committed, and a
/// batch writes only what it changed.
@Suite("Persisted engine state")
struct PersistedEngineStateTests {
    func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "extravasd-persisted-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    func engineAndMessages(count: Int, seed: UInt64) -> (SurveillanceEngine, [Message]) {
        let engine = SurveillanceEngine(
            settings: SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog))
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
        _ persisted: inout PersistedEngineState, _ state: SurveillanceState, tracked: StateChanges? = nil,
        to store: any SurveillanceStore
    ) async throws -> StoreBatch {
        let changes = try persisted.changes(to: state, tracked: tracked)
        let batch = StoreBatch(
            engineState: changes.remainder, engineStateVersion: SurveillanceState.currentVersion,
            engineParts: changes.parts, removedEngineParts: changes.removed)
        try await store.commit(batch)
        persisted.committed(state, remainder: changes.remainder)
        return batch
    }

    @Test func theStateLoadedFromPartsEqualsTheStateCommittedAfterEveryBatch() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store: any SurveillanceStore = try SQLiteStore(directory: directory)
        var (engine, messages) = engineAndMessages(count: 1500, seed: 11)
        var (_, persisted) = try await PersistedEngineState.load(from: store)
        var checked = 0
        var prunedDays = 0
        for (index, message) in messages.enumerated() {
            _ = engine.process(message, source: .file("/feed.hl7", offset: index))
            guard index % 97 == 0 || index == messages.count - 1 else { continue }
            // What the engine says it changed (merges and new message days included).
            let tracked = engine.takeChanges()
            if tracked.untracked { prunedDays += 1 }
            _ = try await commit(&persisted, engine.state, tracked: tracked, to: store)
            if index % 291 == 0 || index == messages.count - 1 {
                let (loaded, _) = try await PersistedEngineState.load(from: store)
                #expect(loaded.patients == engine.state.patients)
                #expect(loaded.processed == engine.state.processed)
                #expect(loaded.merges == engine.state.merges)
                #expect(loaded.clock == engine.state.clock)
                checked += 1
            }
        }
        #expect(checked >= 5)
        #expect(engine.state.patients.count > 10)
        #expect(!engine.state.merges.isEmpty, "the feed merges patients")
        #expect(prunedDays > 0, "the feed spans new message days (pruning: changes not listed one by one)")
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
        _ = try await commit(&persisted, engine.state, tracked: engine.takeChanges(), to: store)
        // Nothing changed: nothing written.
        let empty = try await commit(&persisted, engine.state, tracked: engine.takeChanges(), to: store)
        #expect(empty.isEmpty)
        // One more message: its patient's record and its identity, not every patient.
        _ = engine.process(messages[messages.count - 1], source: .file("/feed.hl7", offset: 800))
        let tracked = engine.takeChanges()
        #expect(tracked.patients.count <= 2 && tracked.processed.count <= 1)
        let one = try await commit(&persisted, engine.state, tracked: tracked, to: store)
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
        _ = try await commit(&persisted, loaded, to: store)
        #expect(
            try await store.engineParts().count == engine.state.patients.count + engine.state.processed.count)
        let (again, _) = try await PersistedEngineState.load(from: store)
        #expect(again.patients == engine.state.patients)
        #expect(again.processed == engine.state.processed)
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
        // The first commit rewrites every part in the binary kinds and removes the JSON ones.
        _ = try await commit(&persisted, loaded, tracked: StateChanges(), to: store)
        let parts = try await store.engineParts()
        #expect(parts.allSatisfy { $0.kind == 3 || $0.kind == 4 })
        #expect(parts.count == loaded.patients.count + loaded.processed.count)
        #expect(
            parts.filter { $0.kind == 3 }.allSatisfy {
                PatientRecordFormat.storageKey(try! PatientRecordFormat.decode($0.value).key) == $0.key
            })
        // Going on from the migrated store gives the alerts of one uninterrupted run.
        let (again, _) = try await PersistedEngineState.load(from: store)
        #expect(again == loaded)
        var resumed = SurveillanceEngine(settings: settings, state: again)
        var alerts = 0
        for (index, message) in messages.enumerated().dropFirst(600) {
            let source = MessageSource.file("/feed.hl7", offset: index)
            let expected = fresh.process(message, source: source)
            #expect(resumed.process(message, source: source) == expected, "message \(index)")
            if case .processed(let raised) = expected { alerts += raised.count }
        }
        #expect(alerts > 0, "the rest of the feed raises alerts")
        #expect(resumed.state == fresh.state)
        await store.close()
    }
}
