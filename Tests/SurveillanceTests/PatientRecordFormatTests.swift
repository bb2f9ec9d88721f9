import BinaryRecords
import ClinicalEvents
import Configuration
import FeedGen
import Foundation
import HL7
import Signs
import Sites
@testable import Surveillance
import Testing

/// The binary record format of the state store (``PatientRecordFormat``): every record the
/// engine builds reads back equal and writes back to the same bytes; version 1's layout
/// is pinned; damaged records are refused with the offset and field, never a trap.
@Suite("Patient record format")
struct PatientRecordFormatTests {
    /// Records as the engine builds them: snapshots along feedgen feeds (several seeds,
    /// many signs) and along the bundled example and vendor feeds.
    static func engineRecords() throws -> [PatientRecord] {
        var records: [PatientRecord] = []
        func replay(_ feed: [UInt8]) {
            var engine = SurveillanceEngine(
                settings: SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog))
            var count = 0
            for case .success(let message) in MessageReader.readAll(feed) {
                _ = engine.process(message, source: .file("feed", offset: message.offset))
                count += 1
                if count % 400 == 0 { records += engine.state.patients.values }
            }
            records += engine.state.patients.values
        }
        for seed in [3, 11, 42] {
            replay(
                FeedGenerator.feed(
                    options: FeedOptions(seed: UInt64(seed), patients: 30, signShare: 0.3),
                    simulatedSeconds: 12 * 86_400))
        }
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/feeds").standardized.path
        for name in [
            "seed-case.hl7", "engine-rules.hl7", "vendors/epic.hl7", "vendors/oracle-health.hl7",
            "vendors/meditech.hl7", "vendors/interface-engine.hl7",
        ] {
            replay(Array(try Data(contentsOf: URL(fileURLWithPath: examples + "/" + name))))
        }
        return records
    }

    /// A record with every field set, some to values at the edges of their types.
    static func everyField() -> PatientRecord {
        var record = PatientRecord(key: PatientKey(identifier: "MRN-0042", authority: "HOSP"))
        record.birthDate = "20240115"
        record.visit = "V9"
        record.location = "PICU/12/A"
        record.dischargedAt = Instant(seconds: 1_772_000_000)
        record.labs = [
            LabResult(
                analyte: .ionizedCalcium, value: 1.32, unit: .millimolesPerLiter, high: true, low: false,
                time: Instant(seconds: -86_400)),
            LabResult(
                analyte: .phosphate, value: -0.0, unit: nil, high: false, low: true, time: Instant(seconds: 0)
            ),
        ]
        let heel = CanonicalSite(laterality: .left, part: "heel")
        var exposure = SiteExposure(
            site: heel, start: Instant(seconds: 1_771_000_000), end: Instant(seconds: 1_771_200_000),
            orderNumber: "ORD1", drug: "calcium gluconate", entryID: "CAGLU", risk: .high,
            watchWindowHours: 72,
            calciumEntry: true)
        exposure.administeredFrom = Instant(seconds: 1_770_999_000)
        exposure.administeredUntil = Instant(seconds: Int64.max)
        var order = InfusionOrder(
            placerNumber: "ORD1", fillerNumber: nil, entryID: "CAGLU", drug: "calcium gluconate",
            plannedEnd: Instant(seconds: Int64.min), ended: true, exposures: [exposure],
            administrations: [
                AdministrationRecord(identity: "A1", start: Instant(seconds: 1_771_000_100), end: nil)
            ])
        order.fillerNumber = "F1"
        record.orders = [order]
        var episode = Episode(exposure: exposure.identity)
        episode.alertedSigns = [.erythema, .swelling]
        episode.lastSeverity = .critical
        episode.sequences = ["acute": 2, "calcinosis": 1]
        episode.calcinosisAlerted = true
        episode.documentedSigns = ["OBS|1": [.erythema], "OBS|2": [.swelling, .pain]]
        episode.withdrawnSigns = [.pain]
        record.episodes = [episode]
        var unsited = exposure
        unsited.site = nil
        unsited.orderNumber = nil
        record.standaloneAdministrations = [StandaloneAdministration(identity: "RXA|7", exposure: unsited)]
        record.admissionHistory = AdmissionHistory(
            beforeAdmission: Placement(location: nil, visit: "V8", dischargedAt: Instant(seconds: 5)),
            beforeTransfer: nil)
        var line = LineInPlace(
            site: CanonicalSite(laterality: nil, part: "scalp"), since: Instant(seconds: 10))
        line.removedAt = Instant(seconds: 20)
        record.lines = [line, LineInPlace(site: heel, since: Instant(seconds: 30))]
        return record
    }

    @Test func everyRecordTheEngineBuildsReadsBackEqualAndWritesBackTheSameBytes() throws {
        let records = try Self.engineRecords()
        #expect(records.count > 500, "enough records to mean something (\(records.count))")
        #expect(records.contains { !$0.episodes.isEmpty && !$0.orders.isEmpty && !$0.labs.isEmpty })
        #expect(records.contains { !$0.lines.isEmpty })
        var failures = 0
        for record in records {
            let bytes = PatientRecordFormat.encode(record)
            let decoded = try PatientRecordFormat.decode(bytes)
            if decoded != record || PatientRecordFormat.encode(decoded) != bytes {
                failures += 1
                if failures < 3 { Issue.record("differs after a round trip: \(record.key)") }
            }
        }
        #expect(failures == 0)
    }

    @Test func aRecordWithEveryFieldReadsBackEqual() throws {
        let record = Self.everyField()
        #expect(try PatientRecordFormat.decode(PatientRecordFormat.encode(record)) == record)
    }

    /// Version 1's layout, pinned: a change that moves a byte breaks every stored record.
    @Test func versionOneLayoutIsPinned() {
        let bytes = PatientRecordFormat.encode(Self.everyField())
        let hex = bytes.map {
            String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
        }
        .joined()
        #expect(bytes.first == 1, "the version comes first")
        #expect(hex == Self.pinnedVersionOne, "\(hex)")
    }

    static let pinnedVersionOne =
        "01084d524e2d303034320104484f535001083230323430313135010256390109504943552f31322f410180ccf4990d02"
        + "0e696f6e697a656443616c6369756d1f85eb51b81ef53f01066d6d6f6c2f4c0100ffc50a0970686f7370686174650000"
        + "000000000080000001000101044f52443101024631054341474c551163616c6369756d20676c75636f6e61746501ffff"
        + "ffffffffffffff0101010101046c656674046865656c80c3fa980d0180f892990d01044f5244311163616c6369756d20"
        + "676c75636f6e617465054341474c55046869676890010101b0b3fa980d01feffffffffffffffff0101024131c8c4fa98"
        + "0d000101044f5244310101046c656674046865656c80c3fa980d02086572797468656d61087377656c6c696e67010863"
        + "7269746963616c02056163757465040a63616c63696e6f736973020102054f42537c3101086572797468656d61054f42"
        + "537c3202047061696e087377656c6c696e6701047061696e01055258417c370080c3fa980d0180f892990d001163616c"
        + "6369756d20676c75636f6e617465054341474c55046869676890010101b0b3fa980d01feffffffffffffffff01010100"
        + "01025638010a000200057363616c701414012801046c656674046865656c3c3c00"

    @Test func theSameRecordBuiltInAnotherOrderGivesTheSameBytes() {
        var record = Self.everyField()
        let before = PatientRecordFormat.encode(record)
        // Sets and tables built in another order (their iteration order differs).
        var episode = record.episodes[0]
        episode.sequences = ["calcinosis": 1, "acute": 2]
        episode.alertedSigns = [.swelling, .erythema]
        episode.documentedSigns = ["OBS|2": [.pain, .swelling], "OBS|1": [.erythema]]
        record.episodes = [episode]
        #expect(PatientRecordFormat.encode(record) == before)
    }

    @Test func everyCutShortRecordIsRefusedWithItsOffsetAndField() {
        let bytes = PatientRecordFormat.encode(Self.everyField())
        for length in 0..<bytes.count {
            do {
                _ = try PatientRecordFormat.decode(Array(bytes[0..<length]))
                Issue.record("a record cut at \(length) of \(bytes.count) bytes was read")
            } catch {
                #expect(error.offset <= length)
                #expect(!error.field.isEmpty)
            }
        }
    }

    @Test func damagedBytesAreReadOrRefusedButNeverTrap() {
        let bytes = PatientRecordFormat.encode(Self.everyField())
        var generator = SystemRandomNumberGenerator()
        var refused = 0
        for _ in 0..<5_000 {
            var damaged = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(
                    in: 0...255, using: &generator)
            }
            if (try? PatientRecordFormat.decode(damaged)) == nil { refused += 1 }
        }
        #expect(refused > 0)
    }

    @Test func extraBytesAndALaterVersionAreRefusedByName() {
        let bytes = PatientRecordFormat.encode(Self.everyField())
        #expect(throws: BinaryDecodingError.self) { try PatientRecordFormat.decode(bytes + [0]) }
        do {
            var later = bytes
            later[0] = 2
            _ = try PatientRecordFormat.decode(later)
            Issue.record("version 2 was read")
        } catch {
            #expect(error.code == .unknownVersion)
            #expect(error.description.contains("record format 2; this build reads 1 to 1"))
        }
    }

    @Test func storageKeysAreStableAndNeverShared() throws {
        let keys = [
            PatientKey(identifier: "A|B"), PatientKey(identifier: "A", authority: "B"),
            PatientKey(identifier: "A", authority: ""), PatientKey(identifier: "A"),
            PatientKey(identifier: "", authority: "A"), PatientKey(identifier: "AB"),
        ]
        let stored = keys.map(PatientRecordFormat.storageKey)
        #expect(Set(stored).count == keys.count, "two patients never share a key")
        for (key, bytes) in zip(keys, stored) {
            #expect(try PatientRecordFormat.patientKey(fromStorageKey: bytes) == key)
        }
        // Pinned: identifier length, UTF-8, presence byte, authority length, UTF-8.
        #expect(stored[1] == [1, 0x41, 1, 1, 0x42])
    }
}
