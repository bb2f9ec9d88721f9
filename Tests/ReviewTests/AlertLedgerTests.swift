import AlertOutput
import Foundation
import Review
import Testing

@Suite("Alert ledger")
struct AlertLedgerTests {
    static func alert(_ id: String, at time: Int64, severity: String = "critical") -> [String: String] {
        [
            "MESSAGE_ID": AlertJournalFields.messageID(.extravasationSuspected), "EXTRAVASD_ALERT_ID": id,
            "EXTRAVASD_KIND": "extravasation_suspected", "EXTRAVASD_SEVERITY": severity,
            "__REALTIME_TIMESTAMP": String(time), "EXTRAVASD_SIGNS": "erythema,pain",
        ]
    }

    static func ack(_ id: String, by: String, uid: Int, at time: Int64) -> [String: String] {
        [
            "MESSAGE_ID": Acknowledgement.messageID, "EXTRAVASD_ALERT_ID": id, "EXTRAVASD_ACK_BY": by,
            "_UID": String(uid), "__REALTIME_TIMESTAMP": String(time),
        ]
    }

    let trust = AcknowledgementTrust(group: "review", groupID: nil, members: [])

    @Test func eachAlertIdOnceAfterAResendTheFirstEntryStanding() {
        var ledger = AlertLedger(trust: trust)
        #expect(ledger.add(Self.alert("a", at: 10)) == .alert("a"))
        #expect(ledger.add(Self.alert("a", at: 20)) == .none)
        #expect(ledger.count == 1)
        #expect(ledger["a"]?.alert.writtenAt == 10)
        #expect(ledger["a"]?.alert.signs == ["erythema", "pain"])
    }

    @Test func anUntrustedAcknowledgementShowsButDoesNotAcknowledge() {
        var ledger = AlertLedger(trust: trust)
        ledger.add(Self.alert("a", at: 10))
        #expect(ledger.add(Self.ack("a", by: "mallory", uid: 1234, at: 11)) == .updated("a"))
        #expect(ledger["a"]?.acknowledgement?.by == "mallory")
        #expect(ledger["a"]?.acknowledged == false)
        #expect(ledger.add(Self.ack("a", by: "RN Doe", uid: 0, at: 12)) == .updated("a"))
        #expect(ledger["a"]?.acknowledged == true)
        // A later untrusted one never replaces a trusted one.
        #expect(ledger.add(Self.ack("a", by: "mallory", uid: 1234, at: 13)) == .none)
        #expect(ledger["a"]?.acknowledgement?.by == "RN Doe")
    }

    @Test func anAcknowledgementReadBeforeItsAlertIsKept() {
        var ledger = AlertLedger(trust: trust)
        ledger.add(Self.ack("b", by: "RN Doe", uid: 0, at: 30))
        ledger.add(Self.alert("b", at: 20))
        #expect(ledger["b"]?.acknowledged == true)
    }

    @Test func rowsAreOldestFirst() {
        var ledger = AlertLedger(trust: trust)
        ledger.add(Self.alert("late", at: 50))
        ledger.add(Self.alert("early", at: 5))
        #expect(ledger.all.map(\.alert.id) == ["early", "late"])
    }

    @Test func rootIsTrustedAndNoUIDNever() {
        #expect(trust.trusts(uid: 0))
        #expect(!trust.trusts(uid: nil))
        #expect(!trust.trusts(uid: 65534))
        // The real group database: root's primary group is root (gid 0).
        let rootGroup = AcknowledgementTrust(group: "root")
        #expect(rootGroup.groupID == 0)
        #expect(!AcknowledgementTrust(group: "no-such-group-extravasd").trusts(uid: 65534))
    }
}

@Suite("Review times")
struct ReviewTimeTests {
    static let utc = TimeZone(secondsFromGMT: 0)!
    // 2026-12-06T13:30:00Z
    static let now = Date(timeIntervalSince1970: 1_796_563_800)

    static func seconds(_ text: String, zone: TimeZone = utc) throws -> Int64 {
        try ReviewTime(parsing: text, now: now, zone: zone).microseconds / 1_000_000
    }

    @Test func isoDatesAndTimesWithAndWithoutOffsets() throws {
        #expect(try Self.seconds("2026-12-06") == 1_796_515_200)
        #expect(try Self.seconds("2026-12-06T13:30") == 1_796_563_800)
        #expect(try Self.seconds("2026-12-06 13:30:00Z") == 1_796_563_800)
        #expect(try Self.seconds("2026-12-06T14:30:00+01:00") == 1_796_563_800)
        #expect(try Self.seconds("2026-12-06T14:30:00+0100") == 1_796_563_800)
        // No offset: the local zone.
        #expect(try Self.seconds("2026-12-06T14:30", zone: TimeZone(secondsFromGMT: 3600)!) == 1_796_563_800)
    }

    @Test func wordsAndRelativeTimes() throws {
        #expect(try Self.seconds("now") == 1_796_563_800)
        #expect(try Self.seconds("today") == 1_796_515_200)
        #expect(try Self.seconds("yesterday") == 1_796_515_200 - 86_400)
        #expect(try Self.seconds("-2h") == 1_796_563_800 - 7_200)
        #expect(try Self.seconds("-30m") == 1_796_563_800 - 1_800)
        #expect(try Self.seconds("-7d") == 1_796_563_800 - 7 * 86_400)
    }

    @Test func aWrongTimeNamesItself() {
        for text in ["2026-13-01", "2026-02-30", "tomorrow", "-2w", "2026-12-06T25:00", "12/06/2026", ""] {
            #expect(throws: ReviewTime.ParseError.self, "\(text)") {
                try ReviewTime(parsing: text, now: Self.now, zone: Self.utc)
            }
        }
        do {
            _ = try ReviewTime(parsing: "tomorrow", now: Self.now, zone: Self.utc)
        } catch {
            #expect(error.description.hasPrefix("'tomorrow' is not a time"))
        }
    }
}
