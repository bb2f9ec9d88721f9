import ClinicalEvents
import Foundation
import Review
import Testing

@Suite("Review output (json and table)")
struct ReviewOutputTests {
    typealias Entries = ReviewEntries

    /// 2026-12-06T14:31:00Z in microseconds.
    static let written: Int64 = 1_796_567_460 * 1_000_000
    static let id = "83e007c36b997f4ed672fae3a28a18fb"

    static func object(_ line: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }

    @Test func jsonHasTheReplayKeysThenTheAcknowledgementInOrderWithNulls() throws {
        let row = Entries.row([Entries.alert(Self.id, at: Self.written, patient: nil)])
        let line = String(decoding: ReviewJSON().line(row), as: UTF8.self)
        #expect(
            line
                == #"{"alert_id": "83e007c36b997f4ed672fae3a28a18fb", "kind": "extravasation_suspected", "severity": "critical", "observed_at": "2026-03-05T14:00:00+00:00", "patient": null, "visit": null, "location": null, "site": "left-heel", "observed_site": null, "site_match": "exact", "signs": ["erythema", "pain"], "drug": "Calcium Gluconate 10% inj", "order": null, "infusion_active": true, "risk_factors": [], "control_id": null, "source": "file:feed.hl7:12", "acknowledged": false, "ack_by": null, "ack_at": null, "disposition": null, "ack_trusted": null, "reminded": false, "written_at": "2026-12-06T14:31:00+00:00"}"#
                + "\n")
    }

    @Test func jsonAcknowledgedOnlyByATrustedAcknowledgementWithTimesInTheZone() throws {
        let json = ReviewJSON(zone: FixedOffsetZone(offsetSeconds: 3_600))
        let trusted = try Self.object(
            json.line(
                Entries.row([
                    Entries.alert(Self.id, at: Self.written),
                    Entries.ack(Self.id, by: "RN Doe", uid: 0, at: Self.written + 90_000_000),
                    Entries.reminder(Self.id, at: Self.written + 60_000_000),
                ])))
        #expect(trusted["acknowledged"] as? Bool == true)
        #expect(trusted["ack_trusted"] as? Bool == true)
        #expect(trusted["ack_by"] as? String == "RN Doe")
        #expect(trusted["ack_at"] as? String == "2026-12-06T15:32:30+01:00")
        #expect(trusted["disposition"] as? String == "confirmed")
        #expect(trusted["reminded"] as? Bool == true)
        #expect(trusted["written_at"] as? String == "2026-12-06T15:31:00+01:00")
        let untrusted = try Self.object(
            json.line(
                Entries.row([
                    Entries.alert(Self.id, at: Self.written),
                    Entries.ack(Self.id, by: "mallory", uid: 65534, at: Self.written + 1, disposition: nil),
                ])))
        #expect(untrusted["acknowledged"] as? Bool == false)
        #expect(untrusted["ack_trusted"] as? Bool == false)
        #expect(untrusted["ack_by"] as? String == "mallory")
        #expect(untrusted["disposition"] is NSNull)
        #expect(untrusted["reminded"] as? Bool == false)
    }

    static let utc = TimeZone(identifier: "UTC")!

    @Test func aTableRowShowsTheColumnsAndTheWholeIdWithinEightyColumns() {
        let table = ReviewTable(zone: Self.utc)
        let row = Entries.row([
            Entries.alert(Self.id, at: Self.written, patient: "4455"),
            Entries.ack(Self.id, by: "RN J. Doe", uid: 0, at: Self.written + 540_000_000),
        ])
        #expect(
            table.row(row)
                == "critical  suspected   left-heel                4455                12-06 14:31\n"
                + "  83e007c36b997f4ed672fae3a28a18fb  RN J. Doe 12-06 14:40 confirmed\n")
        let header = table.header.split(separator: "\n")
        #expect(header.count == 2 && header.allSatisfy { $0.count <= 80 })
        #expect(
            table.row(Entries.row([Entries.alert(Self.id, at: Self.written, patient: nil)])).hasSuffix(
                "  \(Self.id)  UNACKED\n"))
    }

    @Test func theWorstCaseStaysWithinEightyColumnsAndTheIdWhole() {
        let table = ReviewTable(zone: Self.utc)
        let longName = String(repeating: "Pharmacist Alexandra ", count: 6)
        let row = Entries.row([
            Entries.alert(
                Self.id, at: Self.written, severity: "moderate", patient: "p-0123456789abcdef",
                site: "right-antecubital-fossa", kind: "calcinosis_suspected"),
            Entries.ack(
                Self.id, by: longName, uid: 65534, at: Self.written + 1, disposition: "not-extravasation"),
            Entries.reminder(Self.id, at: Self.written + 2),
        ])
        let text = table.row(row)
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(text)")
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces) == Self.id }, "\(text)")
        #expect(text.contains("p-0123456789abcdef") && text.contains("right-antecubital-fossa"))
        #expect(text.contains("UNACKED untrusted: Pharmacist"))
        #expect(text.contains("not-extravasation reminded"))
        let update = table.update(row)
        #expect(update.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(update)")
        #expect(update.hasPrefix("updated \(Self.id)"))
    }

    @Test func severityIsColouredOnlyWhenAskedAndTheColumnsStayAligned() {
        let row = Entries.row([Entries.alert(Self.id, at: Self.written, severity: "high")])
        let plain = ReviewTable(zone: Self.utc, colour: false).row(row)
        let coloured = ReviewTable(zone: Self.utc, colour: true).row(row)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.hasPrefix("\u{1B}[31mhigh\u{1B}[0m      suspected"))
        #expect(
            coloured.replacingOccurrences(of: "\u{1B}[31m", with: "").replacingOccurrences(
                of: "\u{1B}[0m", with: "") == plain)
    }

    @Test func tableTimesAreInTheGivenZone() {
        let table = ReviewTable(zone: TimeZone(identifier: "America/New_York")!)
        #expect(table.time(Self.written) == "12-06 09:31")
        #expect(ReviewTable(zone: Self.utc).time(Self.written) == "12-06 14:31")
    }

    @Test func theSummaryCountsAlertsAndThoseUnacknowledged() {
        let acked = Entries.row([Entries.alert("a", at: 1), Entries.ack("a", by: "RN Doe", uid: 0, at: 2)])
        let untrusted = Entries.row([Entries.alert("b", at: 1), Entries.ack("b", by: "x", uid: 9, at: 2)])
        #expect(ReviewTable.summary([acked, untrusted]) == "2 alerts, 1 unacknowledged")
        #expect(ReviewTable.summary([acked]) == "1 alert, 0 unacknowledged")
    }
}
