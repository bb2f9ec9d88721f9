import ClinicalEvents
import Crypto
import Sites

/// Deterministic alert ids: a hex digest of (patient key, site, the exposure's start
/// time, kind, sequence), so the same feed always yields the same ids, in replay and
/// live, before and after a restart. Under `phi: pseudonymized` and `phi: minimal` the
/// digest is keyed with the PHI key (HMAC-SHA-256), so ids cannot be reversed by hashing
/// candidate MRNs; under `identifiers` it is a plain SHA-256. Both come from swift-crypto.
public enum AlertIdentifier {
    /// The id: the first 32 hex digits of the (keyed) SHA-256 digest.
    public static func make(
        patient: PatientKey, site: CanonicalSite?, exposureStart: Instant, kind: AlertKind, sequence: Int,
        key: [UInt8]?
    ) -> String {
        let text = "\(patient)|\(site?.name ?? "")|\(exposureStart.seconds)|\(kind.rawValue)|\(sequence)"
        return hex(digest(of: text, key: key).prefix(16))
    }

    /// SHA-256 of the UTF-8 bytes of `text` or, given a key, their HMAC-SHA-256.
    static func digest(of text: String, key: [UInt8]?) -> [UInt8] {
        let message = Array(text.utf8)
        guard let key else { return Array(SHA256.hash(data: message)) }
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hexadecimal, two digits a byte (written into one buffer: an alert's id
    /// is made on the engine's thread, between messages).
    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
