import Sites
import Testing

/// Vein names map to the part they run in; a side word joins them as it joins parts;
/// a side charted in its own row is read by ``Laterality/init(sideText:)`` (DESIGN.md,
/// "Sites").
@Suite("Vein names and orientation rows")
struct VeinNameTests {
    let normalizer = SiteNormalizer()

    @Test(
        "Vein names map to the part they run in",
        arguments: [
            ("cephalic", "forearm"), ("Cephalic vein", "forearm"), ("basilic", "forearm"),
            ("median cubital", "antecubital-fossa"), ("Median cubital vein", "antecubital-fossa"),
            ("metacarpal", "dorsum-of-hand"), ("metacarpal veins", "dorsum-of-hand"),
            ("dorsal metacarpal vein", "dorsum-of-hand"), ("great saphenous", "ankle"),
            ("saphenous", "ankle"),
            ("Great saphenous vein", "ankle"), ("dorsal venous arch", "dorsum-of-foot"),
            ("scalp vein", "scalp"),
        ])
    func veinNamesMapToThePartTheyRunIn(text: String, part: String) {
        #expect(normalizer.site(freeText: text)?.name == part, "\(text)")
    }

    @Test(
        "Side words join vein names as they join parts",
        arguments: [
            ("L cephalic", "left-forearm"), ("Rt. basilic vein", "right-forearm"),
            ("cephalic, left", "left-forearm"),
            ("R median cubital", "right-antecubital-fossa"), ("Left metacarpal", "left-dorsum-of-hand"),
            ("Lt great saphenous", "left-ankle"), ("saphenous R", "right-ankle"),
            ("RIGHT DORSAL VENOUS ARCH", "right-dorsum-of-foot"),
        ])
    func sideWordsJoinVeinNames(text: String, site: String) {
        #expect(normalizer.site(freeText: text)?.name == site, "\(text)")
    }

    @Test func aVeinSiteMatchesTheExposedPartItRunsIn() throws {
        let observed = try #require(normalizer.site(freeText: "L cephalic"))
        let exposed = try #require(CanonicalSite(name: "left-lower-forearm"))
        #expect(siteMatch(observed: observed, exposed: exposed) == .contained)
        let hand = try #require(CanonicalSite(name: "left-hand"))
        #expect(
            siteMatch(observed: try #require(normalizer.site(freeText: "L metacarpal")), exposed: hand)
                == .contained)
    }

    @Test(
        "An orientation value names its side",
        arguments: [
            ("Left", Laterality.left), ("left", .left), ("L", .left), ("Lt.", .left), ("Right", .right),
            ("RT", .right), ("Right;Upper", .right), ("Left side", .left), ("Lower Left", .left),
        ])
    func anOrientationValueNamesItsSide(text: String, side: Laterality) {
        #expect(Laterality(sideText: text) == side, "\(text)")
    }

    @Test func anOrientationWithoutASideNamesNone() {
        for text in ["Bilateral", "Anterior", "Distal", "Upper", "", "Lateral", "Leftover"] {
            #expect(Laterality(sideText: text) == nil, "\(text)")
        }
    }
}
