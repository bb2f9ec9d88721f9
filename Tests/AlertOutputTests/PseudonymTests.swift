import AlertOutput
import Testing

/// Pseudonyms are persisted in the journal and matched by other tools: the same value
/// under the same key must give the same pseudonym, byte for byte. These were computed
/// by the hand-written HMAC-SHA-256 (module Digests) used before swift-crypto, and
/// checked with Python's hmac.
@Suite("Pseudonyms")
struct PseudonymTests {
    @Test func pseudonymsOfKnownValuesAreUnchanged() {
        let one = PrivacyPolicy(mode: .pseudonymized, key: Array("key-one-0123456789".utf8))
        #expect(one.patient("4455") == "p-3e6280155ecb48e6")
        #expect(one.visit("V1") == "p-23a7841fa9374a51")
        #expect(one.location("PICU/12/A") == "p-1b44d170e913c739")
        let two = PrivacyPolicy(mode: .pseudonymized, key: Array(0..<32))
        #expect(two.patient("4455") == "p-eca2d14deae929fd")
        #expect(two.visit("V1") == "p-a04644cabeb8c2b9")
        #expect(two.location("PICU/12/A") == "p-190f05c228682b4a")
    }
}
