import FeedGen
import Foundation
import Journal
import Testing

/// Issue 15, acceptance point 2: `kill -9` of the daemon while a client streams 10,000
/// messages over MLLP, a restart on the same state and port, and the client resending
/// everything not positively acknowledged: every message acknowledged in the end, each
/// alert of `extravasd replay` (same messages, same configuration) exactly once in the
/// journal, and no acknowledged message lost.
@Suite(
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct MLLPKillTests {
    static let client = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mllp_stream.py").path

    /// Runs the client to its end; its exit status and what it printed.
    static func stream(
        feed: String, port: Int, acked: String, extra: [String] = []
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", client, feed, String(port), acked, "--window", "8"] + extra
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func killNineWhileAClientStreamsThenItsResendsLoseAndDuplicateNothing() async throws {
        let started = ContinuousClock.now
        let harness = try DaemonHarness()
        let port = try MLLPClient.freePort()
        // Alert ids keyed with a fresh key (`phi: pseudonymized`): this run's ids are its
        // own, so entries an earlier run left in the journal (the same feed, the same
        // deterministic ids) can neither count as this run's deliveries nor start a
        // reminder's clock.
        try """
        feeds:
          files: ["\(harness.directory)/spool/*.hl7"]
        state_directory: \(harness.directory)/state
        phi: pseudonymized
        mllp:
          enabled: true
          listen: "127.0.0.1:\(port)"

        """.write(toFile: harness.config, atomically: true, encoding: .utf8)
        let keyPath = (harness.config as NSString).deletingLastPathComponent + "/pseudonym.key"
        let key = open(keyPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(key >= 0)
        let keyBytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        _ = keyBytes.withUnsafeBytes { write(key, $0.baseAddress, $0.count) }
        close(key)

        // 10,000 messages asking for accept acknowledgements (MSH-15 AL), 38 alerts.
        let feedPath = harness.directory + "/messages.hl7"
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 15, terminator: .mllp, signShare: 0), messageCount: 10_000)
        try Data(feed).write(to: URL(fileURLWithPath: feedPath))
        let replay = try DaemonHarness.shell(
            DaemonHarness.binary, ["replay", "--config", harness.config, "--format", "jsonl", feedPath])
        let replayed = replay.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        let expected = replayed.compactMap { $0["alert_id"] as? String }
        let alertingControlIDs = replayed.compactMap { $0["control_id"] as? String }
        #expect(expected.count >= 30, "enough alerts for a kill to land near one: \(expected.count)")
        #expect(Set(expected).count == expected.count)
        let killOn = harness.directory + "/kill-on.txt"
        try alertingControlIDs.joined(separator: "\n").write(
            toFile: killOn, atomically: true, encoding: .utf8)

        // Stream; the client kills the daemon right after the first positive ACK, after
        // 3,000 of them, of a message that raises an alert (an ACK sent before its commit
        // would then lose it).
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let first = try #require(harness.process)
        let acked = harness.directory + "/acked.txt"
        let streamed = try Self.stream(
            feed: feedPath, port: port, acked: acked,
            extra: [
                "--kill-pid", String(first.processIdentifier), "--kill-after", "3000", "--kill-on", killOn,
            ])
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal && first.terminationStatus == SIGKILL)
        #expect(streamed.status == 3, "the connection is lost at the kill: \(streamed.output)")
        #expect(streamed.output.contains("killed \(first.processIdentifier)"), "\(streamed.output)")
        let ackedBeforeKill = try String(contentsOfFile: acked, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(ackedBeforeKill.count >= 3000 && ackedBeforeKill.count < 10_000)
        FileHandle.standardError.write(
            Data(
                "MLLP kill -9 test: \(expected.count) alerts expected, \(ackedBeforeKill.count) ACKs before the kill\n"
                    .utf8))

        // Restart on the same state and port; the client resends what was not acknowledged.
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let second = try #require(harness.process)
        let resent = try Self.stream(feed: feedPath, port: port, acked: acked)
        #expect(resent.status == 0, "\(resent.output)")
        #expect(resent.output.contains("\(ackedBeforeKill.count) acknowledged before"), "\(resent.output)")

        // (a) Every message positively acknowledged, each control id once.
        let allAcked = try String(contentsOfFile: acked, encoding: .utf8).split(separator: "\n")
        #expect(allAcked.count == 10_000)
        #expect(Set(allAcked).count == 10_000)

        // (b) The alerts of both daemon processes are those of the replay, each exactly once.
        // (c) follows: each message acknowledged before the kill was not sent again, so an
        // alert it raised can only be in the journal if its commit survived the kill; the
        // kill came right after the ACK of an alerting message.
        let expectedSet = Set(expected)
        func journalAlertIDs() throws -> [String] {
            try [first.processIdentifier, second.processIdentifier].flatMap {
                try MLLPListenerDaemonTests.alerts(pid: $0, since: harness.createdAt)
            }.compactMap { $0["EXTRAVASD_ALERT_ID"] }
        }
        let settled = try await eventually(timeout: .seconds(30)) {
            Set(try journalAlertIDs()) == expectedSet ? true : nil
        }
        #expect(harness.stop() == 0)
        let ids = try journalAlertIDs()
        #expect(settled != nil, "every alert of the replay reached the journal")
        let missing = expectedSet.subtracting(ids)
        let ackedSet = Set(ackedBeforeKill)
        let lostAcknowledged = replayed.filter {
            missing.contains($0["alert_id"] as? String ?? "")
                && ackedSet.contains($0["control_id"] as? String ?? "")
        }.compactMap { $0["control_id"] as? String }
        #expect(lostAcknowledged.isEmpty, "acknowledged before the kill, alert missing: \(lostAcknowledged)")
        #expect(missing.isEmpty, "missing: \(missing.sorted())")
        #expect(
            Set(ids).subtracting(expectedSet).isEmpty,
            "not in the replay: \(Set(ids).subtracting(expectedSet))")
        #expect(
            ids.count == expected.count, "each exactly once: \(ids.count) entries, \(expected.count) alerts")
        FileHandle.standardError.write(
            Data("MLLP kill -9 test: \(ContinuousClock.now - started)\n".utf8))
    }
}
