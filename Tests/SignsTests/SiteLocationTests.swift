import Signs
import Testing

/// An observation whose identifier names a site or location gives the site of its
/// siblings: its value text (CWE-2, else CWE-1, else text) is resolved as a site.
@Suite("Site-location observations")
struct SiteLocationTests {
    @Test(
        "Identifiers that name a site or location",
        arguments: [
            "IVSITELOC^IV site location^L", "^Site", "^Location", "^Body site", "^Catheter site",
            "^Insertion site", "^IV insertion site", "^Site of insertion", "^IV catheter site",
            "^Site location", "IVSITELOC", "^Body location", "^Pain location",
        ])
    func namesASite(identifier: String) {
        let reading = OBX.read("CWE", identifier, "LH^Left hand^HL70163")
        #expect(reading.isSiteLocation, "\(identifier)")
        #expect(reading.siteText == "Left hand", "\(identifier)")
        #expect(reading.signs.isEmpty)
        #expect(!reading.mentionsNormal)
    }

    @Test(
        "Identifiers that do not",
        arguments: [
            "IVSITE^IV site appearance^L", "^Site assessment", "^IV site", "^PIV site", "^Site condition",
            "^PIV assessment", "ERYTHEMA^Erythema at IV site^L", "IVREMOVED^IV catheter removed^L",
            "LINETYPE^IV line type^L", "^Skin findings at site",
        ])
    func doesNotNameASite(identifier: String) {
        let reading = OBX.read("CWE", identifier, "LH^Left hand^HL70163")
        #expect(!reading.isSiteLocation, "\(identifier)")
        #expect(reading.siteText == nil, "\(identifier)")
    }

    @Test func siteTextIsCwe2ElseCwe1ElseText() {
        #expect(OBX.read("CWE", "^IV site location", "LF^Left foot^HL70163").siteText == "Left foot")
        #expect(OBX.read("CWE", "^IV site location", "LF^^HL70163").siteText == "LF")
        #expect(OBX.read("ST", "^IV site location", "L heel").siteText == "L heel")
        #expect(OBX.read("TX", "^Site", "Lt. heel, near old PIV").siteText == "Lt. heel, near old PIV")
        #expect(OBX.read("CWE", "^IV site location", "", "^Right AC").siteText == "Right AC")
        #expect(OBX.read("CWE", "^IV site location").siteText == nil)
        #expect(OBX.read("CWE", "^IV site location").isSiteLocation)
    }

    @Test func signsWrittenInTheSiteValueStillCount() {
        let reading = OBX.read("ST", "^Catheter site", "L heel - red and swollen")
        #expect(reading.isSiteLocation)
        #expect(reading.signs == [.erythema, .swelling])
    }
}
