import AlertOutput
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
