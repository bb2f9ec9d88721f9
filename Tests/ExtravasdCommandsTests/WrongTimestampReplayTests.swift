import FeedGen
import Foundation
import Testing

/// `extravasd replay` and wrong timestamps (DESIGN.md section 7, "The clock is robust to
/// wrong timestamps"; issue 10, fault 1): ADT^A08 of unrelated patients dated 2062 and
/// 1990 change no alert, resends are still recognised after them, an implausible message
/// is merged at its file predecessor's time, is said once per file and counted, and the
/// output stays deterministic, also across `--state` round trips.
@Suite("extravasd replay: wrong timestamps")
struct WrongTimestampReplayTests {
    func emptyConfig(_ scratch: ScratchDirectory) throws -> String {
        try scratch.write("extravasd.yaml", "feeds:\n  files: []\n")
    }

    /// The alert lines without `source` (offsets move with the inserted messages).
    func alerts(_ output: Executables.Output) throws -> [NSDictionary] {
        try output.text.split(separator: "\n").map {
            let object = try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            return object.filter { $0.key != "source" } as NSDictionary
        }
    }

    /// A number in replay's summary, after `label` (e.g. `resends `).
    func number(after label: String, in summary: String) -> Int? {
        guard let range = summary.range(of: label) else { return nil }
        return Int(summary[range.upperBound...].prefix { $0.isNumber })
    }

    static let pid = "PID|1||4455^^^CHILDRENS^MR||DOE^JANE||20241005"
    static let otherPID = "PID|1||7788^^^CHILDRENS^MR||ROE^JOHN||20250101"

    @Test func everyFixtureGivesTheSameAlertsAndResendsWithWrongTimestampsInserted() async throws {
        let scratch = try ScratchDirectory()
        let config = try emptyConfig(scratch)
        var fixtures: [(String, [UInt8])] = []
        for name in ["seed-case.hl7", "engine-rules.hl7"] {
            fixtures.append(
                (
                    name,
                    Array(
                        try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/examples/feeds/" + name))
                    )
                ))
        }
        for seed in [100, 101] as [UInt64] {
            fixtures.append(
                (
                    "generated-\(seed).hl7",
                    FeedGenerator.feed(
                        options: FeedOptions(seed: seed, patients: 6, terminator: .cr, signShare: 0.3),
                        messageCount: 1500)
                ))
        }
        var alerting = 0
        var resends = 0
        for (name, bytes) in fixtures {
            for seed in 1...3 as ClosedRange<UInt64> {
                let wrong = WrongClockFeed.make(from: bytes, seed: seed)
                let feed = try scratch.write("wrong-\(seed)-" + name, wrong.feed)
                let reference = try scratch.write("reference-\(seed)-" + name, wrong.reference)
                let actual = try await Executables.run(
                    "extravasd", ["replay", "--config", config, "--format", "jsonl", feed])
                let expected = try await Executables.run(
                    "extravasd", ["replay", "--config", config, "--format", "jsonl", reference])
                #expect(actual.status == 0 && expected.status == 0)
                #expect(try alerts(actual) == alerts(expected), "\(name), seed \(seed)")
                #expect(
                    number(after: "resends ", in: actual.stderr)
                        == number(after: "resends ", in: expected.stderr),
                    "\(name), seed \(seed): the resend after the wrong timestamps is recognised")
                if wrong.hasResend && (number(after: "resends ", in: expected.stderr) ?? 0) >= 1 {
                    resends += 1
                }
                #expect(
                    actual.stderr.components(separatedBy: "implausible message time (").count == 2,
                    "\(name), seed \(seed): said once for the file\n\(actual.stderr)")
                #expect(actual.stderr.contains("\(feed):"), "the line names the file")
                #expect(number(after: "implausible message times ", in: actual.stderr) ?? 0 >= 1)
                if seed == 1 && !expected.stdout.isEmpty { alerting += 1 }
            }
        }
        #expect(alerting == fixtures.count, "every fixture raises alerts")
        #expect(resends >= 6, "resends after the wrong timestamps were checked")
    }

    /// Two files: nursing holds a message from 2062 between the admission (08:00) and
    /// a sign (14:00); pharmacy holds the orders, a message from 1990 and another
    /// patient's sign (16:00).
    static func mergeFiles(_ scratch: ScratchDirectory, wrong: Bool) throws -> [String] {
        let future =
            wrong ? String(decoding: WrongClockFeed.wrongClockMessage(seed: 9, number: 0), as: UTF8.self) : ""
        let past =
            wrong ? String(decoding: WrongClockFeed.wrongClockMessage(seed: 9, number: 1), as: UTF8.self) : ""
        let tag = wrong ? "wrong" : "reference"
        let nursing = try scratch.write(
            "nursing-\(tag).hl7",
            "MSH|^~\\&|N|H|||20260302080000||ADT^A01|A1|P|2.5\r\(pid)\r" + future
                + "MSH|^~\\&|N|H|||20260302140000||ORU^R01|N1|P|2.5\r\(pid)\rOBR|1\r"
                + "OBX|1|CWE|ERYTHEMA^Erythema at IV site^L|1|Y||||||F\r")
        let pharmacy = try scratch.write(
            "pharmacy-\(tag).hl7",
            "MSH|^~\\&|P|H|||20260302120000||RDE^O11|P1|P|2.5\r\(pid)\rORC|NW|7001\r"
                + "RXE||^Calcium gluconate 10%\rRXR|IV|^L heel\r" + past
                + "MSH|^~\\&|P|H|||20260302123000||RDE^O11|P2|P|2.5\r\(otherPID)\rORC|NW|7002\r"
                + "RXE||^Calcium gluconate 10%\rRXR|IV|^R hand\r"
                + "MSH|^~\\&|N|H|||20260302160000||ORU^R01|N2|P|2.5\r\(otherPID)\rOBR|1\r"
                + "OBX|1|CWE|SWELLING^Swelling at IV site^L|1|Y||||||F\r")
        return [nursing, pharmacy]
    }

    @Test func anImplausibleMessageIsMergedAtItsFilePredecessorsTime() async throws {
        let scratch = try ScratchDirectory()
        let config = try emptyConfig(scratch)
        let expected = try await Executables.run(
            "extravasd",
            ["replay", "--config", config, "--format", "jsonl"] + Self.mergeFiles(scratch, wrong: false))
        let actual = try await Executables.run(
            "extravasd",
            ["replay", "--config", config, "--format", "jsonl"] + Self.mergeFiles(scratch, wrong: true))
        let expectedAlerts = try alerts(expected)
        #expect(expectedAlerts.map { $0["patient"] as? String } == ["4455", "7788"])
        // Merged at 2062, the message would hold back the nursing sign past the other
        // patient's (16:00): the alerts would come out the other way round.
        #expect(try alerts(actual) == expectedAlerts)
        #expect(
            actual.stderr.components(separatedBy: "implausible message time (").count == 3, "once per file")
        #expect(number(after: "implausible message times ", in: actual.stderr) == 2)
    }

    @Test func twoRunsWithImplausibleMessagesGiveByteIdenticalOutput() async throws {
        let scratch = try ScratchDirectory()
        let config = try emptyConfig(scratch)
        let files = try (0..<3).map { index in
            let feed = FeedGenerator.feed(
                options: FeedOptions(seed: UInt64(200 + index), patients: 6, terminator: .cr, signShare: 0.3),
                messageCount: 1200)
            return try scratch.write(
                "feed\(index).hl7", WrongClockFeed.make(from: feed, seed: UInt64(index), count: 6).feed)
        }
        func withoutTiming(_ text: String) -> String {
            text.split(separator: "\n").filter { !$0.hasPrefix("replay: ") }.joined(separator: "\n")
        }
        for format in ["jsonl", "text"] {
            let first = try await Executables.run(
                "extravasd", ["replay", "--config", config, "--format", format] + files)
            let second = try await Executables.run(
                "extravasd", ["replay", "--config", config, "--format", format] + files)
            #expect(first.status == 0)
            #expect(!first.stdout.isEmpty)
            #expect(first.stdout == second.stdout)
            #expect(withoutTiming(first.stderr) == withoutTiming(second.stderr))
            #expect(
                (number(after: "implausible message times ", in: first.stderr) ?? 0) >= 6, "\(first.stderr)")
        }
    }

    @Test func stateRoundTripAfterEveryMessageMatchesOneRunWithImplausibleMessages() async throws {
        let scratch = try ScratchDirectory()
        let config = try emptyConfig(scratch)
        let seedCase = Array(
            try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/examples/feeds/seed-case.hl7")))
        let generated = FeedGenerator.feed(
            options: FeedOptions(seed: 300, patients: 4, terminator: .cr, signShare: 0.4), messageCount: 90)
        let runs: [[String]] = [
            [try scratch.write("seed-case.hl7", WrongClockFeed.make(from: seedCase, seed: 5).feed)],
            [try scratch.write("generated.hl7", WrongClockFeed.make(from: generated, seed: 6).feed)],
            try Self.mergeFiles(scratch, wrong: true)
                + [try scratch.write("generated-2.hl7", WrongClockFeed.make(from: generated, seed: 7).feed)],
        ]
        var alertsSeen = 0
        for (index, files) in runs.enumerated() {
            let whole = try await Executables.run(
                "extravasd", ["replay", "--config", config, "--format", "jsonl"] + files)
            #expect(whole.status == 0)
            #expect(whole.stderr.contains("implausible message times"))
            let messageCount = try #require(
                number(after: "\(files.count) file\(files.count == 1 ? "" : "s"), ", in: whole.stderr))
            let state = scratch.path + "/state-\(index).json"
            var pieces = Data()
            for _ in 0..<messageCount {
                let step = try await Executables.run(
                    "extravasd",
                    [
                        "replay", "--config", config, "--format", "jsonl", "--state", state, "--max-messages",
                        "1",
                    ] + files)
                #expect(step.status == 0)
                pieces.append(step.stdout)
            }
            #expect(pieces == whole.stdout, "\(files)")
            alertsSeen += whole.text.split(separator: "\n").count
        }
        #expect(alertsSeen >= 4, "the round trip must cover feeds that alert")
    }
}
