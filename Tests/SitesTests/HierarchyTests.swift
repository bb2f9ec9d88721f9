import Sites
import Testing

/// Parts form a hierarchy per side; containment is transitive.
@Suite("Site hierarchy")
struct HierarchyTests {
    @Test(
        "arm contains upper-arm, antecubital-fossa, forearm, wrist, hand, deltoid",
        arguments: ["upper-arm", "antecubital-fossa", "forearm", "wrist", "hand", "deltoid"])
    func armContains(part: String) {
        #expect(Anatomy.parent(of: part) == "arm")
        #expect(Anatomy.part("arm", contains: part))
        #expect(!Anatomy.part(part, contains: "arm"))
    }

    @Test(
        "forearm contains upper-, mid- and lower-forearm",
        arguments: ["upper-forearm", "mid-forearm", "lower-forearm"])
    func forearmContains(part: String) {
        #expect(Anatomy.parent(of: part) == "forearm")
        #expect(Anatomy.part("forearm", contains: part))
        #expect(Anatomy.part("arm", contains: part), "transitive")
    }

    @Test("leg contains thigh, lower-leg, ankle, foot", arguments: ["thigh", "lower-leg", "ankle", "foot"])
    func legContains(part: String) {
        #expect(Anatomy.parent(of: part) == "leg")
        #expect(Anatomy.part("leg", contains: part))
    }

    @Test func footContainsHeelAndDorsumOfFoot() {
        #expect(Anatomy.part("foot", contains: "heel"))
        #expect(Anatomy.part("foot", contains: "dorsum-of-foot"))
        #expect(Anatomy.part("leg", contains: "heel"), "transitive")
        #expect(Anatomy.part("leg", contains: "dorsum-of-foot"), "transitive")
    }

    @Test func handContainsDorsumOfHand() {
        #expect(Anatomy.part("hand", contains: "dorsum-of-hand"))
        #expect(Anatomy.part("arm", contains: "dorsum-of-hand"), "transitive")
    }

    @Test func aPartDoesNotContainItself() {
        for part in Anatomy.parts {
            #expect(!Anatomy.part(part, contains: part))
        }
    }

    @Test func siblingsAndUnrelatedPartsDoNotContainEachOther() {
        #expect(!Anatomy.part("hand", contains: "antecubital-fossa"))
        #expect(!Anatomy.part("antecubital-fossa", contains: "hand"))
        #expect(!Anatomy.part("forearm", contains: "wrist"))
        #expect(!Anatomy.part("lower-forearm", contains: "mid-forearm"))
        #expect(!Anatomy.part("foot", contains: "ankle"))
        #expect(!Anatomy.part("hand", contains: "heel"))
        #expect(!Anatomy.part("arm", contains: "heel"))
        #expect(!Anatomy.part("leg", contains: "dorsum-of-hand"))
        #expect(!Anatomy.part("scalp", contains: "umbilical"))
        #expect(!Anatomy.part("heel", contains: "foot"))
        #expect(!Anatomy.part("arm", contains: "elbow"), "unknown parts")
    }

    @Test func topLevelParts() {
        for part in ["arm", "leg", "scalp", "umbilical", "subclavian"] {
            #expect(Anatomy.parent(of: part) == nil, "\(part)")
        }
        #expect(Anatomy.parent(of: "elbow") == nil)
    }

    @Test func everyParentIsAKnownPartAndTheHierarchyHasNoCycles() {
        for part in Anatomy.parts {
            var seen: Set<String> = [part]
            var current = Anatomy.parent(of: part)
            while let parent = current {
                #expect(Anatomy.isKnown(parent))
                guard seen.insert(parent).inserted else {
                    Issue.record("cycle at \(part)")
                    break
                }
                current = Anatomy.parent(of: parent)
            }
        }
    }

    @Test func relatedPartsAreTheSamePartOrOneContainingTheOther() {
        let parts = Anatomy.parts + ["not-a-part"]
        for first in parts {
            for second in parts {
                let expected =
                    first == second || Anatomy.part(first, contains: second)
                    || Anatomy.part(second, contains: first)
                #expect(Anatomy.related(first, second) == expected, "\(first), \(second)")
            }
        }
        #expect(Anatomy.part("leg", contains: "heel") && !Anatomy.part("heel", contains: "leg"))
        #expect(!Anatomy.part("arm", contains: "arm"), "a part does not contain itself")
    }

    @Test func sitesOrderByTheirNames() {
        let sites =
            Anatomy.parts.flatMap { part in
                [CanonicalSite(laterality: nil, part: part)]
                    + Laterality.allCases.map { CanonicalSite(laterality: $0, part: part) }
            } + [
                CanonicalSite(laterality: .left, part: "épaule"), CanonicalSite(laterality: nil, part: "Zeh"),
            ]
        for first in sites {
            for second in sites {
                #expect((first < second) == (first.name < second.name), "\(first), \(second)")
            }
        }
    }
}
