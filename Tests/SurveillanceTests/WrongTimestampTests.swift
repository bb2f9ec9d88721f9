import ClinicalEvents
import Configuration
import FeedGen
import Foundation
import HL7
import Testing

@testable import Surveillance

/// DESIGN.md section 7, "The clock is robust to wrong timestamps": ADT^A08 of unrelated
/// patients dated 2062 and 1990, inserted at random points of every clinical fixture,
/// change no alert, and a resend after them is still recognised (issue 10, fault 1: one
/// message from 2062 used to prune every ended exposure, watch, lab and identity).
@Suite("Wrong timestamps (engine)")
struct WrongTimestampTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/feeds").path

    /// The clinical fixtures: the example feeds, the merge fixture of the replay tests (in
    /// merged order), and generated feeds (one long enough for the late calcinosis watch
    /// and daily pruning).
    static func fixtures() throws -> [(name: String, bytes: [UInt8])] {
        var fixtures: [(String, [UInt8])] = []
        for folder in [examples, examples + "/vendors"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            where name.hasSuffix(".hl7") {
                fixtures.append(
                    (name, Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))))
            }
        }
        let pid = "PID|1||4455^^^CHILDRENS^MR||DOE^JANE||20241005"
        fixtures.append(
            (
                "merge",
                Array(
                    ("MSH|^~\\&|N|H|||20260302080000||ADT^A01|A1|P|2.5\r\(pid)\r"
                        + "MSH|^~\\&|P|H|||20260302120000||RDE^O11|P1|P|2.5\r\(pid)\rORC|NW|7001\r"
                        + "RXE||^Calcium gluconate 10%\rRXR|IV|^L heel\r"
                        + "MSH|^~\\&|N|H|||20260302140000||ORU^R01|N1|P|2.5\r\(pid)\rOBR|1\r"
                        + "OBX|1|CWE|ERYTHEMA^Erythema^L|1|Y||||||F\r").utf8)
            ))
        for seed in [100, 101, 102] as [UInt64] {
            fixtures.append(
                (
                    "feedgen-\(seed)",
                    FeedGenerator.feed(
                        options: FeedOptions(seed: seed, patients: 6, terminator: .cr, signShare: 0.3),
                        messageCount: 1500)
                ))
        }
        fixtures.append(
            (
                "feedgen-50-days",
                FeedGenerator.feed(
                    options: FeedOptions(seed: 42, patients: 8, signShare: 0.2), simulatedSeconds: 50 * 86_400
                )
            ))
        return fixtures
    }

    /// What the engine makes of `bytes`: the alerts (sources left out: offsets move with
    /// the inserted messages) and the outcome of every message.
    static func run(_ bytes: [UInt8]) -> (alerts: [Alert], outcomes: [ProcessingOutcome]) {
        var engine = SurveillanceEngine(
            settings: SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog))
        var alerts: [Alert] = []
        var outcomes: [ProcessingOutcome] = []
        for case .success(let message) in MessageReader.readAll(bytes) {
            let outcome = engine.process(message, source: .file("fixture", offset: 0))
            outcomes.append(outcome)
            alerts += outcome.alerts
        }
        return (alerts, outcomes)
    }

    static func count(_ outcomes: [ProcessingOutcome], _ wanted: ProcessingOutcome) -> Int {
        outcomes.filter { $0 == wanted }.count
    }

    @Test func wrongTimestampsOfOtherPatientsChangeNoAlertAndResendsAreStillRecognised() async throws {
        // About a minute of engine work in a debug build: off the cooperative pool. (The
        // comparisons are gathered there and expected here, in the test's own task.)
        let checked = try await onItsOwnThread { try Self.checkEveryFixture() }
        #expect(checked.differences.isEmpty, "\(checked.differences)")
        #expect(checked.fixturesThatAlert >= 10, "the fixtures raise alerts (the vendor feeds among them)")
        #expect(checked.resendsChecked >= 30)
    }

    /// Runs every fixture with wrong-clock messages of other patients inserted (8 seeds)
    /// against the same fixture without them: what differed (fixture, seed, what), how
    /// many fixtures alert, and how many runs checked a resend.
    static func checkEveryFixture() throws
        -> (differences: [String], fixturesThatAlert: Int, resendsChecked: Int)
    {
        var differences: [String] = []
        var fixturesThatAlert = 0
        var resendsChecked = 0
        for fixture in try Self.fixtures() {
            for seed in 1...8 as ClosedRange<UInt64> {
                let wrong = WrongClockFeed.make(from: fixture.bytes, seed: seed)
                let expected = Self.run(wrong.reference)
                let actual = Self.run(wrong.feed)
                let run = "\(fixture.name), seed \(seed)"
                if actual.alerts != expected.alerts { differences.append("\(run): alerts") }
                if Self.count(actual.outcomes, .duplicate) != Self.count(expected.outcomes, .duplicate) {
                    differences.append("\(run): resends recognised")
                }
                let processed = { (outcomes: [ProcessingOutcome]) in
                    outcomes.count(where: { if case .processed = $0 { true } else { false } })
                }
                if processed(actual.outcomes) != processed(expected.outcomes) + wrong.wrongClockMessages {
                    differences.append("\(run): wrong-clock messages are processed for their own patient")
                }
                if seed == 1 && !expected.alerts.isEmpty { fixturesThatAlert += 1 }
                // (A resend of a message older than the retention is processed again, rightly.)
                if wrong.hasResend && Self.count(expected.outcomes, .duplicate) >= 1 { resendsChecked += 1 }
            }
        }
        return (differences, fixturesThatAlert, resendsChecked)
    }

    @Test func aWrongTimestampRightAfterTheLabsKeepsTheirRiskFactors() throws {
        // The seed case with one ADT from 2062 between its labs and its sign: the alert
        // stays critical with every lab risk factor (labs were pruned as 36 years old).
        let seedCase = Array(try Data(contentsOf: URL(fileURLWithPath: Self.examples + "/seed-case.hl7")))
        var chunks = WrongClockFeed.messageChunks(seedCase)
        chunks.insert(WrongClockFeed.wrongClockMessage(seed: 0, number: 0), at: 3)
        let alerts = Self.run(Array(chunks.joined())).alerts
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1)
        #expect(alert.severity == .critical)
        #expect(alert.riskFactors == [.caXPHigh, .hyperphosphatemia, .hypocalcemia, .infant, .renalFailure])
    }
}
