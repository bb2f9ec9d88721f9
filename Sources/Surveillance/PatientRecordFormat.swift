import BinaryRecords
import ClinicalEvents
import Sites
import Signs
import Catalog

/// The binary format of a ``PatientRecord`` in the state store: compact, versioned, and
/// the same bytes for the same record on every platform and toolchain (unlike an
/// encoder's output, which no format promises).
///
/// A record starts with its format version (one byte); a reader takes every version up
/// to ``currentVersion`` and refuses a later one by name. Version 1, in order: the key
/// (``storageKey(_:)`` bytes' fields: identifier, optional authority), birth date, visit,
/// location, discharge time, labs, orders (with their exposures and administrations),
/// episodes (sets and tables sorted, so equal records give equal bytes), standalone
/// administrations, the ADT history, lines in place. Times are seconds since the epoch
/// (zigzag varints); sites their side and part; enumerations their raw values.
public enum PatientRecordFormat {
    /// The version this build writes.
    public static let currentVersion: UInt8 = 1

    /// The record's bytes.
    public static func encode(_ record: PatientRecord) -> [UInt8] {
        var writer = BinaryWriter(capacity: 512)
        writer.byte(currentVersion)
        writer.patientKey(record.key)
        writer.optionalString(record.birthDate)
        writer.optionalString(record.visit)
        writer.optionalString(record.location)
        writer.optional(record.dischargedAt) { $0.instant($1) }
        writer.array(record.labs) { $0.lab($1) }
        writer.array(record.orders) { $0.order($1) }
        writer.array(record.episodes) { $0.episode($1) }
        writer.array(record.standaloneAdministrations) { writer, administration in
            writer.string(administration.identity)
            writer.exposure(administration.exposure)
        }
        writer.optional(record.admissionHistory) { writer, history in
            writer.optional(history.beforeAdmission) { $0.placement($1) }
            writer.optional(history.beforeTransfer) { $0.placement($1) }
        }
        writer.array(record.lines) { writer, line in
            writer.site(line.site)
            writer.instant(line.since)
            writer.instant(line.lastAssessed)
            writer.optional(line.removedAt) { $0.instant($1) }
        }
        return writer.bytes
    }

    /// The record in `bytes`; an error names the offset and field of the first damage.
    public static func decode(_ bytes: [UInt8]) throws(BinaryDecodingError) -> PatientRecord {
        var reader = BinaryReader(bytes)
        let version = try reader.reading("version") { reader throws(BinaryDecodingError) in try reader.byte()
        }
        guard version >= 1 && version <= currentVersion else {
            throw BinaryDecodingError(
                code: .unknownVersion, offset: 0, field: "version",
                reason: "record format \(version); this build reads 1 to \(currentVersion)")
        }
        var record = PatientRecord(
            key: try reader.reading("key") { reader throws(BinaryDecodingError) in try reader.patientKey() })
        try reader.reading("record") { reader throws(BinaryDecodingError) in
            record.birthDate = try reader.optionalString()
            record.visit = try reader.optionalString()
            record.location = try reader.optionalString()
            record.dischargedAt = try reader.optional { reader throws(BinaryDecodingError) in
                try reader.instant()
            }
        }
        record.labs = try reader.reading("labs") { reader throws(BinaryDecodingError) in
            try reader.array { reader throws(BinaryDecodingError) in try reader.lab() }
        }
        record.orders = try reader.reading("orders") { reader throws(BinaryDecodingError) in
            try reader.array { reader throws(BinaryDecodingError) in try reader.order() }
        }
        record.episodes = try reader.reading("episodes") { reader throws(BinaryDecodingError) in
            try reader.array { reader throws(BinaryDecodingError) in try reader.episode() }
        }
        record.standaloneAdministrations = try reader.reading("standaloneAdministrations") {
            reader throws(BinaryDecodingError) in
            try reader.array { reader throws(BinaryDecodingError) in
                StandaloneAdministration(identity: try reader.string(), exposure: try reader.exposure())
            }
        }
        record.admissionHistory = try reader.reading("admissionHistory") {
            reader throws(BinaryDecodingError) in
            try reader.optional { reader throws(BinaryDecodingError) in
                AdmissionHistory(
                    beforeAdmission: try reader.optional { reader throws(BinaryDecodingError) in
                        try reader.placement()
                    },
                    beforeTransfer: try reader.optional { reader throws(BinaryDecodingError) in
                        try reader.placement()
                    })
            }
        }
        record.lines = try reader.reading("lines") { reader throws(BinaryDecodingError) in
            try reader.array { reader throws(BinaryDecodingError) in
                var line = LineInPlace(site: try reader.site(), since: try reader.instant())
                line.lastAssessed = try reader.instant()
                line.removedAt = try reader.optional { reader throws(BinaryDecodingError) in
                    try reader.instant()
                }
                return line
            }
        }
        try reader.expectEnd()
        return record
    }

    /// The key a patient's record is stored under: its identifier and authority as
    /// written here (length-prefixed UTF-8, the authority's presence byte between), so
    /// the same patient always has the same key bytes and two patients never share them.
    public static func storageKey(_ key: PatientKey) -> [UInt8] {
        var writer = BinaryWriter(capacity: 32)
        writer.patientKey(key)
        return writer.bytes
    }

    /// The patient key stored as `bytes` by ``storageKey(_:)``.
    public static func patientKey(fromStorageKey bytes: [UInt8]) throws(BinaryDecodingError) -> PatientKey {
        var reader = BinaryReader(bytes)
        let key = try reader.reading("key") { reader throws(BinaryDecodingError) in try reader.patientKey() }
        try reader.expectEnd()
        return key
    }
}

// MARK: - The parts of a record

extension BinaryWriter {
    mutating func patientKey(_ key: PatientKey) {
        string(key.identifier)
        optionalString(key.authority)
    }

    mutating func instant(_ time: Instant) { signed(time.seconds) }

    mutating func site(_ site: CanonicalSite) {
        optional(site.laterality) { $0.string($1.rawValue) }
        string(site.part)
    }

    mutating func lab(_ lab: LabResult) {
        string(lab.analyte.rawValue)
        double(lab.value)
        optional(lab.unit) { $0.string($1.rawValue) }
        bool(lab.high)
        bool(lab.low)
        instant(lab.time)
    }

    mutating func order(_ order: InfusionOrder) {
        optionalString(order.placerNumber)
        optionalString(order.fillerNumber)
        string(order.entryID)
        string(order.drug)
        optional(order.plannedEnd) { $0.instant($1) }
        bool(order.ended)
        array(order.exposures) { $0.exposure($1) }
        array(order.administrations) { writer, administration in
            writer.string(administration.identity)
            writer.instant(administration.start)
            writer.optional(administration.end) { $0.instant($1) }
        }
    }

    mutating func exposure(_ exposure: SiteExposure) {
        optional(exposure.site) { $0.site($1) }
        instant(exposure.start)
        optional(exposure.end) { $0.instant($1) }
        optionalString(exposure.orderNumber)
        string(exposure.drug)
        string(exposure.entryID)
        string(exposure.risk.rawValue)
        signed(Int64(exposure.watchWindowHours))
        bool(exposure.calciumEntry)
        optional(exposure.administeredFrom) { $0.instant($1) }
        optional(exposure.administeredUntil) { $0.instant($1) }
    }

    mutating func exposureIdentity(_ identity: ExposureIdentity) {
        optionalString(identity.orderNumber)
        optional(identity.site) { $0.site($1) }
        instant(identity.start)
    }

    mutating func signs(_ signs: Set<SignKind>) {
        array(signs.sorted()) { $0.string($1.rawValue) }
    }

    mutating func episode(_ episode: Episode) {
        exposureIdentity(episode.exposure)
        signs(episode.alertedSigns)
        optional(episode.lastSeverity) { $0.string($1.rawValue) }
        array(episode.sequences.sorted { $0.key < $1.key }) { writer, entry in
            writer.string(entry.key)
            writer.signed(Int64(entry.value))
        }
        bool(episode.calcinosisAlerted)
        array(episode.documentedSigns.sorted { $0.key < $1.key }) { writer, entry in
            writer.string(entry.key)
            writer.signs(entry.value)
        }
        signs(episode.withdrawnSigns)
    }

    mutating func placement(_ placement: Placement) {
        optionalString(placement.location)
        optionalString(placement.visit)
        optional(placement.dischargedAt) { $0.instant($1) }
    }
}

extension BinaryReader {
    mutating func patientKey() throws(BinaryDecodingError) -> PatientKey {
        PatientKey(identifier: try string(), authority: try optionalString())
    }

    mutating func instant() throws(BinaryDecodingError) -> Instant { Instant(seconds: try signed()) }

    mutating func site() throws(BinaryDecodingError) -> CanonicalSite {
        let laterality = try optional { reader throws(BinaryDecodingError) in try reader.raw(Laterality.self)
        }
        let part = try string()
        guard !part.isEmpty else { throw error(.malformed, "a site with no part") }
        return CanonicalSite(laterality: laterality, part: part)
    }

    /// A raw value of `Value` (an enumeration stored by its raw value).
    mutating func raw<Value: RawRepresentable<String>>(_: Value.Type) throws(BinaryDecodingError) -> Value {
        let text = try string()
        guard let value = Value(rawValue: text) else {
            throw error(.malformed, "\"\(text.prefix(40))\" is not a \(Value.self)")
        }
        return value
    }

    mutating func lab() throws(BinaryDecodingError) -> LabResult {
        LabResult(
            analyte: try raw(Analyte.self), value: try double(),
            unit: try optional { reader throws(BinaryDecodingError) in try reader.raw(LabUnit.self) },
            high: try bool(), low: try bool(), time: try instant())
    }

    mutating func order() throws(BinaryDecodingError) -> InfusionOrder {
        InfusionOrder(
            placerNumber: try optionalString(), fillerNumber: try optionalString(), entryID: try string(),
            drug: try string(),
            plannedEnd: try optional { reader throws(BinaryDecodingError) in try reader.instant() },
            ended: try bool(),
            exposures: try reading("orders.exposures") { reader throws(BinaryDecodingError) in
                try reader.array { reader throws(BinaryDecodingError) in try reader.exposure() }
            },
            administrations: try reading("orders.administrations") { reader throws(BinaryDecodingError) in
                try reader.array { reader throws(BinaryDecodingError) in
                    AdministrationRecord(
                        identity: try reader.string(), start: try reader.instant(),
                        end: try reader.optional { reader throws(BinaryDecodingError) in try reader.instant()
                        })
                }
            })
    }

    mutating func exposure() throws(BinaryDecodingError) -> SiteExposure {
        var exposure = SiteExposure(
            site: try optional { reader throws(BinaryDecodingError) in try reader.site() },
            start: try instant(),
            end: try optional { reader throws(BinaryDecodingError) in try reader.instant() },
            orderNumber: try optionalString(), drug: try string(), entryID: try string(),
            risk: try raw(RiskTier.self), watchWindowHours: Int(try signed()), calciumEntry: try bool())
        exposure.administeredFrom = try optional { reader throws(BinaryDecodingError) in try reader.instant()
        }
        exposure.administeredUntil = try optional { reader throws(BinaryDecodingError) in try reader.instant()
        }
        return exposure
    }

    mutating func exposureIdentity() throws(BinaryDecodingError) -> ExposureIdentity {
        ExposureIdentity(
            orderNumber: try optionalString(),
            site: try optional { reader throws(BinaryDecodingError) in try reader.site() },
            start: try instant())
    }

    mutating func signs() throws(BinaryDecodingError) -> Set<SignKind> {
        Set(try array { reader throws(BinaryDecodingError) in try reader.raw(SignKind.self) })
    }

    mutating func episode() throws(BinaryDecodingError) -> Episode {
        var episode = Episode(exposure: try exposureIdentity())
        episode.alertedSigns = try signs()
        episode.lastSeverity = try optional { reader throws(BinaryDecodingError) in
            try reader.raw(Severity.self)
        }
        let sequences = try array { reader throws(BinaryDecodingError) in
            (try reader.string(), Int(try reader.signed()))
        }
        episode.sequences = Dictionary(sequences, uniquingKeysWith: { first, _ in first })
        episode.calcinosisAlerted = try bool()
        let documented = try array { reader throws(BinaryDecodingError) in
            (try reader.string(), try reader.signs())
        }
        episode.documentedSigns = Dictionary(documented, uniquingKeysWith: { first, _ in first })
        episode.withdrawnSigns = try signs()
        return episode
    }

    mutating func placement() throws(BinaryDecodingError) -> Placement {
        Placement(
            location: try optionalString(), visit: try optionalString(),
            dischargedAt: try optional { reader throws(BinaryDecodingError) in try reader.instant() })
    }
}
