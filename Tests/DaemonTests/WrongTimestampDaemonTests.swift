import FeedGen
import Foundation
import Journal
import StateStore
import Testing

/// `extravasd run` and wrong timestamps (DESIGN.md section 7, "The clock is robust to
/// wrong timestamps"; issue 10, fault 1), against the real daemon and journald: with
/// ADT^A08 of unrelated patients dated 2062 and 1990 inserted at random points, every
/// fixture gives exactly the alerts `extravasd replay` gives without them, a resend after
/// them is still counted as a resend, and the file gets one `implausible_time` feed event.
@Suite(
    "Wrong timestamps (daemon)",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct WrongTimestampDaemonTests {
    static let examples = DaemonTests.repository + "/examples/feeds/"

    static let fixtures = ["seed-case.hl7", "engine-rules.hl7", "generated"]

    static func bytes(_ fixture: String) throws -> [UInt8] {
        if fixture == "generated" {
            return FeedGenerator.feed(
                options: FeedOptions(seed: 100, patients: 6, terminator: .cr, signShare: 0.3),
                messageCount: 1500)
        }
        return Array(try Data(contentsOf: URL(fileURLWithPath: examples + fixture)))
    }

    @Test(arguments: fixtures)
    func wrongTimestampsOfOtherPatientsChangeNoAlertOfTheDaemon(fixture: String) async throws {
        let harness = try DaemonHarness()
        // The first seed from 11 whose points leave a message to resend before the first one.
        let bytes = try Self.bytes(fixture)
        let wrong = try #require(
            (11...100).lazy.map { WrongClockFeed.make(from: bytes, seed: $0) }.first { $0.hasResend })
        let expected = try harness.replay(wrong.reference)
        #expect(!expected.alertIDs.isEmpty, "the fixture raises alerts")
        try await harness.startAndWaitUntilReady()
        try harness.append(wrong.feed)
        let total = expected.counters.messages + wrong.wrongClockMessages
        let read = await eventually(timeout: .seconds(60)) {
            harness.lastStatusCounters().flatMap { $0.messages >= total ? true : nil }
        }
        #expect(read == true, "every message read")
        _ = try await harness.waitForAlerts(expected.alertIDs, timeout: .seconds(10))
        #expect(
            try await harness.waitForFeedEvent("implausible_time", about: harness.feed, timeout: .seconds(10))
        )
        let counted = try await harness.stopAndCount()
        let ids = try harness.journalAlertIDs()
        #expect(ids.sorted() == expected.alertIDs.sorted(), "exactly replay's alerts, each once")
        #expect(counted.messages == total)
        #expect(
            counted.resends == expected.counters.resends,
            "the resend after the wrong timestamps is recognised")
        #expect(counted.resends >= 1)
        #expect(counted.alerts == expected.alertIDs.count)
        // Once per file, PRIORITY 4, naming the file and nothing clinical.
        let events = try harness.journalEntries([
            "MESSAGE_ID=f91e211ae96a48ccb4061ab8fe7b7dc5", "EXTRAVASD_EVENT=implausible_time",
            "EXTRAVASD_SOURCE=file:\(harness.feed)",
        ])
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event["PRIORITY"] == "4")
        #expect(event["EXTRAVASD_PATIENT"] == nil && event["EXTRAVASD_CONTROL_ID"] == nil)
        let text = event.filter { $0.key.hasPrefix("EXTRAVASD_") || $0.key == "MESSAGE" }.map(\.value)
            .joined(separator: " ").replacingOccurrences(of: harness.feed, with: "FILE")
        for clinical in ["4455", "ELSEWHERE", "2062", "1990", "CLOCK"] {
            #expect(!text.contains(clinical), "\(text)")
        }
    }

    @Test func aFirstMessageFrom2062NeverTakesTheDaemonsClockPastTheWallClock() async throws {
        let harness = try DaemonHarness()
        let seedCase = try Self.bytes("seed-case.hl7")
        let expected = try harness.replay(seedCase)
        try await harness.startAndWaitUntilReady()
        try harness.append(WrongClockFeed.wrongClockMessage(seed: 12, number: 0) + seedCase)
        #expect(try await harness.waitForAlerts(expected.alertIDs))
        #expect(
            try await harness.waitForFeedEvent("implausible_time", about: harness.feed, timeout: .seconds(10))
        )
        let counted = try await harness.stopAndCount()
        #expect(counted.messages == expected.counters.messages + 1)
        #expect(try harness.journalAlertIDs() == expected.alertIDs)
        // The clock the daemon stored (its state's `clock`, seconds) is within the wall
        // clock plus clock.max_skew (1 h by default), not in 2062.
        let store = try SQLiteStore(directory: harness.directory + "/state")
        let saved = try #require(try await store.engineState())
        await store.close()
        let state = try #require(try JSONSerialization.jsonObject(with: Data(saved.bytes)) as? [String: Any])
        let clock = try #require((state["clock"] as? [String: Any])?["seconds"] as? Int)
        #expect(clock <= Int(Date().timeIntervalSince1970) + 3600, "clock \(clock)")
    }
}
