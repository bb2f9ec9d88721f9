import ClinicalEvents
import Digests
import Sites

/// Deterministic alert ids: a hex digest of (patient key, site, the exposure's start
/// time, kind, sequence), so the same feed always yields the same ids, in replay and
/// live, before and after a restart. Under `phi: pseudonymized` and `phi: minimal` the
/// digest is keyed with the PHI key (HMAC-SHA-256), so ids cannot be reversed by hashing
/// candidate MRNs; under `identifiers` it is a plain SHA-256.
public enum AlertIdentifier {
    /// The id: the first 32 hex digits of the (keyed) SHA-256 digest.
    public static func make(
        patient: PatientKey, site: CanonicalSite?, exposureStart: Instant, kind: AlertKind, sequence: Int,
        key: [UInt8]?
    ) -> String {
        let text = "\(patient)|\(site?.name ?? "")|\(exposureStart.seconds)|\(kind.rawValue)|\(sequence)"
        let digest =
            key.map { HMACSHA256.authenticationCode(key: $0, message: Array(text.utf8)) }
            ?? SHA256.hash(Array(text.utf8))
        return Hex.string(digest.prefix(16))
    }
}
