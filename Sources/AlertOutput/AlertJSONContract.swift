import JSONOutput

/// The keys every alert object starts with, in the contract's order (DESIGN.md section
/// 5, "Replay JSON lines"): `alert_id, kind, severity, observed_at, patient, visit,
/// location, site, observed_site, site_match, signs, drug, order, infusion_active,
/// risk_factors, control_id, source`. `replay --format jsonl` writes them from an
/// engine alert, `alerts --format json` from a journal entry; both then add their own
/// keys. Values are as they are to be written (the PHI policy already applied); `nil`
/// is `null`.
public struct AlertJSONContract: Sendable, Hashable {
    /// `alert_id`.
    public var alertID: String
    /// `kind`.
    public var kind: String
    /// `severity`.
    public var severity: String
    /// `observed_at` (ISO 8601 with offset).
    public var observedAt: String?
    /// `patient`.
    public var patient: String?
    /// `visit`.
    public var visit: String?
    /// `location`.
    public var location: String?
    /// `site`.
    public var site: String?
    /// `observed_site`.
    public var observedSite: String?
    /// `site_match`.
    public var siteMatch: String?
    /// `signs`, sorted.
    public var signs: [String]
    /// `drug`.
    public var drug: String?
    /// `order`.
    public var order: String?
    /// `infusion_active`.
    public var infusionActive: Bool?
    /// `risk_factors`, sorted.
    public var riskFactors: [String]
    /// `control_id`.
    public var controlID: String?
    /// `source`.
    public var source: String?

    /// Creates the values of one alert.
    public init(
        alertID: String, kind: String, severity: String, observedAt: String?, patient: String?,
        visit: String?, location: String?, site: String?, observedSite: String?, siteMatch: String?,
        signs: [String], drug: String?, order: String?, infusionActive: Bool?, riskFactors: [String],
        controlID: String?, source: String?
    ) {
        self.alertID = alertID
        self.kind = kind
        self.severity = severity
        self.observedAt = observedAt
        self.patient = patient
        self.visit = visit
        self.location = location
        self.site = site
        self.observedSite = observedSite
        self.siteMatch = siteMatch
        self.signs = signs
        self.drug = drug
        self.order = order
        self.infusionActive = infusionActive
        self.riskFactors = riskFactors
        self.controlID = controlID
        self.source = source
    }

    /// Writes the keys and values into an object `writer` has begun.
    public func write(into writer: inout JSONWriter) {
        let texts: [(String, String?)] = [
            ("alert_id", alertID), ("kind", kind), ("severity", severity), ("observed_at", observedAt),
            ("patient", patient), ("visit", visit), ("location", location), ("site", site),
            ("observed_site", observedSite), ("site_match", siteMatch),
        ]
        for (key, value) in texts {
            writer.key(key)
            writer.string(value)
        }
        writer.key("signs")
        writer.strings(signs)
        writer.key("drug")
        writer.string(drug)
        writer.key("order")
        writer.string(order)
        writer.key("infusion_active")
        if let infusionActive { writer.bool(infusionActive) } else { writer.null() }
        writer.key("risk_factors")
        writer.strings(riskFactors)
        writer.key("control_id")
        writer.string(controlID)
        writer.key("source")
        writer.string(source)
    }
}
