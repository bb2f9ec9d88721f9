import FeedGen
import Foundation
import Journal
import Testing

/// `extravasd run` end to end: real files, real journald, real notify socket.
@Suite(
    "Daemon",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct DaemonTests {
    static let seedCase = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/feeds/seed-case.hl7").path

    /// The seed case with a fresh MRN, so its alert id is new in the journal.
    static func seedCaseFeed(mrn: String) throws -> [UInt8] {
        let text = try String(contentsOfFile: seedCase, encoding: .utf8)
        return Array(text.replacingOccurrences(of: "4455^^^CHILDRENS^MR", with: "\(mrn)^^^CHILDRENS^MR").utf8)
    }

    @Test func seedCaseAppendedToAFollowedFileGivesTheJournalEntry() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let mrn = "T" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try Self.seedCaseFeed(mrn: mrn))
        let entry = try #require(try await eventually { try harness.journalAlerts().first })
        #expect(entry["MESSAGE_ID"] == "751bbc47ee744393bc95affcf7ff9db6")
        #expect(entry["PRIORITY"] == "2")
        #expect(entry["SYSLOG_IDENTIFIER"] == "extravasd")
        #expect(entry["EXTRAVASD_KIND"] == "extravasation_suspected")
        #expect(entry["EXTRAVASD_SEVERITY"] == "critical")
        #expect(entry["EXTRAVASD_PATIENT"] == mrn)
        #expect(entry["EXTRAVASD_VISIT"] == "V778899")
        #expect(entry["EXTRAVASD_LOCATION"] == "PICU/12/A")
        #expect(entry["EXTRAVASD_SITE"] == "left-heel")
        #expect(entry["EXTRAVASD_OBSERVED_SITE"] == "left-heel")
        #expect(entry["EXTRAVASD_SITE_MATCH"] == "exact")
        #expect(entry["EXTRAVASD_SIGNS"] == "erythema,pain,swelling")
        #expect(entry["EXTRAVASD_DRUG"] == "Calcium Gluconate 10% inj")
        #expect(entry["EXTRAVASD_ORDER"] == "7001")
        #expect(entry["EXTRAVASD_INFUSION_ACTIVE"] == "1")
        #expect(
            entry["EXTRAVASD_RISK_FACTORS"]
                == "ca_x_p_high,hyperphosphatemia,hypocalcemia,infant,renal_failure")
        #expect(entry["EXTRAVASD_OBSERVED_AT"] == "2026-03-05T14:00:00+00:00")
        #expect(entry["EXTRAVASD_SOURCE"]?.hasPrefix("file:\(harness.feed):") == true)
        #expect(entry["EXTRAVASD_CONTROL_ID"] == "SEED0005")
        #expect(entry["EXTRAVASD_ALERT_ID"]?.count == 32)
        #expect(entry["EXTRAVASD_REPLAY"] == nil)
        #expect(
            entry["MESSAGE"]
                == "Suspected extravasation at left-heel: erythema, pain, swelling during Calcium Gluconate 10% inj (order 7001) - patient \(mrn) in PICU/12/A"
        )
        #expect(!(entry["MESSAGE"] ?? "").contains("DOE"), "never a name")
        #expect(harness.stop() == 0)
        #expect(try harness.journalAlerts().count == 1, "exactly once")
        // The last STATUS= (sent before STOPPING=1) counts what `extravasd replay` counts.
        let messages = try Self.seedCaseFeed(mrn: mrn).split(separator: 0x0D).filter {
            $0.starts(with: Array("MSH".utf8))
        }
        #expect(
            harness.lastStatusCounters()
                == StatusCounters(messages: messages.count, resends: 0, malformed: 0, alerts: 1))
        // journalctl -x explains the entry with the catalog's text (installed for the check).
        if getuid() == 0, let id = entry["EXTRAVASD_ALERT_ID"] {
            let catalog = "/usr/lib/systemd/catalog/extravasd.catalog"
            let installed = FileManager.default.fileExists(atPath: catalog)
            if !installed {
                try FileManager.default.createDirectory(
                    atPath: "/usr/lib/systemd/catalog", withIntermediateDirectories: true)
                try FileManager.default.copyItem(
                    atPath: Self.repository + "/systemd/extravasd.catalog", toPath: catalog)
                _ = try DaemonHarness.shell("/usr/bin/journalctl", ["--update-catalog"])
            }
            defer {
                if !installed {
                    try? FileManager.default.removeItem(atPath: catalog)
                    _ = try? DaemonHarness.shell("/usr/bin/journalctl", ["--update-catalog"])
                }
            }
            let explained = try DaemonHarness.shell(
                "/usr/bin/journalctl", ["-x", "--no-pager", "-o", "short", "EXTRAVASD_ALERT_ID=\(id)"])
            #expect(explained.contains("Stop the infusion"), "\(explained)")
            #expect(explained.contains("left-heel"))
        }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The systemd unit, journal catalog and install scripts, checked by
    /// Tests/systemd/check-unit.sh (install into a temporary root, `systemd-analyze verify`,
    /// `systemd-analyze security --offline=true --threshold=10`, `journalctl -x` showing the
    /// catalog text, uninstall). In this serialized suite: it installs the catalog too.
    @Test(.enabled(if: getuid() == 0, "installs the catalog under /usr/lib/systemd/catalog: needs root"))
    func unitVerifiesScoresAtMostOneAndTheCatalogExplainsEachMessageID() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.repository + "/Tests/systemd/check-unit.sh"]
        var environment = ProcessInfo.processInfo.environment
        environment["EXTRAVASD_BINARY"] = DaemonHarness.binary
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: Self.repository)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(
            process.terminationStatus == 0,
            "\(output.split(separator: "\n").filter { !$0.hasPrefix("ok") }.joined(separator: "\n"))")
        #expect(output.contains(" passed, 0 failed"))
    }

    @Test func replayWithJournalSendsAlertsMarkedAsReplayed() async throws {
        let harness = try DaemonHarness()
        let mrn = "R" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try Self.seedCaseFeed(mrn: mrn))
        let output = try DaemonHarness.shell(
            DaemonHarness.binary,
            ["replay", "--journal", "--config", harness.config, "--format", "jsonl", harness.feed])
        #expect(output.contains("\"patient\": \"\(mrn)\""), "stdout keeps the JSON lines")
        let entry = try #require(try await eventually { try harness.journalAlerts().first })
        #expect(entry["EXTRAVASD_REPLAY"] == "1")
        #expect(entry["EXTRAVASD_PATIENT"] == mrn)
        #expect(entry["PRIORITY"] == "2")
        #expect(try harness.journalAlerts().count == 1)
    }

    @Test func readyAndStoppingAreNotifiedAndSIGTERMExitsZero() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let process = try #require(harness.process)
        kill(process.processIdentifier, SIGTERM)
        #expect(await harness.waitForNotification("STOPPING=1"))
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func stateDatabaseAndDeadLettersAreMode0600() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        try harness.append(Array("MSH|^\rPID|1\r".utf8))  // malformed: a dead letter
        let deadLetters = harness.directory + "/state/dead-letters.hl7"
        _ = await eventually {
            (try? FileManager.default.attributesOfItem(atPath: deadLetters)[.size] as? Int).flatMap {
                $0 > 0 ? 1 : nil
            }
        }
        #expect(harness.stop() == 0)
        for file in ["extravasd.sqlite", "dead-letters.hl7"] {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: harness.directory + "/state/" + file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file)")
        }
    }

    @Test func aMessageOverTheSegmentLimitIsDeadLetteredWithItsBytesAndTheNextIsProcessed() async throws {
        let harness = try DaemonHarness()
        try """
        feeds:
          files: ["\(harness.directory)/spool/*.hl7"]
          settle_ms: 100
        state_directory: \(harness.directory)/state
        limits:
          max_segments: 20

        """.write(toFile: harness.config, atomically: true, encoding: .utf8)
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        // 30 segments: over the limit. Then the seed case, which must still alert.
        let tooLong =
            "MSH|^~\\&|NURSING|CHILDRENS|EXTRAVASD|CHILDRENS|20260305141000||ORU^R01|BIG0001|P|2.5.1\r"
            + (1...29).map { "NTE|\($0)||note \($0)\r" }.joined()
        let mrn = "L" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(Array(tooLong.utf8) + (try Self.seedCaseFeed(mrn: mrn)))
        let alert = try #require(try await eventually { try harness.journalAlerts().first })
        #expect(alert["EXTRAVASD_PATIENT"] == mrn, "the message after the bad one is processed")
        let process = try #require(harness.process)
        _ = try DaemonHarness.shell("/usr/bin/journalctl", ["--sync"])
        let malformed = try DaemonHarness.shell(
            "/usr/bin/journalctl",
            [
                "-o", "json", "--no-pager", "--since", "@\(harness.createdAt)",
                "_PID=\(process.processIdentifier)",
                "MESSAGE_ID=a722fa1c55da4811baa2bbfc9aeddd10",
            ])
        let entry = malformed.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }.first
        #expect(entry?["EXTRAVASD_SOURCE"] as? String == "file:\(harness.feed):0")
        #expect(entry?["EXTRAVASD_OFFSET"] as? String == "0")
        #expect((entry?["EXTRAVASD_REASON"] as? String)?.contains("segment") == true, "\(entry ?? [:])")
        #expect(entry?["PRIORITY"] as? String == "4")
        let message = entry?["MESSAGE"] as? String ?? ""
        #expect(message.contains("more than 20 segments"))
        #expect(!message.contains("note 1"), "never the message text in the journal")
        #expect(harness.stop() == 0)
        let deadLetters = try Data(
            contentsOf: URL(fileURLWithPath: harness.directory + "/state/dead-letters.hl7"))
        let text = String(decoding: deadLetters, as: UTF8.self)
        #expect(text.hasPrefix("# extravasd dead letter: file:\(harness.feed):0 offset 0: "))
        #expect(text.contains(tooLong), "the message's bytes, as they were")
    }

    /// Whether `feed` has a message header (`MSH`) at `offset`.
    static func startsMessage(_ feed: [UInt8], at offset: Int) -> Bool {
        offset + 3 <= feed.count && feed[offset] == 0x4D && feed[offset + 1] == 0x53
            && feed[offset + 2] == 0x48
    }

    @Test func killNineAtRandomMomentsLosesAndDuplicatesNoAlert() async throws {
        let harness = try DaemonHarness(settleMilliseconds: 50)
        let seed = UInt64.random(in: 1...UInt64(UInt32.max))
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: seed, patients: 8, terminator: .cr, signShare: 0.3), messageCount: 3000
        )
        // The expected alerts: replay of the same bytes.
        try Data(feed).write(to: URL(fileURLWithPath: harness.directory + "/expected.hl7"))
        let replay = try DaemonHarness.shell(
            DaemonHarness.binary,
            ["replay", "--config", harness.config, "--format", "jsonl", harness.directory + "/expected.hl7"])
        let expected = replay.split(separator: "\n").compactMap { line -> String? in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["alert_id"]
                as? String
        }
        #expect(expected.count > 10)
        var written = 0
        var kills = 0
        func progress(_ text: String) {
            FileHandle.standardError.write(Data("kill-9 test: \(text)\n".utf8))
        }
        progress("\(expected.count) alerts expected (feedgen seed \(seed))")
        var generator = SystemRandomNumberGenerator()
        try harness.start()
        while written < feed.count {
            // Random-sized chunks: messages split across writes.
            let size = Int.random(in: 200...9000, using: &generator)
            var end = min(feed.count, written + size)
            let pauseAndKill = Int.random(in: 0..<4, using: &generator) == 0 && kills < 25
            if pauseAndKill {
                // The pause before a kill is longer than the settle time: a file left then at
                // a segment terminator inside a message would have that message completed by
                // settle time, cut short (DESIGN §3: a writer quiet that long between segments
                // is taken to have finished). Such a pause is left inside a segment, or at a
                // message boundary, as an interface engine's writes are.
                while end < feed.count && feed[end - 1] == 0x0D && !Self.startsMessage(feed, at: end) {
                    end += 1
                }
            }
            try harness.append(Array(feed[written..<end]))
            written = end
            if pauseAndKill {
                try await Task.sleep(for: .seconds(Double.random(in: 0...0.3, using: &generator)))
                _ = harness.stop(signal: SIGKILL)
                kills += 1
                try harness.start()
                progress("kill \(kills) at \(written) bytes")
            }
        }
        while kills < 20 {
            try await Task.sleep(for: .seconds(Double.random(in: 0.05...0.3, using: &generator)))
            _ = harness.stop(signal: SIGKILL)
            kills += 1
            try harness.start()
        }
        progress("all written, \(kills) kills")
        let expectedSet = Set(expected)
        let settled = try await eventually(timeout: .seconds(90)) { () -> [String]? in
            let ids = try harness.journalAlerts().compactMap { $0["EXTRAVASD_ALERT_ID"] }
            return Set(ids) == expectedSet ? ids : nil
        }
        #expect(harness.stop() == 0)
        let ids = try harness.journalAlerts().compactMap { $0["EXTRAVASD_ALERT_ID"] }
        #expect(settled != nil, "every alert of the replay reached the journal")
        #expect(ids.count == expected.count, "each exactly once (\(kills) kills)")
        #expect(Set(ids) == expectedSet)
        #expect(kills >= 20)
    }
}
