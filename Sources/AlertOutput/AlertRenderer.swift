import ClinicalEvents
import JSONOutput
import Surveillance

/// Renders alerts as the replay JSON lines (a contract: keys and order fixed by
/// DESIGN.md section 5) and as one readable line for people.
public struct AlertRenderer: Sendable {
    /// The PHI policy applied to patient, visit, location, order and control id.
    public var privacy: PrivacyPolicy
    /// The configured zone: `observed_at` is written with its offset.
    public var zone: any ZoneRule

    /// Creates a renderer.
    public init(privacy: PrivacyPolicy = .identifiers, zone: any ZoneRule = FixedOffsetZone()) {
        self.privacy = privacy
        self.zone = zone
    }

    /// `YYYY-MM-DDTHH:MM:SS+HH:MM` in the configured zone.
    public func timestamp(_ instant: Instant) -> String {
        instant.format(utcOffsetSeconds: zone.utcOffset(at: instant))
    }

    /// One JSON object and a newline: `alert_id, kind, severity, observed_at, patient,
    /// visit, location, site, observed_site, site_match, signs, drug, order,
    /// infusion_active, risk_factors, control_id, source`, then `exposure_started_at`
    /// and `catalog_entry`. Unknown values are `null`.
    public func jsonLine(_ alert: Alert) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        AlertJSONContract(
            alertID: alert.id, kind: alert.kind.rawValue, severity: alert.severity.rawValue,
            observedAt: timestamp(alert.observedAt), patient: privacy.patient(alert.patient),
            visit: privacy.visit(alert.visit), location: privacy.location(alert.location),
            site: alert.site?.name, observedSite: alert.observedSite?.name,
            siteMatch: alert.siteMatch.rawValue,
            signs: alert.signs.map(\.rawValue), drug: alert.drug, order: privacy.order(alert.order),
            infusionActive: alert.infusionActive, riskFactors: alert.riskFactors.map(\.rawValue),
            controlID: privacy.controlID(alert.controlID), source: alert.source.description
        ).write(into: &writer)
        writer.key("exposure_started_at")
        writer.string(timestamp(alert.exposureStartedAt))
        writer.key("catalog_entry")
        writer.string(alert.catalogEntry)
        writer.endObject()
        return writer.bytes + [0x0A]
    }

    /// The sentence of the journal's MESSAGE, e.g. "Suspected extravasation at
    /// left-heel: erythema, pain, swelling during Calcium gluconate 10% inj (order 7001)
    /// - patient 4455 in PICU/12/A". Never a name or a birth date.
    public func sentence(_ alert: Alert) -> String {
        let what: String
        switch alert.kind {
        case .extravasationSuspected: what = "Suspected extravasation"
        case .extravasationEscalated: what = "Extravasation escalated"
        case .calcinosisSuspected: what = "Suspected calcinosis cutis"
        }
        var text = "\(what) at \(alert.site?.name ?? "unknown site"): "
        text += alert.signs.map(\.rawValue).joined(separator: ", ")
        text += alert.infusionActive ? " during " : " after "
        text += alert.drug
        if let order = privacy.order(alert.order) { text += " (order \(order))" }
        var who: [String] = []
        if let patient = privacy.patient(alert.patient) { who.append("patient \(patient)") }
        if let location = privacy.location(alert.location) { who.append("in \(location)") }
        if !who.isEmpty { text += " - " + who.joined(separator: " ") }
        return text
    }

    /// One readable line: time, severity, the sentence, match, risk factors, id and source.
    public func textLine(_ alert: Alert) -> String {
        var line = "\(timestamp(alert.observedAt)) \(alert.severity.rawValue.uppercased()) \(sentence(alert))"
        line += " [\(alert.siteMatch.rawValue)"
        if let observed = alert.observedSite, observed != alert.site { line += " from \(observed.name)" }
        line += "]"
        if !alert.riskFactors.isEmpty {
            line += " risk: " + alert.riskFactors.map(\.rawValue).joined(separator: ", ")
        }
        line += " alert \(alert.id) (\(alert.kind.rawValue)) \(alert.source)\n"
        return line
    }
}
