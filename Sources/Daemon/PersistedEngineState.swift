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
///
/// Records and identities are stored in the binary formats (``PatientRecordFormat``,
/// ``ProcessedMessageFormat``): stable keys, the same bytes on every toolchain. Parts an
/// earlier build stored as JSON are read and rewritten in the binary kinds by the first
/// commit after loading (their JSON parts removed in the same transaction).
struct PersistedEngineState {
    /// Part kinds.
    enum Kind: Int {
        /// A ``PatientRecord`` as JSON keyed by its ``PatientKey`` as JSON (written by
        /// earlier builds: read, then replaced by ``patientRecord`` at the first commit).
        case patient = 1
        /// A processed message's time keyed by its ``MessageIdentity``, both as JSON
        /// (earlier builds; replaced by ``processedMessage`` at the first commit).
        case processed = 2
        /// A ``PatientRecord`` in ``PatientRecordFormat``, keyed by its storage key.
        case patientRecord = 3
        /// A processed message's time in ``ProcessedMessageFormat``.
        case processedMessage = 4
    }

    /// What the store holds now.
    private(set) var stored: SurveillanceState
    /// The remainder as stored (not written again when unchanged).
    private var storedRemainder: [UInt8]?
    /// Whether the next commit must compare every record (a whole state from an earlier
    /// version was loaded: none of it is stored as parts yet).
    private var compareEverything: Bool
    /// Parts of the JSON kinds that were loaded: removed by the next commit, which
    /// writes their content in the binary kinds.
    private var legacyParts: [EnginePartKey] = []

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
        var legacy: [EnginePartKey] = []
        let parts = try await store.engineParts()
        // Sized once: growing tables of 100,000 records rehashes them again and again.
        let records = parts.reduce(0) { $0 + ($1.kind == Kind.patientRecord.rawValue ? 1 : 0) }
        state.patients.reserveCapacity(records)
        stored.patients.reserveCapacity(records)
        state.processed.reserveCapacity(parts.count - records)
        stored.processed.reserveCapacity(parts.count - records)
        for part in parts {
            switch Kind(rawValue: part.kind) {
            case .patientRecord:
                let record = try PatientRecordFormat.decode(part.value)
                state.patients[record.key] = record
                stored.patients[record.key] = record
            case .processedMessage:
                let identity = try ProcessedMessageFormat.identity(fromKey: part.key)
                let time = try ProcessedMessageFormat.time(fromValue: part.value)
                state.processed[identity] = time
                stored.processed[identity] = time
            case .patient:
                // An earlier build's JSON: loaded, and counted as not stored, so that the
                // next commit writes it in the binary kind (and removes this part).
                let record = try decoder.decode(PatientRecord.self, from: Data(part.value))
                state.patients[record.key] = record
                legacy.append(EnginePartKey(kind: part.kind, key: part.key))
            case .processed:
                let identity = try decoder.decode(MessageIdentity.self, from: Data(part.key))
                state.processed[identity] = try decoder.decode(Instant.self, from: Data(part.value))
                legacy.append(EnginePartKey(kind: part.kind, key: part.key))
            case nil:
                continue  // a kind of a newer build: not ours to read
            }
        }
        var persisted = PersistedEngineState(
            stored: stored, storedRemainder: whole ? nil : saved.bytes,
            compareEverything: whole || !legacy.isEmpty)
        persisted.legacyParts = legacy
        return (state, persisted)
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
        var removed = legacyParts
        func patient(_ key: PatientKey) {
            if let record = state.patients[key] {
                guard stored.patients[key] != record else { return }
                parts.append(
                    EnginePart(
                        kind: Kind.patientRecord.rawValue, key: PatientRecordFormat.storageKey(key),
                        value: PatientRecordFormat.encode(record)))
            } else if stored.patients[key] != nil {
                removed.append(
                    EnginePartKey(kind: Kind.patientRecord.rawValue, key: PatientRecordFormat.storageKey(key))
                )
            }
        }
        func processed(_ identity: MessageIdentity) {
            if let time = state.processed[identity] {
                guard stored.processed[identity] != time else { return }
                parts.append(
                    EnginePart(
                        kind: Kind.processedMessage.rawValue, key: ProcessedMessageFormat.key(identity),
                        value: ProcessedMessageFormat.value(time)))
            } else if stored.processed[identity] != nil {
                removed.append(
                    EnginePartKey(
                        kind: Kind.processedMessage.rawValue, key: ProcessedMessageFormat.key(identity)))
            }
        }
        if let tracked, !tracked.untracked, !compareEverything {
            for key in tracked.patients { patient(key) }
            for identity in tracked.processed { processed(identity) }
        } else {
            for key in Set(state.patients.keys).union(stored.patients.keys) { patient(key) }
            for identity in Set(state.processed.keys).union(stored.processed.keys) { processed(identity) }
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
        legacyParts = []
        if let remainder { storedRemainder = remainder }
    }
}
