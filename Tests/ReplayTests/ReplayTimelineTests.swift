import FeedGen
import Foundation
import HL7
import Surveillance
import Testing

@testable import Replay

/// A replay that records the engine's timeline (the review report's input) raises the
/// same alerts, in the same order, with the same summary and state, as one that does
/// not; and the timeline holds the exposures, assessments and merges of the feeds.
@Suite("Replay timeline")
struct ReplayTimelineTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/feeds").standardized.path

    struct Outcome: Equatable {
        var alerts: [Alert]
        var summary: String
        var engine: SurveillanceState
    }

    static func replay(_ files: [String], recording: Bool) throws -> (Outcome, [TimelineEvent]) {
        var run = try ReplayRun(files: files, settings: bundledSettings, limits: .service)
        var alerts: [Alert] = []
        var events: [TimelineEvent] = []
        try run.run(timeline: recording ? { events.append($0) } : nil) { alerts.append($0) }
        return (Outcome(alerts: alerts, summary: run.summary.text, engine: run.state.engine), events)
    }

    @Test func recordingTheTimelineChangesNoAlertNorTheState() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let files = try (0..<2).map { index in
            try scratch.write(
                "feed\(index).hl7",
                FeedGenerator.feed(
                    options: FeedOptions(
                        seed: UInt64(70 + index), patients: 6, terminator: .cr, signShare: 0.3),
                    messageCount: 800))
        }
        let (plain, none) = try Self.replay(files, recording: false)
        let (recorded, events) = try Self.replay(files, recording: true)
        #expect(!plain.alerts.isEmpty)
        #expect(none.isEmpty)
        #expect(recorded == plain)
        #expect(events.contains { if case .exposures = $0 { true } else { false } })
        #expect(events.contains { if case .assessment(let a) = $0 { !a.signs.isEmpty } else { false } })
    }

    @Test func theExampleFeedsTimelineHoldsExposuresNormalAndSignAssessmentsAndTheMerge() throws {
        let files = ["seed-case.hl7", "engine-rules.hl7"].map { Self.examples + "/" + $0 }
        let (outcome, events) = try Self.replay(files, recording: true)
        var exposures: [String: Set<String>] = [:]
        var normal: [String] = []
        var signs: [String: [String]] = [:]
        var merged: [String] = []
        for event in events {
            switch event {
            case .exposures(let key, _, let list):
                for exposure in list { exposures[key.identifier, default: []].insert(exposure.drug) }
            case .assessment(let assessment):
                let place = "\(assessment.patient.identifier) \(assessment.site?.name ?? "-")"
                if assessment.signs.isEmpty && !assessment.lineRemoved {
                    normal.append(place)
                } else if !assessment.signs.isEmpty {
                    signs[place, default: []] += assessment.signs.map(\.rawValue)
                }
            case .merged(let old, let survivor):
                merged.append("\(old.identifier)->\(survivor.identifier)")
            }
        }
        #expect(exposures["4455"] == ["Calcium Gluconate 10% inj"])
        #expect(exposures["9100"] == ["TPN"])
        #expect(merged == ["TEMP77->8800"])
        // The seed case: a normal assessment of the left heel, then erythema, pain, swelling.
        #expect(normal.contains("4455 left-heel"))
        #expect(Set(signs["4455 left-heel"] ?? []) == ["erythema", "pain", "swelling"])
        #expect(signs["8800 right-foot"]?.contains("calcinosis") == true)
        #expect(outcome.alerts.count == 5)
    }
}
