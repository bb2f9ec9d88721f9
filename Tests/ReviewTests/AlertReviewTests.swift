import Review
import Testing

@Suite("Alert review (listing and following)")
struct AlertReviewTests {
    typealias Entries = ReviewEntries

    static func review(_ entries: [[String: String]], filter: ReviewFilter = ReviewFilter()) -> AlertReview {
        var review = AlertReview(filter: filter, trust: Entries.trust)
        for entry in entries { review.add(entry) }
        return review
    }

    @Test func theListingIsEachIdOnceNewestLast() {
        var review = Self.review([
            Entries.alert("late", at: 50), Entries.alert("early", at: 5), Entries.alert("late", at: 60),
        ])
        let rows = review.listing()
        #expect(rows.map(\.alert.id) == ["early", "late"])
        #expect(rows.last?.alert.writtenAt == 50)
    }

    @Test func aReplayedEntryDoesNotStandForTheLiveAlertOfItsId() {
        let entries = [Entries.alert("a", at: 10, replay: true), Entries.alert("a", at: 20)]
        var live = Self.review(entries)
        #expect(live.listing().map(\.alert.writtenAt) == [20])
        var all = Self.review(entries, filter: ReviewFilter(includeReplay: true))
        #expect(all.listing().map(\.alert.writtenAt) == [10])
        var replayOnly = Self.review([Entries.alert("b", at: 10, replay: true)])
        #expect(replayOnly.listing().isEmpty)
    }

    @Test func followingPrintsANewAlertOnceAndNeverItsResend() {
        var review = Self.review([Entries.alert("a", at: 1)])
        #expect(review.listing().count == 1)
        // Read by both the first read and the follower: not new.
        #expect(review.follow(Entries.alert("a", at: 1)) == nil)
        let new = Entries.alert("b", at: 5)
        guard case .alert(let row) = review.follow(new) else {
            Issue.record("a new alert is printed")
            return
        }
        #expect(row.alert.id == "b")
        #expect(review.follow(Entries.alert("b", at: 9)) == nil)
    }

    @Test func followingPrintsAcknowledgementsAndRemindersOfAlertsPrintedOnly() {
        var review = Self.review([Entries.alert("a", at: 1)], filter: ReviewFilter(patient: "4455"))
        _ = review.listing()
        guard case .updated(let row) = review.follow(Entries.ack("a", by: "RN Doe", uid: 0, at: 5)) else {
            Issue.record("an acknowledgement of a printed alert is an update")
            return
        }
        #expect(row.acknowledged && row.acknowledgement?.by == "RN Doe")
        guard case .updated(let reminded) = review.follow(Entries.reminder("a", at: 6)) else {
            Issue.record("a reminder of a printed alert is an update")
            return
        }
        #expect(reminded.reminded)
        // Another patient's alert is not printed, nor its acknowledgement.
        #expect(review.follow(Entries.alert("other", at: 7, patient: "9999")) == nil)
        #expect(review.follow(Entries.ack("other", by: "RN Doe", uid: 0, at: 8)) == nil)
    }

    @Test func anAcknowledgementReadTwiceCountsOnce() {
        let ack = Entries.ack("a", by: "RN Doe", uid: 0, at: 5)
        var review = Self.review([Entries.alert("a", at: 1), ack])
        _ = review.listing()
        #expect(review.follow(ack) == nil)
    }

    @Test func underUnackedANewAcknowledgedAlertIsNotPrinted() {
        var review = Self.review(
            [Entries.ack("a", by: "RN Doe", uid: 0, at: 2)], filter: ReviewFilter(unacknowledgedOnly: true))
        #expect(review.follow(Entries.alert("a", at: 1)) == nil)
        #expect(review.follow(Entries.alert("b", at: 3)) != nil)
    }

    @Test func aHiddenAlertIsNeitherListedNorFollowed() {
        var review = Self.review(
            [Entries.alert("resent", at: 150), Entries.alert("a", at: 160)], filter: ReviewFilter(since: 100))
        #expect(review.newAlertID(Entries.alert("resent", at: 150)) == nil)
        review.hide("resent")
        #expect(review.listing().map(\.alert.id) == ["a"])
        #expect(review.newAlertID(Entries.alert("old", at: 170)) == "old")
        review.hide("old")
        #expect(review.follow(Entries.alert("old", at: 170)) == nil)
        #expect(review.newAlertID(Entries.alert("early", at: 50)) == nil)
    }
}
