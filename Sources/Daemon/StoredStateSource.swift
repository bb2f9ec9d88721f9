import ClinicalEvents
import StateStore
import Surveillance

/// The engine's ``PagedStateSource`` over the store: records and identities read from
/// the parts ``PersistedEngineState`` writes, through a reader of the store's own
/// (``EnginePartReader``: committed data only).
struct StoredStateSource: PagedStateSource {
    let reader: any EnginePartReader

    func record(_ key: PatientKey) throws -> PatientRecord? {
        try reader.value(
            kind: PersistedEngineState.Kind.patientRecord.rawValue, key: PatientRecordFormat.storageKey(key)
        ).map { try PatientRecordFormat.decode($0) }
    }

    func recordsDue(through time: Instant) throws -> [PatientKey] {
        try reader.keysDue(kind: PersistedEngineState.Kind.patientRecord.rawValue, through: time.seconds).map
        {
            try PatientRecordFormat.patientKey(fromStorageKey: $0)
        }
    }

    func processedTime(_ identity: MessageIdentity) throws -> Instant? {
        try reader.value(
            kind: PersistedEngineState.Kind.processedMessage.rawValue,
            key: ProcessedMessageFormat.key(identity)
        ).map { try ProcessedMessageFormat.time(fromValue: $0) }
    }

    func processedDue(through time: Instant) throws -> [MessageIdentity] {
        try reader.keysDue(kind: PersistedEngineState.Kind.processedMessage.rawValue, through: time.seconds)
            .map {
                try ProcessedMessageFormat.identity(fromKey: $0)
            }
    }

    func hasStoredIdentities() throws -> Bool {
        try reader.count(kind: PersistedEngineState.Kind.processedMessage.rawValue) > 0
    }
}
