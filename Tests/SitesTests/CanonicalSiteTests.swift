import Foundation
import Sites
import Testing

/// Canonical kebab-case names: laterality (when known) + part.
@Suite("Canonical sites")
struct CanonicalSiteTests {
    @Test func theNameIsSideThenPart() {
        #expect(CanonicalSite(laterality: .left, part: "heel").name == "left-heel")
        #expect(
            CanonicalSite(laterality: .right, part: "antecubital-fossa").name == "right-antecubital-fossa")
        #expect(CanonicalSite(laterality: nil, part: "umbilical").name == "umbilical")
        #expect(CanonicalSite(laterality: .left, part: "heel").description == "left-heel")
        #expect("\(CanonicalSite(laterality: nil, part: "scalp"))" == "scalp")
    }

    @Test("CanonicalSite(name:) round-trips every part", arguments: Anatomy.parts)
    func nameRoundTripsEveryPart(part: String) throws {
        for side in [nil, Laterality.left, .right] {
            let site = CanonicalSite(laterality: side, part: part)
            let parsed = try #require(CanonicalSite(name: site.name))
            #expect(parsed == site)
            #expect(parsed.laterality == side)
            #expect(parsed.part == part)
        }
    }

    @Test func namesParseIgnoringCaseAndSpace() {
        #expect(CanonicalSite(name: " Left-Heel ") == CanonicalSite(laterality: .left, part: "heel"))
        #expect(
            CanonicalSite(name: "RIGHT-ANTECUBITAL-FOSSA")
                == CanonicalSite(laterality: .right, part: "antecubital-fossa"))
    }

    @Test func unknownPartsDoNotParse() {
        #expect(CanonicalSite(name: "") == nil)
        #expect(CanonicalSite(name: "left-") == nil)
        #expect(CanonicalSite(name: "left") == nil)
        #expect(CanonicalSite(name: "left-elbow") == nil)
        #expect(CanonicalSite(name: "left heel") == nil)
        #expect(CanonicalSite(name: "left-left-heel") == nil)
        #expect(CanonicalSite(name: "lt-heel") == nil)
        #expect(CanonicalSite(name: "heel-left") == nil)
    }

    @Test func sitesSortByName() {
        let sites = ["right-heel", "heel", "left-heel", "left-arm", "scalp"].compactMap(
            CanonicalSite.init(name:))
        #expect(sites.sorted().map(\.name) == ["heel", "left-arm", "left-heel", "right-heel", "scalp"])
    }

    @Test func sitesEncodeAsTheirName() throws {
        let sites = [
            CanonicalSite(laterality: .left, part: "heel"),
            CanonicalSite(laterality: nil, part: "umbilical"),
            CanonicalSite(laterality: .right, part: "elbow"),  // not a known part: still round-trips
        ]
        let data = try JSONEncoder().encode(sites)
        #expect(String(decoding: data, as: UTF8.self) == #"["left-heel","umbilical","right-elbow"]"#)
        #expect(try JSONDecoder().decode([CanonicalSite].self, from: data) == sites)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CanonicalSite].self, from: Data(#"[""]"#.utf8))
        }
    }

    @Test func lateralityAndMatchKindEncodeAsTheirRawValues() throws {
        let data = try JSONEncoder().encode([SiteMatchKind.soleSite, .exact])
        #expect(String(decoding: data, as: UTF8.self) == #"["sole-site","exact"]"#)
        let sides = try JSONEncoder().encode([Laterality.left, .right])
        #expect(String(decoding: sides, as: UTF8.self) == #"["left","right"]"#)
    }
}
