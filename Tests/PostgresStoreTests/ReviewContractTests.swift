import StateStore
import Testing

/// On-call review on both stores: pending reminders from a reminding alert's commit,
/// counting from its first delivery; fired or stopped once; episodes and their highest
/// severity; suppressions and the acknowledgement cursor; pruning never removes an alert
/// whose reminder is pending.
@Suite("Store contract: on-call review")
struct ReviewContractTests {
    static func alert(_ id: String, episode: String, rank: Int, reminds: Bool) -> OutboxEntry {
        var entry = Fixtures.alert(id)
        entry.review = OutboxReviewFacts(
            episode: episode, severityRank: rank, remindsIfUnacknowledged: reminds)
        return entry
    }

    static func reminder(of id: String) -> OutboxEntry {
        OutboxEntry(alertID: id + ":reminder", payload: Array("MESSAGE=reminder \(id)\n".utf8))
    }

    @Test(arguments: StoreKind.allCases)
    func aRemindingAlertIsPendingFromItsCommitAndCountsFromWhenItWasWritten(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let critical = Self.alert("a", episode: "e1", rank: 2, reminds: true)
        let high = Self.alert("b", episode: "e2", rank: 1, reminds: false)
        try await store.commit(StoreBatch(outbox: [critical, high]))
        #expect(try await store.undeliveredAlerts() == [critical, high], "the review facts round-trip")
        #expect(
            try await store.pendingReminders() == [
                PendingReminder(alertID: "a", payload: critical.payload, writtenAt: nil)
            ])
        try await store.markDelivered(["a", "b"], writtenAt: Fixtures.writtenAt)
        try await store.markDelivered(["a"], writtenAt: Fixtures.writtenAt + 5)
        #expect(
            try await store.pendingReminders() == [
                PendingReminder(alertID: "a", payload: critical.payload, writtenAt: Fixtures.writtenAt)
            ], "the first delivery's time stays")
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func onlyTheRemindersDueAreReadUpToALimitWithTheNextWriteTimeAfterTheCutoff(kind: StoreKind) async throws
    {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let alerts = ["same", "early", "later", "unwritten", "fired", "high"].map {
            Self.alert($0, episode: "e-\($0)", rank: $0 == "high" ? 1 : 2, reminds: $0 != "high")
        }
        try await store.commit(StoreBatch(outbox: alerts))
        let cutoff = Fixtures.writtenAt
        try await store.markDelivered(["early", "fired", "high"], writtenAt: cutoff - 10)
        try await store.markDelivered(["same"], writtenAt: cutoff)
        try await store.markDelivered(["later"], writtenAt: cutoff + 7)
        try await store.commit(StoreBatch(outbox: [Self.reminder(of: "fired")], firedReminders: ["fired"]))
        let read = try await store.reminders(writtenAtOrBefore: cutoff, limit: 10)
        #expect(
            read.due.map(\.alertID) == ["early", "same"],
            "pending, written by the cutoff, the earliest written first")
        #expect(
            read.due.first
                == PendingReminder(alertID: "early", payload: alerts[1].payload, writtenAt: cutoff - 10))
        #expect(read.nextWrittenAt == cutoff + 7, "the unwritten alert has no time yet")
        #expect(try await store.reminders(writtenAtOrBefore: cutoff + 7, limit: 10).nextWrittenAt == nil)
        #expect(
            try await store.reminders(writtenAtOrBefore: cutoff + 7, limit: 2).due.map(\.alertID)
                == ["early", "same"], "the first ones, up to the limit")
        #expect(
            try await store.reminders(writtenAtOrBefore: cutoff - 11, limit: 10)
                == DueReminders(due: [], nextWrittenAt: cutoff - 10))
        await store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func aReminderFiresOnceWithItsOutboxEntryAndAnAcknowledgementStopsIt(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        try await store.commit(
            StoreBatch(
                outbox: ["a", "b", "c"].map { Self.alert($0, episode: "e-\($0)", rank: 2, reminds: true) }))
        try await store.markDelivered(["a", "b"], writtenAt: Fixtures.writtenAt)
        try await store.commit(StoreBatch(outbox: [Self.reminder(of: "a")], firedReminders: ["a"]))
        try await store.commit(StoreBatch(stoppedReminders: ["b", "unknown"]))
        #expect(try await store.pendingReminders().map(\.alertID) == ["c"])
        // A fired reminder is not stopped afterwards, nor fired again.
        try await store.commit(StoreBatch(stoppedReminders: ["a"]))
        try await store.commit(StoreBatch(outbox: [Self.reminder(of: "a")], firedReminders: ["a"]))
        #expect(try await store.undeliveredAlerts().map(\.alertID) == ["c", "a:reminder"])
        await store.close()
        let reopened = try location.open()
        #expect(try await reopened.pendingReminders().map(\.alertID) == ["c"], "durable")
        await reopened.close()
    }

    @Test(arguments: StoreKind.allCases)
    func anAlertsEpisodeComesWithTheHighestSeverityWrittenInIt(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
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

    @Test(arguments: StoreKind.allCases)
    func suppressionsAndTheCursorAreStoredReplacedAndRemoved(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        #expect(try await store.storedReview() == StoredReview(acknowledgementCursor: nil, suppressions: []))
        let first = EpisodeSuppression(episode: "e1", until: 10, severityCeiling: 2, acknowledgedAlertID: "a")
        let second = EpisodeSuppression(
            episode: "E2", until: 20, severityCeiling: 1, acknowledgedAlertID: "b")
        let third = EpisodeSuppression(
            episode: "_e3", until: .max, severityCeiling: 0, acknowledgedAlertID: "c")
        try await store.commit(
            StoreBatch(suppressions: [first, second, third], acknowledgementCursor: "s=1"))
        #expect(
            try await store.storedReview().suppressions == [second, third, first], "by episode, byte order")
        let renewed = EpisodeSuppression(
            episode: "e1", until: 30, severityCeiling: 2, acknowledgedAlertID: "d")
        try await store.commit(
            StoreBatch(
                suppressions: [renewed], removedSuppressions: ["E2", "e1"], acknowledgementCursor: "s=2"))
        // A batch without a cursor keeps the stored one.
        try await store.commit(StoreBatch(removedSuppressions: ["none"]))
        await store.close()
        let reopened = try location.open()
        #expect(
            try await reopened.storedReview()
                == StoredReview(acknowledgementCursor: "s=2", suppressions: [third, renewed]))
        await reopened.close()
    }

    @Test(arguments: StoreKind.allCases)
    func pruningKeepsAnAlertWhoseReminderIsPending(kind: StoreKind) async throws {
        let location = try StoreLocation(kind)
        defer { location.remove() }
        let store = try location.open()
        let pending = Self.alert("pending", episode: "e1", rank: 2, reminds: true)
        try await store.commit(StoreBatch(outbox: [pending, Fixtures.alert("plain")]))
        try await store.markDelivered(["pending", "plain"], writtenAt: Fixtures.writtenAt)
        #expect(try await store.pruneDelivered(keepingLast: 0) == 1)
        #expect(try await store.pendingReminders().map(\.alertID) == ["pending"])
        #expect(
            try await store.episode(ofAlert: "pending") == AlertEpisode(episode: "e1", highestSeverityRank: 2)
        )
        // Once stopped, it may go.
        try await store.commit(StoreBatch(stoppedReminders: ["pending"]))
        #expect(try await store.pruneDelivered(keepingLast: 0) == 1)
        await store.close()
    }
}
