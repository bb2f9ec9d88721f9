import Foundation
import Testing

/// The MLLP listener of the real daemon (`extravasd run` with `mllp.enabled: true`):
/// every message acknowledged `AA` once committed, its alert in the journal with an
/// `mllp:` source, a resend acknowledged the same and alerting nothing more; garbage and
/// an oversized frame answered without taking the daemon down.
@Suite(.serialized)
struct MLLPListenerDaemonTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let seedCase = repository + "/examples/feeds/seed-case.hl7"

    /// A harness whose daemon listens for MLLP on a free loopback port, with `extra`
    /// lines in its `mllp:` section and `environment` added to its own.
    static func start(extra: String = "", environment: [String: String] = [:]) async throws -> (
        DaemonHarness, port: Int
    ) {
        let harness = try DaemonHarness()
        let port = try MLLPClient.freePort()
        try """
        feeds:
          files: ["\(harness.directory)/spool/*.hl7"]
        state_directory: \(harness.directory)/state
        mllp:
          enabled: true
          listen: "127.0.0.1:\(port)"
        \(extra)
        """.write(toFile: harness.config, atomically: true, encoding: .utf8)
        try harness.start(environment: environment)
        #expect(await harness.waitForNotification("READY=1"))
        return (harness, port)
    }

    /// The seed case's messages, in order (segments ended by CR).
    static func seedMessages() throws -> [[UInt8]] {
        let text = try String(contentsOfFile: seedCase, encoding: .utf8)
        return text.components(separatedBy: "MSH|").dropFirst().map { Array(("MSH|" + $0).utf8) }
            .map { bytes in Array(bytes.reversed().drop { $0 == 0x0A || $0 == 0x0D }.reversed()) + [0x0D] }
    }

    /// MSH-10 of a message.
    static func controlID(_ message: [UInt8]) -> String {
        let first = String(decoding: message, as: UTF8.self).split(separator: "\r")[0]
        return String(first.split(separator: "|", omittingEmptySubsequences: false)[9])
    }

    /// Sends the seed case with python-hl7's `mllp_send --loose`; the (MSA-1, MSA-2) of
    /// every acknowledgement it printed.
    static func mllpSend(port: Int) throws -> [(code: String, control: String)] {
        let output = try DaemonHarness.shell(
            "/usr/bin/env", ["mllp_send", "--loose", "-f", seedCase, "-p", String(port), "127.0.0.1"])
        return output.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).filter { $0.hasPrefix("MSA|") }
            .map { line in
                let fields = line.split(separator: "|", omittingEmptySubsequences: false)
                return (String(fields[1]), fields.count > 2 ? String(fields[2]) : "")
            }
    }

    /// The alert entries this daemon wrote (an alert id, no event, not a reminder: a
    /// reminder carries its alert's id, and may fire at once when an earlier run on this
    /// journal wrote the same deterministic alert long ago).
    static func alerts(pid: Int32, since: Int) throws -> [[String: String]] {
        try PHIDaemonRun.journalEntries(pid: pid, since: since)
            .filter {
                $0["EXTRAVASD_ALERT_ID"] != nil && $0["EXTRAVASD_EVENT"] == nil
                    && $0["EXTRAVASD_REMINDER"] == nil
            }
    }

    @Test func theSeedCaseOverMLLPIsAcknowledgedAfterCommitAlertsOnceAndAResendChangesNothing() async throws {
        let (harness, port) = try await Self.start()
        let pid = try #require(harness.process?.processIdentifier)
        let expected = try Self.seedMessages().map(Self.controlID)
        #expect(expected.count == 7)

        let first = try Self.mllpSend(port: port)
        #expect(first.map(\.code) == Array(repeating: "AA", count: expected.count), "\(first)")
        #expect(first.map(\.control) == expected)
        let alerts = try #require(
            try await eventually {
                let found = try Self.alerts(pid: pid, since: harness.createdAt)
                    .filter { $0["EXTRAVASD_SOURCE"]?.hasPrefix("mllp:127.0.0.1:") == true }
                return found.isEmpty ? nil : found
            })
        let ids = Set(alerts.compactMap { $0["EXTRAVASD_ALERT_ID"] })
        #expect(ids.count == 1, "the seed case raises one alert: \(alerts.map { $0["MESSAGE"] ?? "" })")

        // The sender sends everything again (it never saw the ACKs, say): the same AA, no new alert.
        let again = try Self.mllpSend(port: port)
        #expect(again.map(\.code) == Array(repeating: "AA", count: expected.count), "\(again)")
        #expect(again.map(\.control) == expected)
        try await Task.sleep(for: .milliseconds(500))
        let after = try Self.alerts(pid: pid, since: harness.createdAt)
            .filter { $0["EXTRAVASD_SOURCE"]?.hasPrefix("mllp:") == true }
        #expect(Set(after.compactMap { $0["EXTRAVASD_ALERT_ID"] }) == ids)
        #expect(after.count == alerts.count, "no second alert: \(after.map { $0["MESSAGE"] ?? "" })")

        let events = try PHIDaemonRun.journalEntries(pid: pid, since: harness.createdAt)
            .compactMap { $0["EXTRAVASD_EVENT"] }
        #expect(events.filter { $0 == "mllp_connected" }.count == 2, "\(events)")
        #expect(harness.stop() == 0)
    }

    @Test func garbageAndAnOversizedFrameAreRejectedAndTheNextMessageIsAccepted() async throws {
        let (harness, port) = try await Self.start(extra: "  max_frame_bytes: 2048\n")
        let pid = try #require(harness.process?.processIdentifier)
        let client = try MLLPClient(port: port)

        // Bytes outside any frame: discarded, unanswered.
        client.send(Array("GET / HTTP/1.0\r\n\r\n".utf8) + [0x00, 0xFF, 0x1C, 0x0D])
        // A frame that is not HL7: AR.
        client.sendFrame(Array("not an HL7 message at all".utf8))
        let unreadable = try #require(client.readAcknowledgement())
        #expect(unreadable.contains { $0.hasPrefix("MSA|AR|") }, "\(unreadable)")
        // A frame whose first line only looks like a header (found by the engine fuzzer: it
        // parsed into a message without segments, whose MSH the daemon then read): AR.
        client.sendFrame(Array("|^~\\&|\rEVN|A01|20260101000737\r".utf8))
        let headerless = try #require(client.readAcknowledgement())
        #expect(headerless.contains { $0.hasPrefix("MSA|AR|") }, "\(headerless)")
        #expect(harness.process?.isRunning == true)
        // A frame over max_frame_bytes: AR naming its control id, without the engine.
        let big =
            Array(
                "MSH|^~\\&|ADT|CHILDRENS|EXTRAVASD|CHILDRENS|20260302080000||ADT^A01^ADT_A01|BIG0001|P|2.5.1\r"
                    .utf8)
            + Array("NTE|1||".utf8) + [UInt8](repeating: 0x41, count: 8000) + [0x0D]
        client.sendFrame(big)
        let oversized = try #require(client.readAcknowledgement())
        #expect(oversized.contains("MSA|AR|BIG0001"), "\(oversized)")
        #expect(oversized.contains { $0.hasPrefix("ERR|") && $0.contains("207") }, "\(oversized)")
        // The next good message: AA.
        let good = try #require(try Self.seedMessages().first)
        client.sendFrame(good)
        let accepted = try #require(client.readAcknowledgement())
        #expect(accepted.contains("MSA|AA|\(Self.controlID(good))"), "\(accepted)")
        #expect(harness.process?.isRunning == true)

        // The three rejected frames are dead-lettered, with an mllp: source.
        let malformed = try PHIDaemonRun.journalEntries(pid: pid, since: harness.createdAt)
            .filter { $0["EXTRAVASD_SOURCE"]?.hasPrefix("mllp:") == true && $0["EXTRAVASD_REASON"] != nil }
        #expect(malformed.count == 3, "\(malformed.map { $0["MESSAGE"] ?? "" })")
        #expect(harness.stop() == 0)
    }

    @Test func aPeerNotAllowedIsClosedAtAccept() async throws {
        let (harness, port) = try await Self.start(extra: "  allow: [\"10.9.9.9\"]\n")
        let pid = try #require(harness.process?.processIdentifier)
        let client = try MLLPClient(port: port)
        #expect(client.isClosedByPeer())
        let refused = try #require(
            try await eventually {
                try PHIDaemonRun.journalEntries(pid: pid, since: harness.createdAt)
                    .first { $0["EXTRAVASD_EVENT"] == "mllp_refused" }
            })
        #expect(refused["EXTRAVASD_REASON"] == "not in mllp.allow")
        #expect(harness.stop() == 0)
    }
}
