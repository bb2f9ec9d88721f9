import AlertOutput
import Journal
import Surveillance

extension ReviewJournal {
    /// The fields a review reads of each entry (an alert's, an acknowledgement's, a
    /// reminder's), besides `__CURSOR` and `__REALTIME_TIMESTAMP`.
    public static let reviewFields: [String] = [
        "MESSAGE_ID", "EXTRAVASD_ALERT_ID", "EXTRAVASD_KIND", "EXTRAVASD_SEVERITY", "EXTRAVASD_PATIENT",
        "EXTRAVASD_VISIT", "EXTRAVASD_LOCATION", "EXTRAVASD_SITE", "EXTRAVASD_OBSERVED_SITE",
        "EXTRAVASD_SITE_MATCH", "EXTRAVASD_SIGNS", "EXTRAVASD_DRUG", "EXTRAVASD_ORDER",
        "EXTRAVASD_INFUSION_ACTIVE", "EXTRAVASD_RISK_FACTORS", "EXTRAVASD_OBSERVED_AT", "EXTRAVASD_SOURCE",
        "EXTRAVASD_CONTROL_ID", "EXTRAVASD_REPLAY", "EXTRAVASD_REMINDER", "EXTRAVASD_ACK_BY",
        "EXTRAVASD_DISPOSITION", "EXTRAVASD_NOTE", "_UID", "__REALTIME_TIMESTAMP",
    ]

    /// Entries read per query: a long journal is read in pages, progress reported after each.
    public static let pageSize = 1_000

    /// The alert MESSAGE_IDs.
    static var alertMessageIDs: [String] { AlertKind.allCases.map(AlertJournalFields.messageID) }

    /// The alert entries `filter` may show: every alert MESSAGE_ID, only the patient's
    /// entries when it names one (libsystemd's index does the filtering).
    public static func alertMatch(_ filter: ReviewFilter) -> JournalMatch {
        var alternative = ["MESSAGE_ID": alertMessageIDs]
        if let patient = filter.patient { alternative["EXTRAVASD_PATIENT"] = [patient] }
        return JournalMatch(anyOf: [alternative])
    }

    /// The acknowledgement and reminder entries.
    public static let followUpMatch = JournalMatch(anyOf: [
        ["MESSAGE_ID": [Acknowledgement.messageID, reminderMessageID]]
    ])

    /// What `--follow` follows: ``alertMatch(_:)`` or ``followUpMatch``.
    public static func followMatch(_ filter: ReviewFilter) -> JournalMatch {
        JournalMatch(anyOf: alertMatch(filter).alternatives + followUpMatch.alternatives)
    }

    /// Reads the review of `source` under `filter`: the alert entries written from
    /// `since` to `until` (and the patient's only, when named), then the acknowledgements
    /// and reminders written from `since` on, page by page on the reader's own thread.
    /// With `since`, an alert whose first entry was written before it (resent inside the
    /// range) is left out. `progress` is called with the number of entries read after
    /// each page.
    ///
    /// - Throws: ``Journal/SystemdError`` when the journal cannot be opened or read.
    public static func review(
        from source: JournalReader.Source, filter: ReviewFilter, trust: AcknowledgementTrust,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> AlertReview {
        let reader = try await JournalReader(source)
        defer { reader.close() }
        var review = AlertReview(filter: filter, trust: trust)
        var count = 0
        let queries: [(JournalMatch, until: Int64?)] = [
            (alertMatch(filter), filter.until), (followUpMatch, nil),
        ]
        for (match, until) in queries {
            var cursor: String?
            while true {
                let page = try await reader.page(
                    matching: match, fields: reviewFields, after: cursor, since: filter.since, until: until,
                    limit: pageSize)
                for entry in page { review.add(entry) }
                count += page.count
                progress?(count)
                guard page.count == pageSize, let last = page.last?["__CURSOR"] else { break }
                cursor = last
            }
        }
        if let since = filter.since {
            let ids = review.ledger.all.map(\.alert.id)
            let earlier = try await alertsWritten(
                before: since, among: ids, reader: reader, includeReplay: filter.includeReplay)
            for id in earlier { review.hide(id) }
        }
        return review
    }

    /// Those of `ids` with an alert entry written before `time` (microseconds since the
    /// epoch; replayed entries counted only with `includeReplay`): alerts resent after
    /// `time` that are older than it. Asked of the journal's index a thousand ids at a
    /// time, reading only the entries before `time`.
    ///
    /// - Throws: ``Journal/SystemdError`` from libsystemd.
    public static func alertsWritten(
        before time: Int64, among ids: [String], reader: JournalReader, includeReplay: Bool
    ) async throws -> Set<String> {
        var found: Set<String> = []
        var start = ids.startIndex
        while start < ids.endIndex {
            let end = min(start + 1024, ids.endIndex)
            let match = JournalMatch(anyOf: [
                ["MESSAGE_ID": alertMessageIDs, "EXTRAVASD_ALERT_ID": Array(ids[start..<end])]
            ])
            var cursor: String?
            while true {
                let page = try await reader.page(
                    matching: match, fields: ["EXTRAVASD_ALERT_ID", "EXTRAVASD_REPLAY"], after: cursor,
                    until: time - 1, limit: pageSize)
                for entry in page where includeReplay || entry["EXTRAVASD_REPLAY"] != "1" {
                    if let id = entry["EXTRAVASD_ALERT_ID"] { found.insert(id) }
                }
                guard page.count == pageSize, let last = page.last?["__CURSOR"] else { break }
                cursor = last
            }
            start = end
        }
        return found
    }
}
