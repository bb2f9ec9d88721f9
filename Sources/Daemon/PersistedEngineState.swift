import ClinicalEvents
import Foundation
import StateStore
import Surveillance

/// The engine state as the store holds it: each patient record and each processed
/// message identity as a part of its own (``EnginePart``), and the small remainder (the
/// clock, merges) as the state's own encoding with no patients and no identities. A
/// batch then writes only what it changed: the parts that differ from what is stored,
/// found by comparing with the state last committed (unchanged records share their
/// storage with it, so the comparison is cheap), instead of encoding the whole state.
struct PersistedEngineState {
    /// Part kinds.
    enum Kind: Int {
        /// A ``PatientRecord`` keyed by its encoded ``PatientKey``.
        case patient = 1
        /// A processed message's time keyed by its encoded ``MessageIdentity``.
        case processed = 2
    }

    /// What the store holds now.
    private(set) var stored: SurveillanceState
    /// The remainder as stored (not written again when unchanged).
    private var storedRemainder: [UInt8]?
    /// Whether the next commit must compare every record (a whole state from an earlier
    /// version was loaded: none of it is stored as parts yet).
    private var compareEverything: Bool

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// The state from what `store` holds: the remainder, then every part. A state stored
    /// whole by an earlier version (patients inside the remainder) loads too; its
    /// records are written as parts by the first commit.
    static func load(from store: any SurveillanceStore) async throws -> (
        SurveillanceState, PersistedEngineState
    ) {
        guard let saved = try await store.engineState() else {
            return (
                SurveillanceState(),
                PersistedEngineState(
                    stored: SurveillanceState(), storedRemainder: nil, compareEverything: false)
            )
        }
        let decoder = JSONDecoder()
        var state = try decoder.decode(SurveillanceState.self, from: Data(saved.bytes))
        // A whole state stored by an earlier version: its patients and identities are not
        // parts yet, so they count as not stored.
        let whole = !state.patients.isEmpty || !state.processed.isEmpty
        var stored = state
        stored.patients = [:]
        stored.processed = [:]
        for part in try await store.engineParts() {
            switch Kind(rawValue: part.kind) {
            case .patient:
                let record = try decoder.decode(PatientRecord.self, from: Data(part.value))
                state.patients[record.key] = record
                stored.patients[record.key] = record
            case .processed:
                let identity = try decoder.decode(MessageIdentity.self, from: Data(part.key))
                let time = try decoder.decode(Instant.self, from: Data(part.value))
                state.processed[identity] = time
                stored.processed[identity] = time
            case nil:
                continue  // a kind of a newer build: not ours to read
            }
        }
        return (
            state,
            PersistedEngineState(
                stored: stored, storedRemainder: whole ? nil : saved.bytes, compareEverything: whole)
        )
    }

    /// What to write so that the store holds `state`: the remainder (when changed), the
    /// parts that differ, the parts that are gone. `tracked` lists what the engine
    /// changed since the last commit; without it, or when it says changes went
    /// untracked, every record is compared.
    func changes(to state: SurveillanceState, tracked: StateChanges? = nil) throws -> (
        remainder: [UInt8]?, parts: [EnginePart], removed: [EnginePartKey]
    ) {
        let encoder = Self.encoder()
        var parts: [EnginePart] = []
        var removed: [EnginePartKey] = []
        func patient(_ key: PatientKey) throws {
            if let record = state.patients[key] {
                guard stored.patients[key] != record else { return }
                parts.append(
                    EnginePart(
                        kind: Kind.patient.rawValue, key: Array(try encoder.encode(key)),
                        value: Array(try encoder.encode(record))))
            } else if stored.patients[key] != nil {
                removed.append(
                    EnginePartKey(kind: Kind.patient.rawValue, key: Array(try encoder.encode(key))))
            }
        }
        func processed(_ identity: MessageIdentity) throws {
            if let time = state.processed[identity] {
                guard stored.processed[identity] != time else { return }
                parts.append(
                    EnginePart(
                        kind: Kind.processed.rawValue, key: Array(try encoder.encode(identity)),
                        value: Array(try encoder.encode(time))))
            } else if stored.processed[identity] != nil {
                removed.append(
                    EnginePartKey(kind: Kind.processed.rawValue, key: Array(try encoder.encode(identity))))
            }
        }
        if let tracked, !tracked.untracked, !compareEverything {
            for key in tracked.patients { try patient(key) }
            for identity in tracked.processed { try processed(identity) }
        } else {
            for key in Set(state.patients.keys).union(stored.patients.keys) { try patient(key) }
            for identity in Set(state.processed.keys).union(stored.processed.keys) { try processed(identity) }
        }
        var rest = state
        rest.patients = [:]
        rest.processed = [:]
        let remainder = Array(try encoder.encode(rest))
        return (remainder == storedRemainder ? nil : remainder, parts, removed)
    }

    /// Records that the store now holds `state` (after the commit of ``changes(to:)``).
    mutating func committed(_ state: SurveillanceState, remainder: [UInt8]?) {
        stored = state
        compareEverything = false
        if let remainder { storedRemainder = remainder }
    }
}
