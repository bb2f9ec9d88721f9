import AlertOutput
import ClinicalEvents
import Review
import Signs
import Sites
import Surveillance

@testable import ReviewReport

/// Builders of the report's inputs: exposures, alerts and journal entries.
enum Fixtures {
    static let heel = CanonicalSite(laterality: .left, part: "heel")
    static let patient = PatientKey(identifier: "4455", authority: "CHILDRENS")

    /// 2026-03-05T14:00:00Z plus `hours`.
    static func time(hours: Int = 0) -> Instant { Instant(seconds: 1_772_719_200).adding(hours: hours) }

    static func exposure(
        drug: String = "Calcium gluconate 10%", order: String? = "7001", start: Int = -50, end: Int? = 2
    )
        -> SiteExposure
    {
        SiteExposure(
            site: heel, start: time(hours: start), end: end.map { time(hours: $0) }, orderNumber: order,
            drug: drug,
            entryID: "calcium-gluconate", risk: .high, watchWindowHours: 72, calciumEntry: true)
    }

    static func alert(
        _ id: String, at hours: Int = 0, severity: Severity = .critical,
        drug: String = "Calcium gluconate 10%",
        location: String? = "PICU/12/A", key: PatientKey = patient
    ) -> Alert {
        Alert(
            id: id, kind: .extravasationSuspected, severity: severity, observedAt: time(hours: hours),
            patient: key.identifier, patientKey: key, visit: "V778899", location: location, site: heel,
            observedSite: heel, siteMatch: .exact, signs: [.erythema, .swelling], drug: drug, order: "7001",
            infusionActive: true, riskFactors: [], controlID: "SEED0005",
            source: .file("feed.hl7", offset: 10),
            exposureStartedAt: time(hours: -50), catalogEntry: "calcium-gluconate")
    }

    /// A journal alert entry written `seconds` after 2026-03-05T14:00Z.
    static func journalAlert(
        _ id: String, after seconds: Int64 = 30, patient: String? = "4455", replay: Bool = false,
        observedAt: String = "2026-03-05T14:00:00+00:00"
    ) -> [String: String] {
        var fields = [
            "MESSAGE_ID": AlertJournalFields.messageID(.extravasationSuspected), "EXTRAVASD_ALERT_ID": id,
            "EXTRAVASD_KIND": "extravasation_suspected", "EXTRAVASD_SEVERITY": "high",
            "EXTRAVASD_OBSERVED_AT": observedAt, "EXTRAVASD_SITE": "left-heel", "EXTRAVASD_SIGNS": "pain",
            "EXTRAVASD_DRUG": "Calcium gluconate 10%", "EXTRAVASD_ORDER": "7001",
            "EXTRAVASD_LOCATION": "PICU/12/A",
            "__REALTIME_TIMESTAMP": String((time().seconds + seconds) * 1_000_000),
        ]
        if let patient { fields["EXTRAVASD_PATIENT"] = patient }
        if replay { fields["EXTRAVASD_REPLAY"] = "1" }
        return fields
    }

    /// An acknowledgement entry written `seconds` after 2026-03-05T14:00Z by `uid`.
    static func journalAck(
        _ id: String, by: String, disposition: String? = "confirmed", note: String? = nil,
        after seconds: Int64,
        uid: Int = 0
    ) -> [String: String] {
        var fields = [
            "MESSAGE_ID": Acknowledgement.messageID, "EXTRAVASD_ALERT_ID": id, "EXTRAVASD_ACK_BY": by,
            "_UID": String(uid), "__REALTIME_TIMESTAMP": String((time().seconds + seconds) * 1_000_000),
        ]
        if let disposition { fields["EXTRAVASD_DISPOSITION"] = disposition }
        if let note { fields["EXTRAVASD_NOTE"] = note }
        return fields
    }

    /// The ledger of `entries`, trusting root only.
    static func ledger(_ entries: [[String: String]]) -> [AlertLedger.Row] {
        var ledger = AlertLedger(trust: AcknowledgementTrust(group: "review", groupID: nil, members: []))
        for entry in entries { ledger.add(entry) }
        return ledger.all
    }

    static func header(_ privacy: PrivacyPolicy.Mode = .identifiers, period: ReportPeriod = ReportPeriod())
        -> ReportHeader
    {
        ReportHeader(
            period: period, feeds: ["feed.hl7"], journal: "the system journal", configuration: "test.yaml",
            generatedAt: time(hours: 300), zoneName: "UTC", privacy: privacy, messages: 7)
    }

    /// The page of a builder's report.
    static func page(_ report: ReviewReport) -> String {
        ReportRenderer(zone: FixedOffsetZone()).html(report)
    }
}

/// Whether `html`'s elements are balanced: every non-void element closed, in order
/// (self-closed SVG elements and HTML void elements need no end tag).
func elementsAreBalanced(_ html: String) -> Bool {
    let void: Set<String> = ["meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr"]
    var stack: [String] = []
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
        guard let close = rest[open...].firstIndex(of: ">") else { return false }
        let tag = rest[rest.index(after: open)..<close]
        rest = rest[rest.index(after: close)...]
        if tag.hasPrefix("!") { continue }
        if tag.hasPrefix("/") {
            guard stack.popLast() == String(tag.dropFirst()) else { return false }
            continue
        }
        let name = String(tag.prefix { $0 != " " && $0 != "/" })
        if tag.hasSuffix("/") || void.contains(name) { continue }
        stack.append(name)
    }
    return stack.isEmpty
}
