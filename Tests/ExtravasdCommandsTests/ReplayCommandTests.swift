import FeedGen
import Foundation
import Testing

/// `extravasd replay`, run as a process on real files.
@Suite("extravasd replay")
struct ReplayCommandTests {
    static let seedCase = repositoryRoot + "/examples/feeds/seed-case.hl7"
    /// A feed that exercises administrations, a merge, a correction, XO, PN, SI-unit
    /// labs, imaging and the late calcinosis watch.
    static let engineRules = repositoryRoot + "/examples/feeds/engine-rules.hl7"

    func alerts(_ output: Executables.Output) throws -> [[String: Any]] {
        try output.text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// An empty configuration file, so tests never depend on /etc/extravasd.
    func emptyConfig(_ scratch: ScratchDirectory) throws -> String {
        try scratch.write("extravasd.yaml", "feeds:\n  files: []\n")
    }

    @Test func seedCaseReplaysToExactlyOneCriticalAlertAtTheLeftHeel() async throws {
        let scratch = try ScratchDirectory()
        let output = try await Executables.run(
            "extravasd", ["replay", "--config", try emptyConfig(scratch), "--format", "jsonl", Self.seedCase])
        #expect(output.status == 0)
        let lines = try alerts(output)
        #expect(lines.count == 1)
        let alert = try #require(lines.first)
        #expect(alert["kind"] as? String == "extravasation_suspected")
        #expect(alert["severity"] as? String == "critical")
        #expect(alert["site"] as? String == "left-heel")
        #expect(alert["signs"] as? [String] == ["erythema", "pain", "swelling"])
        let factors = try #require(alert["risk_factors"] as? [String])
        for factor in ["infant", "renal_failure", "hyperphosphatemia", "ca_x_p_high"] {
            #expect(factors.contains(factor), "\(factor)")
        }
        #expect(alert["patient"] as? String == "4455")
        #expect(alert["order"] as? String == "7001")
        #expect(alert["infusion_active"] as? Bool == true)
        #expect(alert["observed_at"] as? String == "2026-03-05T14:00:00+00:00")
        #expect(alert["source"] as? String == "file:\(Self.seedCase):2173")
        let keys = output.text.components(separatedBy: "\": ").map {
            $0.components(separatedBy: "\"").last ?? ""
        }
        #expect(
            Array(keys.prefix(17)) == [
                "alert_id", "kind", "severity", "observed_at", "patient", "visit", "location", "site",
                "observed_site",
                "site_match", "signs", "drug", "order", "infusion_active", "risk_factors", "control_id",
                "source",
            ])
        #expect(output.stderr.contains("alerts: 1"))
    }

    static func generatedFeeds(_ scratch: ScratchDirectory, count: Int, messages: Int) throws -> [String] {
        try (0..<count).map { index in
            let feed = FeedGenerator.feed(
                options: FeedOptions(
                    seed: UInt64(100 + index), patients: 6, terminator: .mixed, signShare: 0.3),
                messageCount: messages)
            return try scratch.write("feed\(index).hl7", feed)
        }
    }

    @Test func twoProcessesReplayingTheSameFilesGiveByteIdenticalOutput() async throws {
        let scratch = try ScratchDirectory()
        let config = try emptyConfig(scratch)
        let files = try Self.generatedFeeds(scratch, count: 3, messages: 1500) + [Self.seedCase]
        for format in ["jsonl", "text"] {
            let first = try await Executables.run(
                "extravasd", ["replay", "--config", config, "--format", format] + files)
            let second = try await Executables.run(
                "extravasd", ["replay", "--config", config, "--format", format] + files)
            #expect(first.status == 0)
            #expect(!first.stdout.isEmpty, "the generated feeds raise alerts")
            #expect(first.stdout == second.stdout)
        }
    }

    @Test func twoProcessesSavingTheSameStateWriteByteIdenticalStateFiles() async throws {
        let scratch = try ScratchDirectory()
        let config = try emptyConfig(scratch)
        let files =
            try Self.generatedFeeds(scratch, count: 2, messages: 1500) + [Self.seedCase, Self.engineRules]
        var states: [Data] = []
        for run in 0..<2 {
            let state = scratch.path + "/state-\(run).sqlite"
            let output = try await Executables.run(
                "extravasd", ["replay", "--config", config, "--state", state] + files)
            #expect(output.status == 0)
            states.append(try Data(contentsOf: URL(fileURLWithPath: state)))
        }
        #expect(states[0].count > 10_000)
        #expect(states[0] == states[1], "sets are written sorted, not in hash order")
    }

    @Test func stateRoundTripAfterEveryMessageMatchesOneUninterruptedRun() async throws {
        let scratch = try ScratchDirectory()
        let config = try emptyConfig(scratch)
        let feeds =
            [Self.seedCase, Self.engineRules] + (try Self.generatedFeeds(scratch, count: 3, messages: 120))
        var alertsSeen = 0
        for feed in feeds {
            let whole = try await Executables.run(
                "extravasd", ["replay", "--config", config, "--format", "jsonl", feed])
            #expect(whole.status == 0)
            let messageCount = try #require(
                whole.stderr.split(separator: " ").firstIndex(of: "messages").map {
                    Int(whole.stderr.split(separator: " ")[$0 - 1])
                } ?? nil)
            let state = scratch.path + "/state-\(alertsSeen)-\(messageCount).json"
            var pieces = Data()
            for _ in 0..<messageCount {
                let step = try await Executables.run(
                    "extravasd",
                    [
                        "replay", "--config", config, "--format", "jsonl", "--state", state, "--max-messages",
                        "1", feed,
                    ])
                #expect(step.status == 0)
                pieces.append(step.stdout)
            }
            #expect(pieces == whole.stdout, "\(feed)")
            alertsSeen += whole.text.split(separator: "\n").count
        }
        #expect(alertsSeen >= 6, "the round trip must cover feeds that alert")
    }

    @Test func engineRulesFeedRaisesItsFourAlerts() async throws {
        let scratch = try ScratchDirectory()
        let output = try await Executables.run(
            "extravasd",
            ["replay", "--config", try emptyConfig(scratch), "--format", "jsonl", Self.engineRules])
        let lines = try alerts(output)
        #expect(
            lines.map { $0["kind"] as? String } == [
                "extravasation_suspected", "extravasation_escalated", "extravasation_suspected",
                "calcinosis_suspected",
            ])
        #expect(
            lines.map { $0["patient"] as? String } == ["8800", "8800", "9100", "8800"], "after the merge")
        #expect(lines[1]["signs"] as? [String] == ["blanching", "swelling"], "erythema was corrected away")
        #expect(lines[2]["site"] as? String == "left-forearm")
        #expect(lines[2]["infusion_active"] as? Bool == false, "XO moved the line")
        #expect(lines[3]["signs"] as? [String] == ["calcinosis"])
    }

    @Test func filesAreMergedByMessageTime() async throws {
        let scratch = try ScratchDirectory()
        let pid = "PID|1||4455^^^CHILDRENS^MR||DOE^JANE||20241005"
        let nursing = try scratch.write(
            "nursing.hl7",
            "MSH|^~\\&|N|H|||20260302080000||ADT^A01|A1|P|2.5\r\(pid)\r"
                + "MSH|^~\\&|N|H|||20260302140000||ORU^R01|N1|P|2.5\r\(pid)\rOBR|1\rOBX|1|CWE|ERYTHEMA^Erythema at IV site^L|1|Y||||||F\r"
        )
        let pharmacy = try scratch.write(
            "pharmacy.hl7",
            "MSH|^~\\&|P|H|||20260302120000||RDE^O11|P1|P|2.5\r\(pid)\rORC|NW|7001\r"
                + "RXE||^Calcium gluconate 10%\rRXR|IV|^L heel\r")
        let output = try await Executables.run(
            "extravasd",
            ["replay", "--config", try emptyConfig(scratch), "--format", "jsonl", nursing, pharmacy])
        #expect(try alerts(output).count == 1, "the order (12:00) is applied before the sign (14:00)")
    }

    @Test func withinAFileMessagesAreProcessedInFileOrderEvenWhenTimeGoesBackwards() async throws {
        let scratch = try ScratchDirectory()
        let pid = "PID|1||4455^^^CHILDRENS^MR"
        // The sign is written first with a later MSH-7; the order follows with an earlier one.
        let file = try scratch.write(
            "feed.hl7",
            "MSH|^~\\&|N|H|||20260302140000||ORU^R01|N1|P|2.5\r\(pid)\rOBR|1\rOBX|1|CWE|ERYTHEMA^Erythema at IV site^L|1|Y||||||F\r"
                + "MSH|^~\\&|P|H|||20260302120000||RDE^O11|P1|P|2.5\r\(pid)\rORC|NW|7001\rRXE||^Calcium gluconate\rRXR|IV|^L heel\r"
        )
        let output = try await Executables.run(
            "extravasd", ["replay", "--config", try emptyConfig(scratch), "--format", "jsonl", file])
        #expect(try alerts(output).isEmpty, "file order: the sign came before any order")
    }

    @Test(.enabled(if: corpusDirectory != nil, "../shared/corpus is absent"))
    func publicCorpusReplaysWithoutAnErrorExit() async throws {
        let scratch = try ScratchDirectory()
        let directory = try #require(corpusDirectory)
        let files = try ["python-hl7", "hapi-hl7v2", "FHIR-Converter"].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder).sorted()
                .filter { !$0.contains("LICENSE") }.map { directory + "/" + folder + "/" + $0 }
        }
        let output = try await Executables.run(
            "extravasd", ["replay", "--config", try emptyConfig(scratch), "--format", "jsonl"] + files)
        #expect(output.status == 0)
        #expect(output.stdout.isEmpty, "the corpus holds no calcium infusions: \(output.text)")
        #expect(output.stderr.contains("alerts: 0"))
    }

    @Test func unreadableFeedExits66() async throws {
        let scratch = try ScratchDirectory()
        let output = try await Executables.run(
            "extravasd", ["replay", "--config", try emptyConfig(scratch), "/nonexistent/feed.hl7"])
        #expect(output.status == 66)
        #expect(output.stderr.contains("/nonexistent/feed.hl7"))
    }

    @Test func unreadableConfigurationExits78() async throws {
        let output = try await Executables.run(
            "extravasd", ["replay", "--config", "/nonexistent/x.yaml", Self.seedCase])
        #expect(output.status == 78)
        #expect(output.stderr.contains("/nonexistent/x.yaml"))
    }
}

/// `extravasd check-config`.
@Suite("extravasd check-config")
struct CheckConfigCommandTests {
    @Test func misspeltKeyAndBrokenCatalogEntryAreReportedWithFileLineColumnAndExit78() async throws {
        let scratch = try ScratchDirectory()
        _ = try scratch.write(
            "local.yaml",
            """
            entries:
              - id: local-calcium
                name: Local calcium
                risk: extreme
                names: ["calcium local"]

            """)
        let config = try scratch.write(
            "extravasd.yaml",
            """
            feeds:
              files: ["/var/spool/hl7/*.hl7"]
              setle_ms: 200
            catalogs: [local.yaml]

            """)
        let output = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(output.status == 78)
        let lines = output.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines.contains { $0.hasPrefix("\(config):3:3: error: ") && $0.contains("setle_ms") }, "\(lines)")
        #expect(
            lines.contains { $0.hasPrefix(scratch.path + "/local.yaml:4:") && $0.contains("extreme") },
            "\(lines)")
    }

    @Test func validConfigurationPrintsASummaryAndExits0() async throws {
        let scratch = try ScratchDirectory()
        let config = try scratch.write("extravasd.yaml", "feeds:\n  files: [\"/tmp/*.hl7\"]\n")
        let output = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(output.status == 0)
        #expect(output.text.contains("ok"))
        #expect(output.stderr.isEmpty)
    }

    @Test func environmentVariableNamesTheFile() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["EXTRAVASD_CONFIG"] = "/nonexistent/env.yaml"
        let output = try await Executables.run("extravasd", ["check-config"], environment: environment)
        #expect(output.status == 78)
        #expect(output.stderr.contains("/nonexistent/env.yaml"))
    }
}
