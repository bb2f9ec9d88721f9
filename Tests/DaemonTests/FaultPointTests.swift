import FeedGen
import Foundation
import Journal
import Testing

/// Issue 16: the daemon killed (`SIGKILL`, from inside, by `EXTRAVASD_TEST_FAULT=POINT:N`
/// of a debug build) at each named step of its path — input read, store commit, journal
/// send, delivered mark, MLLP acknowledgement written — then started again on the same
/// state: every alert of `extravasd replay` of the same input is in the journal exactly
/// once, and over MLLP every message is acknowledged in the end.
@Suite(
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct FaultPointTests {
    /// Waits for the daemon armed with a fault to kill itself; whether it died of SIGKILL.
    static func diedOfTheFault(_ process: Process) async -> Bool {
        let ended = await eventually(timeout: .seconds(60), every: .milliseconds(20)) {
            process.isRunning ? nil : true
        }
        guard ended == true else { return false }
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    /// The step, and which time it is reached (counted from the start of the process).
    static let fileSteps: [(point: String, time: Int)] = [
        ("read", 3), ("commit", 3), ("send", 6), ("mark", 2),
    ]

    @Test(arguments: fileSteps.map { "\($0.point):\($0.time)" })
    func killedAtAStepOfAFollowedFileTheRestartDeliversEachAlertOnce(fault: String) async throws {
        let harness = try DaemonHarness(settleMilliseconds: 50)
        let feed = try FaultFeed(harness, messages: 1500)
        let (seed, expected) = (feed.seed, feed.expected)

        // The feed arrives in four appends (several batches and commits), the daemon
        // running with the fault armed.
        try harness.start(environment: ["EXTRAVASD_TEST_FAULT": fault])
        #expect(await harness.waitForNotification("READY=1"))
        let first = try #require(harness.process)
        try await feed.append(to: harness, in: 4, pause: .milliseconds(150))
        #expect(await Self.diedOfTheFault(first), "the daemon reached \(fault) and was killed there")

        // Started again without the fault, on the same state.
        try harness.start()
        let settled = try await eventually(timeout: .seconds(60)) { () -> Bool? in
            Set(try harness.journalAlerts().compactMap { $0["EXTRAVASD_ALERT_ID"] }) == Set(expected)
                ? true : nil
        }
        #expect(harness.stop() == 0)
        let ids = try harness.journalAlerts().compactMap { $0["EXTRAVASD_ALERT_ID"] }
        #expect(settled == true, "every alert of the replay reached the journal (seed \(seed), \(fault))")
        #expect(Set(ids) == Set(expected))
        #expect(
            ids.count == expected.count, "each exactly once (seed \(seed), \(fault)): \(ids.count) entries")
    }

    /// Over MLLP: killed right after a commit (its messages not yet acknowledged: the
    /// sender sends them again, and they are duplicates answered `AA` without a second
    /// alert), or right after acknowledgements were written.
    @Test(arguments: ["commit:40", "ack:300"])
    func killedAtAStepOfAnMLLPStreamTheResendsLoseAndDuplicateNothing(fault: String) async throws {
        let (harness, port) = try await MLLPListenerDaemonTests.start(
            environment: ["EXTRAVASD_TEST_FAULT": fault])
        let count = 2000
        let feed = try FaultFeed(harness, messages: count, terminator: .mllp)
        let (seed, expected) = (feed.seed, feed.expected)
        let feedPath = harness.directory + "/expected.hl7"
        let first = try #require(harness.process)
        let acked = harness.directory + "/acked.txt"
        let streamed = try MLLPKillTests.stream(feed: feedPath, port: port, acked: acked)
        #expect(await Self.diedOfTheFault(first), "the daemon reached \(fault) and was killed there")
        #expect(streamed.status == 3, "the connection is lost at the kill: \(streamed.output)")
        let before = try String(contentsOfFile: acked, encoding: .utf8).split(separator: "\n").count
        #expect(before > 0 && before < count, "acknowledged before the kill: \(before)")

        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let second = try #require(harness.process)
        let resent = try MLLPKillTests.stream(feed: feedPath, port: port, acked: acked)
        #expect(resent.status == 0, "\(resent.output)")
        let all = try String(contentsOfFile: acked, encoding: .utf8).split(separator: "\n")
        #expect(all.count == count && Set(all).count == count, "every message acknowledged once in the end")

        func alertIDs() throws -> [String] {
            try [first.processIdentifier, second.processIdentifier].flatMap {
                try MLLPListenerDaemonTests.alerts(pid: $0, since: harness.createdAt)
            }.compactMap { $0["EXTRAVASD_ALERT_ID"] }
        }
        let settled = try await eventually(timeout: .seconds(30)) {
            Set(try alertIDs()) == Set(expected) ? true : nil
        }
        #expect(harness.stop() == 0)
        let ids = try alertIDs()
        #expect(settled == true, "every alert of the replay reached the journal (seed \(seed), \(fault))")
        #expect(
            ids.count == expected.count, "each exactly once (seed \(seed), \(fault)): \(ids.count) entries")
    }
}
