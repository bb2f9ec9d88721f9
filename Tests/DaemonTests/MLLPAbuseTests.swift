import Foundation
import Synchronization
import Testing

/// Abusive MLLP peers against the real daemon (issue 15, point 3): a frame that never
/// ends and a silent connection (closed by `mllp.idle_timeout_ms`, `mllp_closed` with the
/// reason), a slow-loris sender (served in its own time while another client is served at
/// once), 100 connections against `mllp.max_connections: 32` (the others refused,
/// `mllp_refused`), and a 50 MB frame against `mllp.max_frame_bytes: 1 MiB` (answered
/// `AR`, the daemon's peak resident memory bounded). In each, the daemon stays up and
/// another client's message gets its `AA`.
@Suite(.serialized)
struct MLLPAbuseTests {
    /// What the slow-loris thread saw: its port, when it sent its last byte, its answer.
    final class Loris: Sendable {
        let port = Mutex<Int?>(nil)
        let finished = Mutex<ContinuousClock.Instant?>(nil)
        let answer = Mutex<[String]?>(nil)
    }

    /// The daemon's journal entries of event `name` since the harness was made.
    static func events(_ name: String, pid: Int32, since: Int) throws -> [[String: String]] {
        try PHIDaemonRun.journalEntries(pid: pid, since: since).filter { $0["EXTRAVASD_EVENT"] == name }
    }

    /// The entry of event `name` for the connection from local port `port`, once journaled.
    static func event(_ name: String, port: Int, pid: Int32, since: Int) async throws -> [String: String]? {
        try await eventually(timeout: .seconds(10)) {
            try events(name, pid: pid, since: since)
                .first { $0["EXTRAVASD_SOURCE"] == "mllp:127.0.0.1:\(port)" }
        }
    }

    /// Sends the seed case's first message on a new connection; its MSA segment.
    static func acknowledgedSeedMessage(port: Int) throws -> String? {
        let message = try #require(try MLLPListenerDaemonTests.seedMessages().first)
        let client = try MLLPClient(port: port)
        client.sendFrame(message)
        return client.readAcknowledgement()?.first { $0.hasPrefix("MSA|") }
    }

    /// A field of `/proc/PID/status` in kB (`VmHWM`, `VmRSS`).
    static func memoryKilobytes(_ field: String, pid: Int32) -> Int? {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) }
    }

    @Test func aFrameThatNeverEndsAndASilentConnectionAreClosedAfterTheIdleTimeout() async throws {
        let (harness, port) = try await MLLPListenerDaemonTests.start(extra: "  idle_timeout_ms: 1000\n")
        let pid = try #require(harness.process?.processIdentifier)
        let started = ContinuousClock.now
        let unfinished = try MLLPClient(port: port)
        unfinished.send([0x0B] + Array("MSH|^~\\&|ADT|CHILDRENS|EXTRAVASD|CHILDRENS|2026".utf8))
        let silent = try MLLPClient(port: port)

        let closed = try #require(
            await eventually(timeout: .seconds(8)) {
                unfinished.isClosedNow() && silent.isClosedNow() ? ContinuousClock.now : nil
            }, "both connections closed within a few seconds")
        #expect(started.duration(to: closed) >= .milliseconds(900), "not before the timeout")

        let frame = try #require(
            try await Self.event(
                "mllp_closed", port: unfinished.localPort, pid: pid, since: harness.createdAt))
        #expect(
            frame["EXTRAVASD_REASON"] == "idle for 1000 ms (mllp.idle_timeout_ms), a frame left unfinished")
        let quiet = try #require(
            try await Self.event("mllp_closed", port: silent.localPort, pid: pid, since: harness.createdAt))
        #expect(quiet["EXTRAVASD_REASON"] == "idle for 1000 ms (mllp.idle_timeout_ms)")

        #expect(harness.process?.isRunning == true)
        let acknowledged = try Self.acknowledgedSeedMessage(port: port)
        #expect(acknowledged?.hasPrefix("MSA|AA|SEED0001") == true, "\(acknowledged ?? "no ACK")")
        #expect(harness.stop() == 0)
    }

    @Test func aSlowLorisIsServedInItsOwnTimeWhileAnotherClientIsServedAtOnce() async throws {
        let (harness, port) = try await MLLPListenerDaemonTests.start(extra: "  idle_timeout_ms: 1000\n")
        let pid = try #require(harness.process?.processIdentifier)
        let message = Array(
            "MSH|^~\\&|ADT|CH|EXTRAVASD|CH|20260302080000||ADT^A08|LORIS1|P|2.5.1\rPID|1||4455\r".utf8)
        let loris = Loris()
        // One byte every 100 ms, from a thread of its own (not Swift's cooperative pool).
        Thread.detachNewThread {
            guard let client = try? MLLPClient(port: port) else { return }
            loris.port.withLock { $0 = client.localPort }
            for byte in [0x0B] + message + [0x1C, 0x0D] {
                client.send([byte])
                usleep(100_000)
            }
            loris.finished.withLock { $0 = ContinuousClock.now }
            let acknowledgement = client.readAcknowledgement()
            loris.answer.withLock { $0 = acknowledgement }
        }

        try await Task.sleep(for: .seconds(2))
        let lorisPort = try #require(loris.port.withLock { $0 }, "the loris connected")
        #expect(
            try await Self.event("mllp_connected", port: lorisPort, pid: pid, since: harness.createdAt) != nil
        )
        let acknowledged = try Self.acknowledgedSeedMessage(port: port)
        let servedAt = ContinuousClock.now
        #expect(acknowledged?.hasPrefix("MSA|AA|SEED0001") == true, "\(acknowledged ?? "no ACK")")
        #expect(
            loris.finished.withLock { $0 } == nil, "the other client was answered while the loris was sending"
        )

        // Never silent for a second, so not closed as idle: answered once its frame ends.
        let lorisAnswer = try #require(
            await eventually(timeout: .seconds(20)) { loris.answer.withLock { $0 } }, "the loris is answered")
        #expect(lorisAnswer.contains { $0.hasPrefix("MSA|AA|LORIS1") }, "\(lorisAnswer)")
        let end = try #require(loris.finished.withLock { $0 })
        #expect(servedAt < end)
        #expect(harness.process?.isRunning == true)
        #expect(
            try Self.events("mllp_closed", pid: pid, since: harness.createdAt)
                .first { $0["EXTRAVASD_SOURCE"] == "mllp:127.0.0.1:\(lorisPort)" }?["EXTRAVASD_REASON"]
                == nil,
            "closed by the loris itself, not as idle")
        #expect(harness.stop() == 0)
    }

    @Test func aHundredConnectionsAgainstACapOf32AreRefusedBeyondItAndTheOthersServed() async throws {
        let (harness, port) = try await MLLPListenerDaemonTests.start(extra: "  max_connections: 32\n")
        let pid = try #require(harness.process?.processIdentifier)
        let message = try MLLPListenerDaemonTests.seedMessages()
        let first = try MLLPClient(port: port)
        first.sendFrame(message[0])
        let firstAnswer = first.readAcknowledgement()?.first { $0.hasPrefix("MSA|") }
        #expect(firstAnswer?.hasPrefix("MSA|AA|SEED0001") == true, "\(firstAnswer ?? "no ACK")")

        let crowd = try (0..<100).map { _ in try MLLPClient(port: port) }
        let refused = try #require(
            await eventually(timeout: .seconds(10)) {
                let closed = crowd.filter { $0.isClosedNow() }
                return closed.count >= 69 ? closed : nil
            }, "69 over the cap closed at accept")
        try await Task.sleep(for: .milliseconds(500))
        let open = crowd.filter { !$0.isClosedNow() }
        #expect(open.count == 31, "31 admitted beside the first")
        #expect(refused.count == 69)

        // Within the cap: the first connection and an admitted one of the crowd are answered.
        first.sendFrame(message[1])
        let again = first.readAcknowledgement()?.first { $0.hasPrefix("MSA|") }
        #expect(again?.hasPrefix("MSA|AA|SEED0002") == true, "\(again ?? "no ACK")")
        let admitted = try #require(open.last)
        admitted.sendFrame(message[2])
        let crowdAnswer = admitted.readAcknowledgement()?.first { $0.hasPrefix("MSA|") }
        #expect(crowdAnswer?.hasPrefix("MSA|AA|SEED0003") == true, "\(crowdAnswer ?? "no ACK")")
        #expect(harness.process?.isRunning == true)

        let refusals = try #require(
            try await eventually(timeout: .seconds(10)) {
                let found = try Self.events("mllp_refused", pid: pid, since: harness.createdAt)
                return found.count >= 69 ? found : nil
            })
        #expect(refusals.count == 69)
        #expect(refusals.allSatisfy { $0["EXTRAVASD_REASON"] == "mllp.max_connections reached" })
        #expect(
            Set(refusals.compactMap { $0["EXTRAVASD_SOURCE"] })
                == Set(refused.map { "mllp:127.0.0.1:\($0.localPort)" }))
        #expect(try Self.events("mllp_connected", pid: pid, since: harness.createdAt).count == 32)
        // STATUS= lists the open connections by peer.
        #expect(
            await harness.waitForNotification("mllp 32 connection(s): 127.0.0.1 x32", timeout: .seconds(10)),
            "STATUS= names the 32 open connections")

        // The places come back once the connections close.
        first.hangUp()
        for client in crowd { client.hangUp() }
        let closings = try await eventually(timeout: .seconds(10)) {
            let found = try Self.events("mllp_closed", pid: pid, since: harness.createdAt)
            return found.count >= 32 ? found : nil
        }
        #expect(closings?.count == 32)
        #expect(await harness.waitForNotification("mllp 0 connections", timeout: .seconds(10)))
        let later = try Self.acknowledgedSeedMessage(port: port)
        #expect(later?.hasPrefix("MSA|AA|SEED0001") == true, "\(later ?? "no ACK")")
        #expect(harness.stop() == 0)
    }

    @Test func aFiftyMegabyteFrameIsAnsweredARWithTheDaemonsMemoryBounded() async throws {
        let (harness, port) = try await MLLPListenerDaemonTests.start(extra: "  max_frame_bytes: 1048576\n")
        let pid = try #require(harness.process?.processIdentifier)
        let before = try #require(Self.memoryKilobytes("VmHWM", pid: pid))

        let client = try MLLPClient(port: port)
        client.send(
            [0x0B]
                + Array(
                    "MSH|^~\\&|ADT|CHILDRENS|EXTRAVASD|CHILDRENS|20260302080000||ADT^A01^ADT_A01|HUGE0001|P|2.5.1\rNTE|1||"
                        .utf8))
        let chunk = [UInt8](repeating: 0x41, count: 1 << 20)
        for _ in 0..<50 { client.send(chunk) }
        client.send([0x0D, 0x1C, 0x0D])
        let answer = try #require(client.readAcknowledgement(), "the huge frame is answered")
        #expect(answer.contains("MSA|AR|HUGE0001"), "\(answer)")

        let after = try #require(Self.memoryKilobytes("VmHWM", pid: pid))
        let grown = after - before
        #expect(grown < 16 * 1024, "peak resident grew \(grown) kB (\(before) -> \(after)) for a 50 MB frame")
        #expect(harness.process?.isRunning == true)
        let acknowledged = try Self.acknowledgedSeedMessage(port: port)
        #expect(acknowledged?.hasPrefix("MSA|AA|SEED0001") == true, "\(acknowledged ?? "no ACK")")
        let deadLetter = try #require(
            try await eventually(timeout: .seconds(10)) {
                try PHIDaemonRun.journalEntries(pid: pid, since: harness.createdAt).first {
                    $0["EXTRAVASD_SOURCE"] == "mllp:127.0.0.1:\(client.localPort)"
                        && $0["EXTRAVASD_REASON"] != nil
                }
            })
        #expect(deadLetter["EXTRAVASD_REASON"]?.contains("over the limit of 1048576 bytes") == true)
        #expect(harness.stop() == 0)
    }
}
