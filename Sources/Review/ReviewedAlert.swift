import AlertOutput
import Surveillance

/// An alert as the journal holds it (DESIGN.md section 5): the fields `extravasd run`
/// (or `replay --journal`) wrote, read back for on-call review. Values are as written;
/// a field the PHI policy withheld is `nil`.
public struct ReviewedAlert: Sendable, Hashable {
    /// `EXTRAVASD_ALERT_ID`.
    public var id: String
    /// `EXTRAVASD_KIND`.
    public var kind: AlertKind
    /// `EXTRAVASD_SEVERITY`.
    public var severity: Severity
    /// When journald stored the entry (`__REALTIME_TIMESTAMP`, microseconds since the epoch).
    public var writtenAt: Int64
    /// `EXTRAVASD_OBSERVED_AT` as written (ISO 8601 with offset).
    public var observedAt: String
    /// `EXTRAVASD_PATIENT` (the MRN, or its pseudonym; withheld under `minimal`).
    public var patient: String?
    /// `EXTRAVASD_VISIT`.
    public var visit: String?
    /// `EXTRAVASD_LOCATION`.
    public var location: String?
    /// `EXTRAVASD_SITE`: the exposed catheter site.
    public var site: String?
    /// `EXTRAVASD_OBSERVED_SITE`.
    public var observedSite: String?
    /// `EXTRAVASD_SITE_MATCH`.
    public var siteMatch: String?
    /// `EXTRAVASD_SIGNS`, split.
    public var signs: [String]
    /// `EXTRAVASD_DRUG`.
    public var drug: String?
    /// `EXTRAVASD_ORDER`.
    public var order: String?
    /// `EXTRAVASD_INFUSION_ACTIVE` (`1`/`0`).
    public var infusionActive: Bool?
    /// `EXTRAVASD_RISK_FACTORS`, split.
    public var riskFactors: [String]
    /// `EXTRAVASD_CONTROL_ID`.
    public var controlID: String?
    /// `EXTRAVASD_SOURCE`.
    public var source: String?
    /// `MESSAGE`: the sentence for people.
    public var message: String?
    /// Whether the entry came from `extravasd replay --journal` (`EXTRAVASD_REPLAY=1`).
    public var replay: Bool

    /// Reads an alert entry (field name to value, as ``Journal/JournalReader`` returns
    /// them); `nil` when it is not one: not an alert MESSAGE_ID (a reminder is not an
    /// alert of its own), or no id, kind or severity that extravasd writes.
    public init?(journalEntry fields: [String: String]) {
        guard let messageID = fields["MESSAGE_ID"],
            AlertKind.allCases.contains(where: { AlertJournalFields.messageID($0) == messageID }),
            fields["EXTRAVASD_REMINDER"] == nil,
            let id = fields["EXTRAVASD_ALERT_ID"], !id.isEmpty,
            let kind = fields["EXTRAVASD_KIND"].flatMap(AlertKind.init(rawValue:)),
            let severity = fields["EXTRAVASD_SEVERITY"].flatMap(Severity.init(rawValue:))
        else { return nil }
        self.id = id
        self.kind = kind
        self.severity = severity
        writtenAt = fields["__REALTIME_TIMESTAMP"].flatMap { Int64($0) } ?? 0
        observedAt = fields["EXTRAVASD_OBSERVED_AT"] ?? ""
        patient = fields["EXTRAVASD_PATIENT"]
        visit = fields["EXTRAVASD_VISIT"]
        location = fields["EXTRAVASD_LOCATION"]
        site = fields["EXTRAVASD_SITE"]
        observedSite = fields["EXTRAVASD_OBSERVED_SITE"]
        siteMatch = fields["EXTRAVASD_SITE_MATCH"]
        signs = Self.list(fields["EXTRAVASD_SIGNS"])
        drug = fields["EXTRAVASD_DRUG"]
        order = fields["EXTRAVASD_ORDER"]
        infusionActive = fields["EXTRAVASD_INFUSION_ACTIVE"].map { $0 == "1" }
        riskFactors = Self.list(fields["EXTRAVASD_RISK_FACTORS"])
        controlID = fields["EXTRAVASD_CONTROL_ID"]
        source = fields["EXTRAVASD_SOURCE"]
        message = fields["MESSAGE"]
        replay = fields["EXTRAVASD_REPLAY"] == "1"
    }

    private static func list(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").map(String.init)
    }
}
