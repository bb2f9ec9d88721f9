import ClinicalEvents
import Configuration
import FeedGen
import HL7
import Testing

@testable import Surveillance

/// Pruning at a new message day visits only what its schedule says is due
/// (``PruneSchedule``): the state and the alerts must be exactly those of pruning the
/// whole state at the same points.
@Suite("Pruning by schedule")
struct PruneScheduleTests {
    static func settings(short: Bool) -> SurveillanceSettings {
        var settings = SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog)
        if short {
            // Short windows: records, lines, labs and identities are pruned day after day.
            settings.lateWatchDays = 1
            settings.labLookbackDays = 1
            settings.processedRetentionDays = 1
            settings.lineForgetHours = 6
        }
        return settings
    }

    @Test(arguments: [(7, false), (7, true), (23, true)])
    func pruningOnlyWhatIsDueLeavesTheSameStateAndAlertsAsPruningEverything(seed: Int, short: Bool) {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: UInt64(seed), patients: 20, signShare: 0.25),
            simulatedSeconds: 14 * 86_400)
        var scheduled = SurveillanceEngine(settings: Self.settings(short: short))
        var reference = scheduled
        reference.pruneWholeStateForTests = true
        var count = 0
        var differences = 0
        var prunedPatients = 0
        for case .success(let message) in MessageReader.readAll(feed) {
            let source = MessageSource.file("feed", offset: message.offset)
            let before = scheduled.state.patients.count
            let alerts = scheduled.process(message, source: source)
            let expected = reference.process(message, source: source)
            if scheduled.state.patients.count < before { prunedPatients += 1 }
            count += 1
            if alerts != expected || (count % 97 == 0 && scheduled.state != reference.state) {
                differences += 1
                if differences < 3 { Issue.record("differs after message \(count) (\(message.controlID))") }
            }
        }
        #expect(scheduled.state == reference.state)
        #expect(differences == 0)
        #expect(count > 1_000)
        if short { #expect(prunedPatients > 0, "records were pruned away") }
    }

    /// A state loaded mid-feed (a restart) is looked at whole by its first pruning, then
    /// by schedule: the same state and alerts as one engine that ran through.
    @Test(arguments: [false, true])
    func aStateLoadedMidFeedIsPrunedAsIfTheEngineHadRunThrough(short: Bool) {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 31, patients: 20, signShare: 0.25), simulatedSeconds: 14 * 86_400)
        var through = SurveillanceEngine(settings: Self.settings(short: short))
        var restarted = through
        var count = 0
        var differences = 0
        for case .success(let message) in MessageReader.readAll(feed) {
            count += 1
            if count % 700 == 0 {
                restarted = SurveillanceEngine(settings: Self.settings(short: short), state: restarted.state)
            }
            let source = MessageSource.file("feed", offset: message.offset)
            if restarted.process(message, source: source) != through.process(message, source: source) {
                differences += 1
            }
        }
        #expect(count > 1_400, "restarted at least twice")
        #expect(differences == 0)
        #expect(restarted.state == through.state)
    }

    @Test func aRecordDueForNothingIsNotScheduledAndOneWithNothingLeftIsDueAtOnce() {
        var record = PatientRecord(key: PatientKey(identifier: "1"))
        #expect(record.earliestPruneTime(labLookbackDays: 7, lateWatchDays: 42, lineForgetHours: 72) == nil)
        record.dischargedAt = Instant(seconds: 1_000)
        #expect(
            record.earliestPruneTime(labLookbackDays: 7, lateWatchDays: 42, lineForgetHours: 72)
                == Instant(seconds: .min))
    }

    @Test func aLabIsDueWhenItLeavesTheLookBackWithPruningsDayOfMargin() {
        var record = PatientRecord(key: PatientKey(identifier: "1"))
        record.labs = [
            LabResult(
                analyte: .calcium, value: 9, unit: nil, high: false, low: false, time: Instant(seconds: 0))
        ]
        #expect(
            record.earliestPruneTime(labLookbackDays: 7, lateWatchDays: 42, lineForgetHours: 72)
                == Instant(seconds: 8 * 86_400))
    }
}
