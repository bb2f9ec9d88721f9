import ClinicalEvents
import Foundation
import StateStore
import Surveillance

/// The engine state as the store holds it: each patient record and each processed
/// message identity as a part of its own (``EnginePart``), and the small remainder (the
/// clock, merges) as the state's own encoding with no patients and no identities. A
/// batch writes only what the engine says it changed (``StateChanges``).
///
/// Records and identities are paged: start-up reads the remainder and nothing else
/// (except parts of earlier builds, below); the engine reads the parts it needs through
/// ``StoredStateSource`` and lets go of committed ones past its cache. Each part is stored
/// with its due time (``EnginePart/due``: a record's ``SurveillanceEngine/pruneDue(of:)``,
/// an identity's time), so pruning finds the stored parts it must look at by an index.
///
/// Records and identities are stored in the binary formats (``PatientRecordFormat``,
/// ``ProcessedMessageFormat``): stable keys, the same bytes on every toolchain. What an
/// earlier build stored (JSON parts, a whole state in the remainder, binary parts with
/// no due time) is read at start and rewritten by the first commit after loading (JSON
/// parts removed in the same transaction).
public struct PersistedEngineState: Sendable {
    /// Part kinds.
    public enum Kind: Int, Sendable {
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
        /// Replay's position in one feed file (`replay --state`), keyed by its path
        /// (``ReplayPositionFormat``); the daemon's checkpoints are a table of their own.
        case replayPosition = 5
    }

    /// The remainder as stored (not written again when unchanged).
    private var storedRemainder: [UInt8]?
    /// Parts of the JSON kinds that were loaded: removed by the next commit, which
    /// writes their content in the binary kinds.
    private var legacyParts: [EnginePartKey] = []
    /// Records and identities loaded at start from an earlier build's storage: written
    /// by the next commit (with their due times).
    private var rewrite: (patients: Set<PatientKey>, identities: Set<MessageIdentity>) = ([], [])

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// The state to start from: the remainder (clock, merges) and only what an earlier
    /// build stored in another form (to be rewritten); every other record and identity
    /// stays in the store, read when needed.
    public static func load(from store: any SurveillanceStore) async throws -> (
        SurveillanceState, PersistedEngineState
    ) {
        guard let saved = try await store.engineState() else {
            return (SurveillanceState(), PersistedEngineState(storedRemainder: nil))
        }
        return try load(
            remainder: saved.bytes,
            parts: try await store.engineParts(kinds: startKinds, unknownDueKinds: startUnknownDueKinds))
    }

    /// The kinds start-up reads whole (only earlier builds' JSON parts).
    public static let startKinds = [Kind.patient.rawValue, Kind.processed.rawValue]
    /// The kinds of which start-up reads the parts stored with no due time (by earlier builds).
    public static let startUnknownDueKinds = [Kind.patientRecord.rawValue, Kind.processedMessage.rawValue]

    /// The state to start from, given the stored remainder (`nil`: none stored) and the
    /// parts of ``startKinds`` and, with no due time, of ``startUnknownDueKinds``.
    public static func load(remainder: [UInt8]?, parts: [EnginePart]) throws -> (
        SurveillanceState, PersistedEngineState
    ) {
        guard let remainder else { return (SurveillanceState(), PersistedEngineState(storedRemainder: nil)) }
        let decoder = JSONDecoder()
        var state = try decoder.decode(SurveillanceState.self, from: Data(remainder))
        // A whole state stored by an earlier version: its patients and identities are not
        // parts yet.
        let whole = !state.patients.isEmpty || !state.processed.isEmpty
        var rewrite: (patients: Set<PatientKey>, identities: Set<MessageIdentity>) = (
            Set(state.patients.keys), Set(state.processed.keys)
        )
        var legacy: [EnginePartKey] = []
        for part in parts {
            switch Kind(rawValue: part.kind) {
            case .patientRecord:
                let record = try PatientRecordFormat.decode(part.value)
                state.patients[record.key] = record
                rewrite.patients.insert(record.key)
            case .processedMessage:
                let identity = try ProcessedMessageFormat.identity(fromKey: part.key)
                state.processed[identity] = try ProcessedMessageFormat.time(fromValue: part.value)
                rewrite.identities.insert(identity)
            case .patient:
                let record = try decoder.decode(PatientRecord.self, from: Data(part.value))
                state.patients[record.key] = record
                rewrite.patients.insert(record.key)
                legacy.append(EnginePartKey(kind: part.kind, key: part.key))
            case .processed:
                let identity = try decoder.decode(MessageIdentity.self, from: Data(part.key))
                state.processed[identity] = try decoder.decode(Instant.self, from: Data(part.value))
                rewrite.identities.insert(identity)
                legacy.append(EnginePartKey(kind: part.kind, key: part.key))
            case .replayPosition, nil:
                continue  // not the engine's, or a kind of a newer build: not ours to read
            }
        }
        var persisted = PersistedEngineState(storedRemainder: whole ? nil : remainder)
        persisted.legacyParts = legacy
        persisted.rewrite = rewrite
        return (state, persisted)
    }

    /// Starts from a state that is all in memory (a state file of an earlier build): the
    /// first commit writes all of it.
    public static func unstored(_ state: SurveillanceState) -> PersistedEngineState {
        var persisted = PersistedEngineState(storedRemainder: nil)
        persisted.rewrite = (Set(state.patients.keys), Set(state.processed.keys))
        return persisted
    }

    private init(storedRemainder: [UInt8]?) {
        self.storedRemainder = storedRemainder
    }

    /// What to write so that the store holds what the engine changed: the remainder (when
    /// changed), the changed records and identities held in `state` (with their due
    /// times: `due` of a record), the removal of those it no longer holds. Changes listed
    /// as untracked (tests' whole-state pruning) write everything held, and remove
    /// nothing.
    public func changes(
        to state: SurveillanceState, tracked: StateChanges, due: (borrowing PatientRecord) -> Int64
    ) throws -> (remainder: [UInt8]?, parts: [EnginePart], removed: [EnginePartKey]) {
        let encoder = Self.encoder()
        var parts: [EnginePart] = []
        var removed = legacyParts
        var patients = rewrite.patients.union(tracked.patients)
        var identities = rewrite.identities.union(tracked.processed)
        if tracked.untracked {
            patients.formUnion(state.patients.keys)
            identities.formUnion(state.processed.keys)
        }
        for key in patients.sorted() {
            let storageKey = PatientRecordFormat.storageKey(key)
            if let record = state.patients[key] {
                parts.append(
                    EnginePart(
                        kind: Kind.patientRecord.rawValue, key: storageKey,
                        value: PatientRecordFormat.encode(record), due: due(record)))
            } else {
                removed.append(EnginePartKey(kind: Kind.patientRecord.rawValue, key: storageKey))
            }
        }
        // In key order: the same changes write the same pages, whatever the hash order.
        for (identity, key) in identities.map({ ($0, ProcessedMessageFormat.key($0)) }).sorted(by: {
            $0.1.lexicographicallyPrecedes($1.1)
        }) {
            if let time = state.processed[identity] {
                parts.append(
                    EnginePart(
                        kind: Kind.processedMessage.rawValue, key: key,
                        value: ProcessedMessageFormat.value(time),
                        due: time.seconds))
            } else {
                removed.append(EnginePartKey(kind: Kind.processedMessage.rawValue, key: key))
            }
        }
        var rest = state
        rest.patients = [:]
        rest.processed = [:]
        let remainder = Array(try encoder.encode(rest))
        return (remainder == storedRemainder ? nil : remainder, parts, removed)
    }

    /// Records that the store now holds what ``changes(to:tracked:due:)`` gave.
    public mutating func committed(remainder: [UInt8]?) {
        legacyParts = []
        rewrite = ([], [])
        if let remainder { storedRemainder = remainder }
    }
}
