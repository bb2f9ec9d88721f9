import Sites
import Testing

/// How an observed site matches an exposed (catheter) site.
@Suite("Site matching")
struct SiteMatchTests {
    static func site(_ name: String) -> CanonicalSite {
        guard let site = CanonicalSite(name: name) else { fatalError("not a site: \(name)") }
        return site
    }

    static func match(observed: String, exposed: String) -> SiteMatchKind? {
        siteMatch(observed: site(observed), exposed: site(exposed))
    }

    @Test func equalSitesMatchExactly() {
        #expect(Self.match(observed: "left-heel", exposed: "left-heel") == .exact)
        #expect(Self.match(observed: "right-antecubital-fossa", exposed: "right-antecubital-fossa") == .exact)
        #expect(Self.match(observed: "scalp", exposed: "scalp") == .exact)
        #expect(Self.match(observed: "umbilical", exposed: "umbilical") == .exact)
    }

    @Test func anExposedPartContainingTheObservedOneIsContained() {
        // Order at LF (left-foot), signs at "left heel".
        #expect(Self.match(observed: "left-heel", exposed: "left-foot") == .contained)
        #expect(Self.match(observed: "left-dorsum-of-hand", exposed: "left-arm") == .contained)
        #expect(Self.match(observed: "right-heel", exposed: "right-leg") == .contained)
        #expect(Self.match(observed: "left-lower-forearm", exposed: "left-forearm") == .contained)
    }

    @Test func anObservedPartContainingTheExposedOneIsContained() {
        #expect(Self.match(observed: "left-foot", exposed: "left-heel") == .contained)
        #expect(Self.match(observed: "right-arm", exposed: "right-antecubital-fossa") == .contained)
        #expect(Self.match(observed: "left-forearm", exposed: "left-mid-forearm") == .contained)
        #expect(Self.match(observed: "left-arm", exposed: "left-lower-forearm") == .contained)
        #expect(Self.match(observed: "left-leg", exposed: "left-dorsum-of-foot") == .contained)
    }

    @Test func containmentWithoutSidesOnEitherIsContained() {
        #expect(Self.match(observed: "heel", exposed: "foot") == .contained)
        #expect(Self.match(observed: "arm", exposed: "hand") == .contained)
    }

    @Test func anObservationWithoutASideIsUnlateralized() {
        #expect(Self.match(observed: "heel", exposed: "left-heel") == .unlateralized)
        #expect(Self.match(observed: "heel", exposed: "right-heel") == .unlateralized)
        #expect(Self.match(observed: "heel", exposed: "right-foot") == .unlateralized)
        #expect(Self.match(observed: "arm", exposed: "left-antecubital-fossa") == .unlateralized)
        #expect(Self.match(observed: "antecubital-fossa", exposed: "right-arm") == .unlateralized)
    }

    @Test func anExposedSiteWithoutASideIsUnlateralized() {
        #expect(Self.match(observed: "left-heel", exposed: "heel") == .unlateralized)
        #expect(Self.match(observed: "right-heel", exposed: "foot") == .unlateralized)
        #expect(Self.match(observed: "right-foot", exposed: "heel") == .unlateralized)
        #expect(Self.match(observed: "left-scalp", exposed: "scalp") == .unlateralized)
    }

    @Test func differentSidesNeverMatch() {
        #expect(Self.match(observed: "right-heel", exposed: "left-heel") == nil)
        #expect(Self.match(observed: "left-heel", exposed: "right-foot") == nil)
        #expect(Self.match(observed: "right-arm", exposed: "left-hand") == nil)
        #expect(Self.match(observed: "left-antecubital-fossa", exposed: "right-antecubital-fossa") == nil)
    }

    @Test func siblingsNeverMatch() {
        #expect(Self.match(observed: "left-hand", exposed: "left-antecubital-fossa") == nil)
        #expect(Self.match(observed: "left-antecubital-fossa", exposed: "left-hand") == nil)
        #expect(Self.match(observed: "left-heel", exposed: "left-dorsum-of-foot") == nil)
        #expect(Self.match(observed: "right-lower-forearm", exposed: "right-mid-forearm") == nil)
        #expect(Self.match(observed: "left-ankle", exposed: "left-foot") == nil)
        #expect(Self.match(observed: "left-wrist", exposed: "left-hand") == nil)
        #expect(
            Self.match(observed: "hand", exposed: "left-antecubital-fossa") == nil, "unlateralized siblings")
    }

    @Test func unrelatedPartsNeverMatch() {
        #expect(Self.match(observed: "left-heel", exposed: "left-hand") == nil)
        #expect(Self.match(observed: "scalp", exposed: "umbilical") == nil)
        #expect(Self.match(observed: "heel", exposed: "left-arm") == nil)
    }

    @Test func siteMatchKindsAreWrittenAsTheAlertSaysThem() {
        #expect(SiteMatchKind.exact.rawValue == "exact")
        #expect(SiteMatchKind.contained.rawValue == "contained")
        #expect(SiteMatchKind.unlateralized.rawValue == "unlateralized")
        #expect(SiteMatchKind.soleSite.rawValue == "sole-site")
    }

    @Test func siteMatchNeverDecidesSoleSite() {
        let parts = ["heel", "foot", "hand", "arm", "scalp"]
        let sides: [Laterality?] = [nil, .left, .right]
        for a in parts {
            for b in parts {
                for sa in sides {
                    for sb in sides {
                        let kind = siteMatch(
                            observed: CanonicalSite(laterality: sa, part: a),
                            exposed: CanonicalSite(laterality: sb, part: b))
                        #expect(kind != .soleSite)
                    }
                }
            }
        }
    }

    @Test func normalizedSitesMatchEndToEnd() {
        let normalizer = SiteNormalizer()
        let exposed = normalizer.site(code: "LF", text: "Left Foot", codingSystem: "HL70163")!
        let observed = normalizer.site(freeText: "L heel PIV site: red")!
        #expect(siteMatch(observed: observed, exposed: exposed) == .contained)
        let other = normalizer.site(freeText: "heel, right")!
        #expect(siteMatch(observed: other, exposed: exposed) == nil)
        let sideless = normalizer.site(freeText: "IV site heel")!
        #expect(siteMatch(observed: sideless, exposed: exposed) == .unlateralized)
    }
}
