import AlertOutput
import ClinicalEvents
import Review
import Signs
import Sites
import Surveillance
import Testing

@testable import ReviewReport

/// The report's model and page, in memory: hostile text escaped, the figures' median and
/// 90th percentile, the join of replayed alerts with the journal, the PHI policy, the
/// axis, and the page of nothing.
@Suite("Review report")
struct ReviewReportTests {
    let privacy = PrivacyPolicy.identifiers

    func builder(_ privacy: PrivacyPolicy = .identifiers, period: ReportPeriod = ReportPeriod())
        -> ReportBuilder
    {
        ReportBuilder(privacy: privacy, selection: .all(privacy: privacy), period: period, lateWatchDays: 42)
    }

    // MARK: - Escaping

    @Test func hostileFeedAndJournalTextIsEscapedEverywhere() {
        let hostile = "<script>alert(1)</script>"
        var builder = builder()
        builder.add(
            .exposures(
                Fixtures.patient, location: "\"><img src=x onerror=alert(2)>",
                [Fixtures.exposure(drug: hostile, order: "<b>7001</b>")]))
        builder.add(
            .assessment(
                TimelineAssessment(
                    patient: Fixtures.patient, time: Fixtures.time(), site: Fixtures.heel, signs: [])))
        builder.add(Fixtures.alert("a1", drug: hostile, location: "<i>PICU</i>"))
        let journal = Fixtures.ledger([
            Fixtures.journalAlert("a1"),
            Fixtures.journalAck(
                "a1", by: "<svg onload=alert(3)>", note: "</td><script>x</script>", after: 300),
        ])
        let html = Fixtures.page(builder.build(journal: journal, header: Fixtures.header()))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<svg onload"))
        #expect(!html.contains("<b>7001"))
        #expect(!html.contains("<i>PICU"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("by &lt;svg onload=alert(3)&gt;"))
        #expect(elementsAreBalanced(html))
    }

    @Test func escapingCoversEveryMarkupCharacterAndDropsControls() {
        #expect(HTMLText.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        #expect(HTMLText.escape("x\u{0}y\u{1B}z\u{85}") == "xyz")
        #expect(HTMLText.escape("é\tà") == "é\tà")
    }

    // MARK: - Figures

    @Test func medianIsTheMiddleValueAndP90TheNearestRank() {
        let even = Percentiles([600, 60, 120, 180, 240, 300, 360, 420, 480, 540])
        #expect(even.count == 10)
        #expect(even.median == 330)
        #expect(even.p90 == 540)
        let odd = Percentiles([5, 1, 3])
        #expect(odd.median == 3)
        #expect(odd.p90 == 5)
        let one = Percentiles([42])
        #expect(one.median == 42 && one.p90 == 42)
        let eleven = Percentiles((1...11).map(Double.init))
        #expect(eleven.median == 6)
        #expect(eleven.p90 == 10)
        let none = Percentiles([])
        #expect(none.count == 0 && none.median == nil && none.p90 == nil)
    }

    @Test func timeToAcknowledgementCountsTrustedAcknowledgementsOfJournalAlertsOnly() {
        var builder = builder()
        for (index, id) in ["a1", "a2", "a3", "a4", "a5"].enumerated() {
            builder.add(Fixtures.alert(id, at: index))
        }
        let journal = Fixtures.ledger([
            Fixtures.journalAlert("a1", after: 0), Fixtures.journalAck("a1", by: "RN A", after: 240),
            Fixtures.journalAlert("a2", after: 0),
            Fixtures.journalAck("a2", by: "RN B", disposition: "not-extravasation", after: 720),
            Fixtures.journalAlert("a3", after: 0),
            Fixtures.journalAck("a3", by: "RN C", disposition: nil, after: 60),
            // Untrusted: shown, not counted.
            Fixtures.journalAlert("a4", after: 0),
            Fixtures.journalAck("a4", by: "mallory", after: 30, uid: 4321),
            // a5: not in the journal.
        ])
        let report = builder.build(journal: journal, header: Fixtures.header())
        let figures = report.figures
        #expect(figures.timeToAcknowledge.count == 3)
        #expect(figures.timeToAcknowledge.median == 240)
        #expect(figures.timeToAcknowledge.p90 == 720)
        #expect(figures.neverAcknowledged.map(\.id) == ["a4", "a5"])
        #expect(
            figures.neverAcknowledged.map(\.unacknowledgedReason) == [
                "only an untrusted acknowledgement (by mallory)", "not in the journal",
            ])
        #expect(figures.dispositions.first { $0.value == "confirmed" }?.count == 1)
        #expect(figures.dispositions.first { $0.value == "not-extravasation" }?.count == 1)
        #expect(figures.dispositions.first { $0.value == "none given" }?.count == 1)
        #expect(figures.bySeverity.first { $0.value == .critical }?.count == 5)
        #expect(figures.perSite.map(\.site) == ["left-heel"])
        let html = Fixtures.page(report)
        #expect(html.contains("acknowledged by RN A, confirmed, after 4 min"))
        #expect(html.contains("<td class=\"big\">4 min</td>"))
        #expect(html.contains("<td class=\"big\">12 min</td>"))
        #expect(html.contains("class=\"ack-untrusted\""))
        #expect(elementsAreBalanced(html))
    }

    // MARK: - Join and selection

    @Test func journalAlertsTheReplayDidNotRaiseAreListedButNotReplaysNorOutsideTheSpan() {
        var builder = builder()
        builder.add(.exposures(Fixtures.patient, location: "PICU/12/A", [Fixtures.exposure()]))
        builder.add(Fixtures.alert("replayed"))
        let journal = Fixtures.ledger([
            Fixtures.journalAlert("replayed"),
            Fixtures.journalAlert("live-only", after: 60),
            Fixtures.journalAlert("other-replay", after: 90, replay: true),
            Fixtures.journalAlert("long-before", after: 120, observedAt: "2025-01-01T00:00:00+00:00"),
        ])
        let report = builder.build(journal: journal, header: Fixtures.header())
        #expect(report.alerts.map(\.id) == ["replayed", "live-only"])
        #expect(report.alerts.map(\.origin) == [.replayAndJournal, .journalOnly])
        #expect(report.alerts.map(\.label) == ["A1", "A2"])
        #expect(report.journalOnlyAlerts.first?.patient == "MRN 4455")
    }

    @Test func underMinimalPatientsAreNumberedAndNoMRNOrOrderIsShown() {
        let minimal = PrivacyPolicy(mode: .minimal, key: Array(repeating: 7, count: 32))
        var builder = builder(minimal)
        builder.add(.exposures(Fixtures.patient, location: "PICU/12/A", [Fixtures.exposure()]))
        builder.add(Fixtures.alert("a1"))
        let journal = Fixtures.ledger([
            Fixtures.journalAlert("a1"), Fixtures.journalAlert("j1", after: 60, patient: "4455"),
        ])
        let report = builder.build(journal: journal, header: Fixtures.header(.minimal))
        #expect(report.patients.map(\.label) == ["Patient 1"])
        #expect(report.patients.first?.location == "PICU/12/A")
        let html = Fixtures.page(report)
        #expect(!html.contains("4455"))
        #expect(!html.contains("7001"))
        #expect(!html.contains("V778899"))
        #expect(!html.contains("SEED0005"))
        #expect(html.contains("Patient 1"))
    }

    @Test func underPseudonymizedTheMRNAskedForSelectsItsPatientAndTheJournalsPseudonym() {
        let key = Array(repeating: UInt8(9), count: 32)
        let pseudonymized = PrivacyPolicy(mode: .pseudonymized, key: key)
        let selection = PatientSelection(identifier: "4455", privacy: pseudonymized)
        let pseudonym = pseudonymized.patient("4455")!
        #expect(selection.includes(identifier: "4455"))
        #expect(!selection.includes(identifier: "9100"))
        #expect(selection.includes(journalPatient: pseudonym))
        #expect(!selection.includes(journalPatient: "4455"))
        #expect(PatientSelection(identifier: pseudonym, privacy: pseudonymized).includes(identifier: "4455"))
        var builder = ReportBuilder(
            privacy: pseudonymized, selection: selection, period: ReportPeriod(), lateWatchDays: 42)
        builder.add(.exposures(Fixtures.patient, location: "PICU/12/A", [Fixtures.exposure()]))
        builder.add(
            .exposures(PatientKey(identifier: "9100"), location: "4W", [Fixtures.exposure(order: "8100")]))
        let report = builder.build(journal: [], header: Fixtures.header(.pseudonymized))
        #expect(report.patients.map(\.label) == ["Patient \(pseudonym)"])
        #expect(report.patients.first?.location == pseudonymized.location("PICU/12/A"))
    }

    @Test func aMergeMovesTheTimelineToTheSurvivingPatient() {
        var builder = builder()
        let old = PatientKey(identifier: "TEMP77", authority: "CHILDRENS")
        builder.add(.exposures(old, location: "NICU/3/B", [Fixtures.exposure()]))
        builder.add(
            .assessment(
                TimelineAssessment(
                    patient: old, time: Fixtures.time(hours: -10), site: Fixtures.heel, signs: [])))
        builder.add(.merged(old, into: Fixtures.patient))
        builder.add(.exposures(Fixtures.patient, location: nil, [Fixtures.exposure()]))
        builder.add(
            .assessment(
                TimelineAssessment(
                    patient: Fixtures.patient, time: Fixtures.time(), site: Fixtures.heel, signs: [.pain])))
        let report = builder.build(journal: [], header: Fixtures.header())
        #expect(report.patients.map(\.label) == ["MRN 4455"])
        let site = report.patients.first?.sites.first
        #expect(site?.exposures.count == 1)
        #expect(site?.assessments.map(\.isNormal) == [true, false])
        #expect(report.patients.first?.location == "NICU/3/B")
    }

    @Test func anExposureSnapshotReplacesTheEarlierStateOfTheSameExposure() {
        var builder = builder()
        builder.add(.exposures(Fixtures.patient, location: nil, [Fixtures.exposure(end: nil)]))
        builder.add(.exposures(Fixtures.patient, location: nil, [Fixtures.exposure(end: 5)]))
        let report = builder.build(journal: [], header: Fixtures.header())
        let bars = report.patients.first?.sites.first?.exposures ?? []
        #expect(bars.count == 1)
        #expect(bars.first?.end == Fixtures.time(hours: 5))
        #expect(bars.first?.watchEnd == Fixtures.time(hours: 77))
        #expect(bars.first?.lateWatchEnd == Fixtures.time(hours: 5 + 42 * 24))
    }

    @Test func thePeriodKeepsWhatFallsInIt() {
        let period = ReportPeriod(since: Fixtures.time(hours: 1), until: Fixtures.time(hours: 100))
        var builder = builder(period: period)
        builder.add(.exposures(Fixtures.patient, location: nil, [Fixtures.exposure()]))
        builder.add(
            .assessment(
                TimelineAssessment(
                    patient: Fixtures.patient, time: Fixtures.time(), site: Fixtures.heel, signs: [])))
        builder.add(
            .assessment(
                TimelineAssessment(
                    patient: Fixtures.patient, time: Fixtures.time(hours: 3), site: Fixtures.heel,
                    signs: [.pain])))
        builder.add(Fixtures.alert("before", at: 0))
        builder.add(Fixtures.alert("within", at: 3))
        let report = builder.build(journal: [], header: Fixtures.header(period: period))
        #expect(report.alerts.map(\.id) == ["within"])
        #expect(report.patients.first?.sites.first?.assessments.map(\.time) == [Fixtures.time(hours: 3)])
        #expect(report.coveredFrom == Fixtures.time(hours: 1))
    }

    // MARK: - The page

    @Test func emptyInputGivesAValidPageSayingThereIsNothing() {
        let report = builder().build(journal: [], header: Fixtures.header())
        #expect(report.isEmpty)
        let html = Fixtures.page(report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("Nothing to report"))
        #expect(html.contains("0 alerts (0 unacknowledged) for 0 patients, 0 sites"))
        #expect(!html.contains("<script"))
        #expect(elementsAreBalanced(html))
    }

    @Test func thePageIsSelfContainedAndDrawsEveryKindOfMark() {
        var builder = builder()
        builder.add(.exposures(Fixtures.patient, location: "PICU/12/A", [Fixtures.exposure()]))
        builder.add(
            .assessment(
                TimelineAssessment(
                    patient: Fixtures.patient, time: Fixtures.time(hours: -20), site: Fixtures.heel, signs: []
                )))
        builder.add(
            .assessment(
                TimelineAssessment(
                    patient: Fixtures.patient, time: Fixtures.time(), site: Fixtures.heel, signs: [.pain])))
        builder.add(
            .assessment(
                TimelineAssessment(
                    patient: Fixtures.patient, time: Fixtures.time(hours: 1), site: Fixtures.heel, signs: [],
                    lineRemoved: true)))
        builder.add(Fixtures.alert("a1"))
        let journal = Fixtures.ledger([
            Fixtures.journalAlert("a1"), Fixtures.journalAck("a1", by: "RN A", after: 400),
        ])
        let html = Fixtures.page(builder.build(journal: journal, header: Fixtures.header()))
        for mark in [
            "class=\"bar\"", "class=\"watch\"", "class=\"late-watch\"", "class=\"assess-normal\"",
            "class=\"assess-sign\"", "class=\"assess-removed\"", "class=\"alert sev-critical\"",
            "class=\"ack\"",
            "@media print", "Calcium gluconate 10% · order 7001 · watch 72 h",
        ] {
            #expect(html.contains(mark), "\(mark)")
        }
        #expect(!html.lowercased().contains("http"))
        #expect(!html.contains("<script"))
        #expect(elementsAreBalanced(html))
    }

    @Test func aLongEmptyStretchIsABreakAndTheAxisKeepsTimeOrder() {
        let start = Fixtures.time()
        let axis = TimeAxis(
            busy: [
                (start, start.adding(hours: 72)),
                (start.adding(hours: 30 * 24), start.adding(hours: 30 * 24)),
            ],
            left: 100, right: 940)
        #expect(axis.segments.count == 2)
        #expect(axis.breaks.count == 1)
        // The stretch around the first three days keeps most of the room; without the
        // break it would get a tenth.
        #expect(axis.segments[0].right - axis.segments[0].left > 0.6 * 840)
        #expect(axis.x(start.adding(hours: 72)) - axis.x(start) > 300)
        var previous = -1.0
        for hour in stride(from: -100, through: 800, by: 7) {
            let x = axis.x(start.adding(hours: hour))
            #expect(x >= previous)
            previous = x
        }
        let short = TimeAxis(from: start, to: start.adding(hours: 48), left: 100, right: 940)
        #expect(short.breaks.isEmpty)
        #expect(short.step == 6 * 3_600)
    }

    @Test func journalObservedTimesReadBack() {
        #expect(JournalObservedTime.instant("2026-03-05T14:00:00+00:00") == Fixtures.time())
        #expect(JournalObservedTime.instant("2026-03-05T15:00:00+01:00") == Fixtures.time())
        #expect(JournalObservedTime.instant("2026-03-05T14:00:00Z") == Fixtures.time())
        #expect(JournalObservedTime.instant("2026-03-05 14:00") == nil)
    }
}
