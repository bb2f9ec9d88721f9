import FeedGen
import Foundation
import Journal
import Testing

/// Thousands of malformed messages (DESIGN.md section 7, "never crashes on input"): the
/// real `extravasd run` reads each, counts it, writes its dead letter (the files rotate
/// and stay within their limits), its memory does not grow with them, and every good
/// message between them is processed as `extravasd replay` processes it.
@Suite(
    "Malformed flood", .serialized,
    .enabled(if: PrivateJournald.isPossible, "needs root, unshare, nsenter and systemd-journald")
)
struct MalformedFloodTests {
    /// How much the daemon's anonymous memory may grow during the flood. Measured here:
    /// 6-7 MB (12 MB beside a parallel build); 13-14 MB before the journal writer's queue
    /// was bounded and freed heap given back (`ThreadedDestination.waitForRoom`,
    /// `FreedMemoryRelease`), and growing with the flood (41 MB for 120,000 messages).
    static let growthCeiling = 16 << 20
    /// How much more anonymous memory the daemon may keep once idle after the flood (its
    /// state cache, SQLite's page cache, the journal writer's bounded queue): measured
    /// 5 MB; 13-14 MB before freed heap was given back.
    static let idleCeiling = 9 << 20

    /// 30,000 messages in thousands of one kind each: the five kinds of malformed message
    /// the reader refuses and random mutations of a good message, in turn, with a seed
    /// case (a fresh MRN) after each thousand: the daemon keeps running, its counters and
    /// alerts equal replay's, the dead letters rotate within
    /// `limits.dead_letter_max_bytes` × `limits.dead_letter_files`, its anonymous memory
    /// grows by less than ``growthCeiling`` and, once idle, is back within
    /// ``idleCeiling`` of where it started.
    @Test func thousandsOfMalformedMessagesRotateTheDeadLettersInBoundedMemoryAndLoseNothing()
        async throws
    {
        let harness = try DaemonHarness()
        try DeliveryTests.configure(
            harness,
            """
            limits:
              max_field_bytes: 4096
              max_segments: 200
              dead_letter_max_bytes: 65536
              dead_letter_files: 3
              state_cache_bytes: 1048576

            """)
        // A journald of the test's own: tens of thousands of entries would grow the shared
        // journal's file count, and with it every later daemon's descriptors (ManyFilesTests
        // runs under ulimit 256).
        let journal = try PrivateJournald()
        try journal.start()
        let daemon = try LaunchedDaemon(harness: harness, launcher: journal.command([]))
        #expect(await harness.waitForNotification("READY=1"))
        try await Task.sleep(for: .seconds(1))
        let pid = daemon.process.processIdentifier
        let anonymousBefore = BoundedMemoryTests.residentParts(of: pid).anonymous
        #expect(anonymousBefore > 0)

        let seed = UInt64.random(in: 0...UInt64.max)
        var generator = MalformedMessages(seed: seed)
        let log = WrittenBytes()
        var sentinels: [String] = []
        for round in 0..<30 {
            var chunk: [UInt8] = []
            for _ in 0..<1_000 { chunk += generator.next(kind: round % 6) }
            let mrn = "MF\(round)-" + String(UInt32.random(in: 0...UInt32.max))
            chunk += Array(
                String(decoding: try DaemonTests.seedCaseFeed(mrn: mrn), as: UTF8.self)
                    .replacingOccurrences(of: "|SEED000", with: "|MF\(round)-").utf8)
            sentinels.append(mrn)
            log.append(chunk, to: harness.feed)
        }

        let expected = try harness.replay(log.bytes)
        #expect(expected.alertIDs.count >= 30, "each seed case alerts in replay")
        #expect(expected.counters.malformed >= 25_000, "replay counts the malformed: \(expected.counters)")
        // Until the daemon has read every message, its anonymous memory sampled on the way
        // (journal files it maps grow with the malformed-message entries: page cache, not its own).
        var anonymousPeak = anonymousBefore
        let read = await eventually(timeout: .seconds(180), every: .milliseconds(20)) { () -> Bool? in
            anonymousPeak = max(anonymousPeak, BoundedMemoryTests.residentParts(of: pid).anonymous)
            let messages = harness.lastStatusCounters()?.messages ?? 0
            return messages >= expected.counters.messages ? true : nil
        }
        #expect(read == true, "the daemon read every message (seed \(seed))")
        let alerted = try await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            try Set(expected.alertIDs).isSubset(of: AlertStormTests.storedAlertIDs(journal, pid: daemon.pid))
                ? true : nil
        }
        #expect(alerted == true, "the daemon raised replay's alerts")
        #expect(daemon.process.isRunning, "no crash")
        // Idle again: what the flood freed is given back.
        try await Task.sleep(for: .seconds(3))
        let anonymousAfter = BoundedMemoryTests.residentParts(of: pid).anonymous
        #expect(
            anonymousAfter - anonymousBefore < Self.idleCeiling,
            "anonymous resident \(anonymousBefore) bytes before the flood, \(anonymousAfter) once idle")
        #expect(
            anonymousPeak - anonymousBefore < Self.growthCeiling,
            "anonymous resident \(anonymousBefore) bytes before the flood, at most \(anonymousPeak) during it"
        )
        #expect(daemon.stop() == 0)
        let counted = try #require(harness.lastStatusCounters(), "a final STATUS= with counters")
        #expect(counted.messages == expected.counters.messages, "messages")
        #expect(counted.resends == expected.counters.resends, "resends")
        #expect(counted.malformed == expected.counters.malformed, "malformed")
        try AlertStormTests.expectEachOnce(expected.alertIDs, in: journal, pid: daemon.pid)
        journal.stop()

        let state = harness.directory + "/state/"
        let letters = ["dead-letters.hl7", "dead-letters.hl7.1", "dead-letters.hl7.2", "dead-letters.hl7.3"]
        for name in letters {
            let size = (try? FileManager.default.attributesOfItem(atPath: state + name)[.size] as? Int) ?? -1
            #expect(size > 0 && size <= 65_536, "\(name): \(size) bytes")
        }
        #expect(
            !FileManager.default.fileExists(atPath: state + "dead-letters.hl7.4"), "at most 3 rotated files")
        print(
            "malformed flood (seed \(seed)): \(counted.messages) messages, \(counted.malformed) malformed, "
                + "\(expected.alertIDs.count) alerts; anonymous resident \(anonymousBefore) bytes before, "
                + "at most \(anonymousPeak) during, \(anonymousAfter) once idle")
    }
}

/// Malformed HL7 messages made from the seed case's inflamed-site assessment, each with a
/// control id of its own; seeded, so a failure can be repeated.
struct MalformedMessages {
    private var generator: SeededRandom
    private var count = 0
    private let base: [UInt8]

    init(seed: UInt64) {
        generator = SeededRandom(seed: seed)
        let text = (try? String(contentsOfFile: DaemonTests.seedCase, encoding: .utf8)) ?? ""
        let assessment = text.components(separatedBy: "MSH|").first { $0.contains("SEED0005") } ?? ""
        base = Array(("MSH|" + assessment).utf8)
    }

    private mutating func random(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &generator) }

    /// The next message of `kind`: 0 broken encoding characters, 1 no patient, 2 a wrong
    /// MSH-7, 3 a field over `limits.max_field_bytes`, 4 over `limits.max_segments`, 5 (and
    /// more) random bytes changed in a good message.
    mutating func next(kind: Int) -> [UInt8] {
        count += 1
        var text = String(decoding: base, as: UTF8.self).replacingOccurrences(
            of: "SEED0005", with: "BAD\(count)")
        switch kind {
        case 0: text = text.replacingOccurrences(of: "MSH|^~\\&|", with: "MSH|^^\\&|")
        case 1:
            text = text.split(separator: "\r").filter { !$0.hasPrefix("PID|") }.joined(separator: "\r") + "\r"
        case 2: text = text.replacingOccurrences(of: "|20260305141000|", with: "|2026131\(random(10))99|")
        case 3: text += "NTE|1||" + String(repeating: "x", count: 4_097 + random(2_000)) + "\r"
        case 4: text += String(repeating: "NTE|1||note\r", count: 200 + random(100))
        default:
            var bytes = Array(text.utf8)
            let alphabet: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A, 0x7C, 0x5E, 0x5C, 0x26, 0x7E, 0xC3, 0x41]
            for _ in 0..<(1 + random(20)) {
                // Past "MSH|" and the control id, so the message stays one message of its own.
                bytes[8 + random(bytes.count - 8)] = alphabet[random(alphabet.count)]
            }
            return bytes
        }
        return Array(text.utf8)
    }
}
