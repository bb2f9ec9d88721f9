import ClinicalEvents
import Sites
import Surveillance
import Testing

/// Alert ids are persisted (the outbox, the journal) and read by other tools: the same
/// inputs must give the same id, byte for byte, whatever computes the digest. The ids
/// below were computed by the hand-written SHA-256 and HMAC (module Digests) that the
/// engine used before swift-crypto, and checked with Python's hashlib and hmac.
@Suite("Alert identifiers")
struct AlertIdentifierTests {
    struct Pinned: Sendable, CustomTestStringConvertible {
        var patient: PatientKey
        var site: CanonicalSite?
        var exposureStart: Int64
        var kind: AlertKind
        var sequence: Int
        var key: [UInt8]?
        var id: String
        var testDescription: String { "\(patient) \(kind.rawValue) \(sequence) -> \(id)" }
    }

    static let pinned: [Pinned] = [
        // Plain SHA-256 (`phi: identifiers`).
        Pinned(
            patient: PatientKey(identifier: "4455", authority: "CHILDRENS"),
            site: CanonicalSite(laterality: .left, part: "heel"), exposureStart: 1_772_452_800,
            kind: .extravasationSuspected, sequence: 1, key: nil, id: "2062e00817df67c56d03102e152aee54"),
        Pinned(
            patient: PatientKey(identifier: "MRN-0007"), site: nil, exposureStart: 1_772_466_000,
            kind: .calcinosisSuspected, sequence: 0, key: nil, id: "2901fd10b7f48f41cf7dc6d10c18a2f8"),
        // Keyed, HMAC-SHA-256 (`phi: pseudonymized` and `minimal`).
        Pinned(
            patient: PatientKey(identifier: "4455", authority: "CHILDRENS"),
            site: CanonicalSite(laterality: .left, part: "heel"), exposureStart: 1_772_452_800,
            kind: .extravasationSuspected, sequence: 1, key: Array("key-one-0123456789".utf8),
            id: "66ba620afc8435ab2a9305a6b52d6318"),
        Pinned(
            patient: PatientKey(identifier: "MRN-0007"), site: nil, exposureStart: 1_772_466_000,
            kind: .calcinosisSuspected, sequence: 0, key: Array(0..<32),
            id: "cbf586eed7d6545dbfc8b7fb917721f2"),
        // Non-ASCII text, a negative time and a key longer than SHA-256's 64-byte block.
        Pinned(
            patient: PatientKey(identifier: "Élodie-9", authority: "HÔPITAL"),
            site: CanonicalSite(laterality: .right, part: "antecubital-fossa"), exposureStart: -3_600,
            kind: .extravasationEscalated, sequence: 12, key: [UInt8](repeating: 0xaa, count: 131),
            id: "ff81902bb2e9d35b26c84d99db1fb28f"),
    ]

    @Test(arguments: pinned)
    func theIdOfKnownInputsIsUnchanged(_ pinned: Pinned) {
        let id = AlertIdentifier.make(
            patient: pinned.patient, site: pinned.site, exposureStart: Instant(seconds: pinned.exposureStart),
            kind: pinned.kind, sequence: pinned.sequence, key: pinned.key)
        #expect(id == pinned.id)
    }
}
