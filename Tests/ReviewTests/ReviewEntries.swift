import AlertOutput
import Review

/// Journal entries as `JournalReader` returns them, for the review's pure tests.
enum ReviewEntries {
    /// An alert entry written at `time` (microseconds) with its cursor.
    static func alert(
        _ id: String, at time: Int64, severity: String = "critical", patient: String? = "4455",
        site: String? = "left-heel", observedSite: String? = nil, replay: Bool = false,
        kind: String = "extravasation_suspected"
    ) -> [String: String] {
        var fields = [
            "MESSAGE_ID": AlertJournalFields.messageID(.extravasationSuspected), "EXTRAVASD_ALERT_ID": id,
            "EXTRAVASD_KIND": kind, "EXTRAVASD_SEVERITY": severity, "__REALTIME_TIMESTAMP": String(time),
            "EXTRAVASD_SIGNS": "erythema,pain", "EXTRAVASD_SITE_MATCH": "exact",
            "EXTRAVASD_OBSERVED_AT": "2026-03-05T14:00:00+00:00", "EXTRAVASD_INFUSION_ACTIVE": "1",
            "EXTRAVASD_DRUG": "Calcium Gluconate 10% inj", "EXTRAVASD_SOURCE": "file:feed.hl7:12",
            "__CURSOR": "alert-\(id)-\(time)",
        ]
        if let patient { fields["EXTRAVASD_PATIENT"] = patient }
        if let site { fields["EXTRAVASD_SITE"] = site }
        if let observedSite { fields["EXTRAVASD_OBSERVED_SITE"] = observedSite }
        if replay { fields["EXTRAVASD_REPLAY"] = "1" }
        return fields
    }

    /// An acknowledgement entry by `by` (journald's `_UID` `uid`) written at `time`.
    static func ack(
        _ id: String, by: String, uid: Int, at time: Int64, disposition: String? = "confirmed"
    ) -> [String: String] {
        var fields = [
            "MESSAGE_ID": Acknowledgement.messageID, "EXTRAVASD_ALERT_ID": id, "EXTRAVASD_ACK_BY": by,
            "_UID": String(uid), "__REALTIME_TIMESTAMP": String(time), "__CURSOR": "ack-\(id)-\(time)",
        ]
        if let disposition { fields["EXTRAVASD_DISPOSITION"] = disposition }
        return fields
    }

    /// An unacknowledged-reminder entry of alert `id`.
    static func reminder(_ id: String, at time: Int64) -> [String: String] {
        [
            "MESSAGE_ID": ReviewJournal.reminderMessageID, "EXTRAVASD_ALERT_ID": id,
            "EXTRAVASD_REMINDER": "1",
            "__REALTIME_TIMESTAMP": String(time), "__CURSOR": "reminder-\(id)-\(time)",
        ]
    }

    /// Root is trusted; no review group exists.
    static let trust = AcknowledgementTrust(group: "review", groupID: nil, members: [])

    /// The row of `entries` folded in order (the last alert's).
    static func row(_ entries: [[String: String]]) -> AlertLedger.Row {
        var ledger = AlertLedger(trust: trust)
        for entry in entries { ledger.add(entry) }
        return ledger.all.last!
    }
}
