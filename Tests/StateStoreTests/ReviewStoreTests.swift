import StateStore
import Testing

/// On-call review in the store (any ``SurveillanceStore``): reminders pending from a
/// critical alert's commit, counting from when it was written, fired or stopped once;
/// episodes and their highest severity; suppressions and the acknowledgement cursor.
@Suite("Store on-call review")
struct ReviewStoreTests {
    static func alert(_ id: String, episode: String, rank: Int, reminds: Bool) -> OutboxEntry {
        var entry = Fixtures.alert(id)
        entry.review = OutboxReviewFacts(
            episode: episode, severityRank: rank, remindsIfUnacknowledged: reminds)
        return entry
    }

    static func reminder(of id: String) -> OutboxEntry {
        OutboxEntry(alertID: id + ":reminder", payload: Array("MESSAGE=reminder \(id)\n".utf8))
    }

    @Test func aRemindingAlertIsPendingFromItsCommitAndCountsFromWhenItWasWritten() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        let critical = Self.alert("a", episode: "e1", rank: 2, reminds: true)
        let high = Self.alert("b", episode: "e2", rank: 1, reminds: false)
        try await store.commit(StoreBatch(outbox: [critical, high]))
        #expect(try await store.undeliveredAlerts() == [critical, high], "the review facts round-trip")
        #expect(
            try await store.pendingReminders() == [
                PendingReminder(alertID: "a", payload: critical.payload, writtenAt: nil)
            ], "pending, not due before it is written")
        try await store.markDelivered(["a", "b"], writtenAt: Fixtures.writtenAt)
        try await store.markDelivered(["a"], writtenAt: Fixtures.writtenAt + 5)
        #expect(
            try await store.pendingReminders() == [
                PendingReminder(alertID: "a", payload: critical.payload, writtenAt: Fixtures.writtenAt)
            ], "the first delivery's time stays")
        await store.close()
    }

    @Test func aReminderFiresOnceWithItsOutboxEntryAndAnAcknowledgementStopsIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(outbox: ["a", "b"].map { Self.alert($0, episode: "e-\($0)", rank: 2, reminds: true) }))
        try await store.markDelivered(["a", "b"], writtenAt: Fixtures.writtenAt)
        try await store.commit(StoreBatch(outbox: [Self.reminder(of: "a")], firedReminders: ["a"]))
        try await store.commit(StoreBatch(stoppedReminders: ["b"]))
        #expect(try await store.pendingReminders().isEmpty)
        #expect(try await store.undeliveredAlerts() == [Self.reminder(of: "a")])
        // Committed again (a crash between commit and submit is reconciled, never redone):
        // still one entry.
        try await store.commit(StoreBatch(outbox: [Self.reminder(of: "a")], firedReminders: ["a"]))
        #expect(try await store.undeliveredAlerts() == [Self.reminder(of: "a")])
        await store.close()
        let reopened = try StoreUnderTest.open(directory.path)
        #expect(try await reopened.pendingReminders().isEmpty, "durable")
        await reopened.close()
    }

    @Test func anAlertsEpisodeComesWithTheHighestSeverityWrittenInIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        try await store.commit(
            StoreBatch(outbox: [
                Self.alert("first", episode: "e1", rank: 1, reminds: false),
                Self.alert("second", episode: "e1", rank: 2, reminds: true),
                Self.alert("other", episode: "e2", rank: 0, reminds: false), Fixtures.alert("old"),
            ]))
        #expect(
            try await store.episode(ofAlert: "first") == AlertEpisode(episode: "e1", highestSeverityRank: 2))
        #expect(
            try await store.episode(ofAlert: "other") == AlertEpisode(episode: "e2", highestSeverityRank: 0))
        #expect(try await store.episode(ofAlert: "old") == nil, "stored without review facts")
        #expect(try await store.episode(ofAlert: "unknown") == nil)
        await store.close()
    }

    @Test func suppressionsAndTheCursorAreStoredReplacedAndRemoved() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        #expect(try await store.storedReview() == StoredReview(acknowledgementCursor: nil, suppressions: []))
        let first = EpisodeSuppression(episode: "e1", until: 10, severityCeiling: 2, acknowledgedAlertID: "a")
        let second = EpisodeSuppression(
            episode: "e2", until: 20, severityCeiling: 1, acknowledgedAlertID: "b")
        try await store.commit(StoreBatch(suppressions: [first, second], acknowledgementCursor: "s=1"))
        let renewed = EpisodeSuppression(
            episode: "e1", until: 30, severityCeiling: 2, acknowledgedAlertID: "c")
        try await store.commit(
            StoreBatch(suppressions: [renewed], removedSuppressions: ["e2"], acknowledgementCursor: "s=2"))
        await store.close()
        let reopened = try StoreUnderTest.open(directory.path)
        #expect(
            try await reopened.storedReview()
                == StoredReview(acknowledgementCursor: "s=2", suppressions: [renewed]))
        await reopened.close()
    }

    @Test func pruningKeepsAnAlertWhoseReminderIsPending() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try StoreUnderTest.open(directory.path)
        let pending = Self.alert("pending", episode: "e1", rank: 2, reminds: true)
        try await store.commit(StoreBatch(outbox: [pending, Fixtures.alert("plain")]))
        try await store.markDelivered(["pending", "plain"], writtenAt: Fixtures.writtenAt)
        #expect(try await store.pruneDelivered(keepingLast: 0) == 1)
        #expect(try await store.pendingReminders().map(\.alertID) == ["pending"])
        await store.close()
    }
}
