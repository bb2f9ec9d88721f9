import Review
import Sites
import Surveillance
import Testing

@Suite("Review filter")
struct ReviewFilterTests {
    typealias Entries = ReviewEntries

    static func alert(_ fields: [String: String]) -> ReviewedAlert { ReviewedAlert(journalEntry: fields)! }

    @Test func sinceAndUntilAreInclusiveBoundsOfTheTimeWritten() {
        let filter = ReviewFilter(since: 100, until: 200)
        #expect(!filter.admits(Self.alert(Entries.alert("a", at: 99))))
        #expect(filter.admits(Self.alert(Entries.alert("a", at: 100))))
        #expect(filter.admits(Self.alert(Entries.alert("a", at: 200))))
        #expect(!filter.admits(Self.alert(Entries.alert("a", at: 201))))
    }

    @Test func patientMatchesTheValueAsWritten() {
        let filter = ReviewFilter(patient: "p-0123456789abcdef")
        #expect(filter.admits(Self.alert(Entries.alert("a", at: 1, patient: "p-0123456789abcdef"))))
        #expect(!filter.admits(Self.alert(Entries.alert("a", at: 1, patient: "4455"))))
        // An alert with the patient withheld (minimal) never matches one.
        #expect(!filter.admits(Self.alert(Entries.alert("a", at: 1, patient: nil))))
    }

    @Test func siteMatchesTheCatheterOrTheObservedSiteAndASidelessSiteEitherSide() throws {
        let leftHeel = ReviewFilter(site: try #require(CanonicalSite(name: "left-heel")))
        #expect(leftHeel.admits(Self.alert(Entries.alert("a", at: 1, site: "left-heel"))))
        #expect(
            leftHeel.admits(
                Self.alert(Entries.alert("a", at: 1, site: "left-foot", observedSite: "left-heel"))))
        #expect(!leftHeel.admits(Self.alert(Entries.alert("a", at: 1, site: "right-heel"))))
        #expect(!leftHeel.admits(Self.alert(Entries.alert("a", at: 1, site: "heel"))))
        #expect(!leftHeel.admits(Self.alert(Entries.alert("a", at: 1, site: nil))))
        let heel = ReviewFilter(site: try #require(CanonicalSite(name: "heel")))
        #expect(heel.admits(Self.alert(Entries.alert("a", at: 1, site: "right-heel"))))
        #expect(heel.admits(Self.alert(Entries.alert("a", at: 1, site: "heel"))))
        #expect(!heel.admits(Self.alert(Entries.alert("a", at: 1, site: "left-foot"))))
    }

    @Test func severityIsAMinimum() {
        let filter = ReviewFilter(minimumSeverity: .high)
        #expect(!filter.admits(Self.alert(Entries.alert("a", at: 1, severity: "moderate"))))
        #expect(filter.admits(Self.alert(Entries.alert("a", at: 1, severity: "high"))))
        #expect(filter.admits(Self.alert(Entries.alert("a", at: 1, severity: "critical"))))
    }

    @Test func replayedAlertsOnlyWithIncludeReplay() {
        let replayed = Self.alert(Entries.alert("a", at: 1, replay: true))
        #expect(!ReviewFilter().admits(replayed))
        #expect(ReviewFilter(includeReplay: true).admits(replayed))
        #expect(ReviewFilter().admits(Self.alert(Entries.alert("a", at: 1))))
    }

    @Test func unackedKeepsRowsWithoutATrustedAcknowledgement() {
        let filter = ReviewFilter(unacknowledgedOnly: true)
        let none = Entries.row([Entries.alert("a", at: 1)])
        let untrusted = Entries.row([
            Entries.alert("a", at: 1), Entries.ack("a", by: "mallory", uid: 1234, at: 2),
        ])
        let trusted = Entries.row([Entries.alert("a", at: 1), Entries.ack("a", by: "RN Doe", uid: 0, at: 2)])
        #expect(filter.shows(none))
        #expect(filter.shows(untrusted))
        #expect(!filter.shows(trusted))
        #expect(ReviewFilter().shows(trusted))
    }
}
