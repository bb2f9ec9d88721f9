import ClinicalEvents
import Sites
@testable import Surveillance
import Testing

/// Alert ids are persisted (the outbox, the journal) and read by other tools: the same
/// inputs must give the same id, byte for byte, whatever computes the digest. The ids
/// below were computed by the hand-written SHA-256 and HMAC (module Digests) that the
/// engine used before swift-crypto, and checked with Python's hashlib and hmac. The
/// digest they are cut from is checked against the published vectors (FIPS 180-4
/// examples, RFC 4231).
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

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func theUnkeyedDigestMatchesTheFIPSVectors(input: String, expected: String) {
        #expect(AlertIdentifier.hex(AlertIdentifier.digest(of: input, key: nil)[...]) == expected)
    }

    @Test func theUnkeyedDigestOfAMillionAs() {
        let digest = AlertIdentifier.digest(of: String(repeating: "a", count: 1_000_000), key: nil)
        #expect(
            AlertIdentifier.hex(digest[...])
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func theKeyedDigestMatchesRFC4231() {
        // Test case 2 of RFC 4231.
        let code = AlertIdentifier.digest(of: "what do ya want for nothing?", key: Array("Jefe".utf8))
        #expect(
            AlertIdentifier.hex(code[...])
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a key longer than the block size.
        let long = AlertIdentifier.digest(
            of: "Test Using Larger Than Block-Size Key - Hash Key First",
            key: [UInt8](repeating: 0xaa, count: 131))
        #expect(
            AlertIdentifier.hex(long[...])
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}
