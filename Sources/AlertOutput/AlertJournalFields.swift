import Surveillance

/// The journald fields of an alert (DESIGN.md section 5), in a fixed order, as
/// name/value pairs: the daemon sends them through `sd_journal_sendv`, the outbox
/// stores them, tests read them back. Field names carry no digits (catalog
/// substitution accepts only A-Z and `_`).
public enum AlertJournalFields {
    /// MESSAGE_IDs by alert kind.
    public static func messageID(_ kind: AlertKind) -> String {
        switch kind {
        case .extravasationSuspected: return "751bbc47ee744393bc95affcf7ff9db6"
        case .extravasationEscalated: return "a853b3db45a349329c8f566d2399b128"
        case .calcinosisSuspected: return "bda1cb9cdf0f4429b333659a26bc44c7"
        }
    }

    /// The malformed-message MESSAGE_ID.
    public static let malformedMessageID = "a722fa1c55da4811baa2bbfc9aeddd10"
    /// The feed-event MESSAGE_ID.
    public static let feedEventMessageID = "f91e211ae96a48ccb4061ab8fe7b7dc5"
    /// The lifecycle MESSAGE_ID.
    public static let lifecycleMessageID = "be6f9d17828147a5b4bdd75009a48485"
    /// The state-store-failure MESSAGE_ID.
    public static let storeFailureMessageID = "0f801e5c862c41469ec94612fdcc179d"
    /// `SYSLOG_IDENTIFIER=extravasd`, on every entry extravasd writes (`journalctl
    /// SYSLOG_IDENTIFIER=extravasd` lists them).
    public static let syslogIdentifier = ("SYSLOG_IDENTIFIER", "extravasd")

    /// The fields of one alert. A field the PHI policy withholds is left out.
    public static func fields(_ alert: Alert, renderer: AlertRenderer, replay: Bool = false) -> [(
        String, String
    )] {
        let privacy = renderer.privacy
        var fields: [(String, String)] = [
            ("MESSAGE", renderer.sentence(alert)),
            ("MESSAGE_ID", messageID(alert.kind)),
            ("PRIORITY", String(alert.severity.journalPriority)),
            syslogIdentifier,
            ("EXTRAVASD_ALERT_ID", alert.id),
            ("EXTRAVASD_KIND", alert.kind.rawValue),
            ("EXTRAVASD_SEVERITY", alert.severity.rawValue),
        ]
        if let patient = privacy.patient(alert.patient) { fields.append(("EXTRAVASD_PATIENT", patient)) }
        if let visit = privacy.visit(alert.visit) { fields.append(("EXTRAVASD_VISIT", visit)) }
        if let location = privacy.location(alert.location) { fields.append(("EXTRAVASD_LOCATION", location)) }
        if let site = alert.site { fields.append(("EXTRAVASD_SITE", site.name)) }
        if let observed = alert.observedSite { fields.append(("EXTRAVASD_OBSERVED_SITE", observed.name)) }
        fields.append(("EXTRAVASD_SITE_MATCH", alert.siteMatch.rawValue))
        fields.append(("EXTRAVASD_SIGNS", alert.signs.map(\.rawValue).joined(separator: ",")))
        fields.append(("EXTRAVASD_DRUG", alert.drug))
        if let order = privacy.order(alert.order) { fields.append(("EXTRAVASD_ORDER", order)) }
        fields.append(("EXTRAVASD_INFUSION_ACTIVE", alert.infusionActive ? "1" : "0"))
        fields.append(("EXTRAVASD_RISK_FACTORS", alert.riskFactors.map(\.rawValue).joined(separator: ",")))
        fields.append(("EXTRAVASD_OBSERVED_AT", renderer.timestamp(alert.observedAt)))
        fields.append(("EXTRAVASD_SOURCE", alert.source.description))
        if let control = privacy.controlID(alert.controlID) {
            fields.append(("EXTRAVASD_CONTROL_ID", control))
        }
        if replay { fields.append(("EXTRAVASD_REPLAY", "1")) }
        return fields
    }

    /// Serializes fields for the outbox: `NAME=value` entries, each value's length first
    /// (so values may hold newlines and any bytes).
    public static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in fields {
            let valueBytes = Array(value.utf8)
            bytes.append(contentsOf: Array(name.utf8))
            bytes.append(0x3D)
            bytes.append(contentsOf: Array(String(valueBytes.count).utf8))
            bytes.append(0x0A)
            bytes.append(contentsOf: valueBytes)
            bytes.append(0x0A)
        }
        return bytes
    }

    /// Reads fields back from ``encode(_:)``; `nil` when the bytes are not such an encoding.
    public static func decode(_ bytes: [UInt8]) -> [(String, String)]? {
        var fields: [(String, String)] = []
        var index = 0
        while index < bytes.count {
            guard let equals = bytes[index...].firstIndex(of: 0x3D),
                let newline = bytes[equals...].firstIndex(of: 0x0A),
                let length = Int(String(decoding: bytes[(equals + 1)..<newline], as: UTF8.self)), length >= 0
            else { return nil }
            let name = String(decoding: bytes[index..<equals], as: UTF8.self)
            let start = newline + 1
            guard start + length < bytes.count, bytes[start + length] == 0x0A else { return nil }
            fields.append((name, String(decoding: bytes[start..<(start + length)], as: UTF8.self)))
            index = start + length + 1
        }
        return fields
    }
}
