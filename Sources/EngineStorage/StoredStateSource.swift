import ClinicalEvents
import StateStore
import Surveillance

/// The engine's ``PagedStateSource`` over the store: records and identities read from
/// the parts ``PersistedEngineState`` writes, through a reader of the store's own
/// (``EnginePartReader``: committed data only).
public struct StoredStateSource: PagedStateSource {
    /// The store's reader.
    public let reader: any EnginePartReader

    /// A source over `reader`.
    public init(reader: any EnginePartReader) { self.reader = reader }

    /// The stored record of `key`, decoded.
    public func record(_ key: PatientKey) throws -> PatientRecord? {
        try reader.value(
            kind: PersistedEngineState.Kind.patientRecord.rawValue, key: PatientRecordFormat.storageKey(key)
        ).map { try PatientRecordFormat.decode($0) }
    }

    /// The stored records of those of `keys` that have one, decoded: one read of the
    /// store's reader (``EnginePartReader/values(kind:keys:)``).
    public func records(_ keys: [PatientKey]) throws -> [PatientKey: PatientRecord] {
        let storageKeys = keys.map { PatientRecordFormat.storageKey($0) }
        let values = try reader.values(
            kind: PersistedEngineState.Kind.patientRecord.rawValue, keys: storageKeys)
        var found: [PatientKey: PatientRecord] = [:]
        found.reserveCapacity(values.count)
        for (key, storageKey) in zip(keys, storageKeys) {
            guard let value = values[storageKey] else { continue }
            found[key] = try PatientRecordFormat.decode(value)
        }
        return found
    }

    /// Whether the store's reader reads many values at once for much less than one at a
    /// time (``EnginePartReader/readsManyAtOnce``).
    public var readsManyAtOnce: Bool { reader.readsManyAtOnce }

    /// The keys of stored records due by `time`.
    public func recordsDue(through time: Instant) throws -> [PatientKey] {
        try reader.keysDue(kind: PersistedEngineState.Kind.patientRecord.rawValue, through: time.seconds).map
        {
            try PatientRecordFormat.patientKey(fromStorageKey: $0)
        }
    }

    /// The stored time of `identity`.
    public func processedTime(_ identity: MessageIdentity) throws -> Instant? {
        try reader.value(
            kind: PersistedEngineState.Kind.processedMessage.rawValue,
            key: ProcessedMessageFormat.key(identity)
        ).map { try ProcessedMessageFormat.time(fromValue: $0) }
    }

    /// The stored identities recorded at or before `time`.
    public func processedDue(through time: Instant) throws -> [MessageIdentity] {
        try reader.keysDue(kind: PersistedEngineState.Kind.processedMessage.rawValue, through: time.seconds)
            .map {
                try ProcessedMessageFormat.identity(fromKey: $0)
            }
    }

    /// How many identities are stored.
    public func storedIdentityCount() throws -> Int {
        try reader.count(kind: PersistedEngineState.Kind.processedMessage.rawValue)
    }

    /// Each stored identity, decoded from its key.
    public func forEachStoredIdentity(_ body: (MessageIdentity) -> Void) throws {
        try reader.forEachKey(kind: PersistedEngineState.Kind.processedMessage.rawValue) {
            body(try ProcessedMessageFormat.identity(fromKey: $0))
        }
    }
}
