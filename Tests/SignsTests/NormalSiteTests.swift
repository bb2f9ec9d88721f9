import Signs
import Testing

/// `mentionsNormal`: the observation asserts nothing and states a sign absent or the
/// site normal (the source of `last_normal_at`).
@Suite("Normal site statements")
struct NormalSiteTests {
    @Test func negatedSignsAndNormalWordsStateTheSiteNormal() {
        for text in [
            "no redness", "Site WNL", "CDI", "Site clean, dry and intact", "unremarkable", "pain 0/10",
            "Previous site clean and dry", "Old IV site healed, skin intact", "within normal limits",
        ] {
            #expect(OBX.read("TX", "^IV site appearance", text).mentionsNormal, "\(text)")
        }
    }

    @Test func signsFindingsAndSilenceDoNot() {
        for text in [
            "red and swollen", "no redness but swollen", "IV team consulted for difficult access",
            "chalky nodule", "Site not normal", "monitor for redness", "",
        ] {
            #expect(!OBX.read("TX", "^IV site appearance", text).mentionsNormal, "\(text)")
        }
    }

    @Test func codedAnswersOnSignIdentifiers() {
        #expect(OBX.read("CWE", "ERYTHEMA^Erythema at IV site^L", "N^No^HL70136").mentionsNormal)
        #expect(!OBX.read("CWE", "ERYTHEMA^Erythema at IV site^L", "Y^Yes^HL70136").mentionsNormal)
        #expect(OBX.read("CWE", "^IV site WNL", "Y").mentionsNormal)
        #expect(!OBX.read("CWE", "^IV site WNL", "N").mentionsNormal)
    }

    @Test func removalsAndSitesAreNeverNormalStatements() {
        #expect(!OBX.read("CWE", "^IV catheter removed", "Y").mentionsNormal)
        #expect(!OBX.read("CWE", "^IV site location", "LH^Left hand").mentionsNormal)
    }
}
