import AlertOutput
import ClinicalEvents
import JSONOutput

/// `extravasd alerts --format json` (DESIGN.md section 2, a contract): one object per
/// line with the replay keys in their order (`alert_id` ... `source`, the values as the
/// journal holds them, a withheld field `null`), then `acknowledged` (a trusted
/// acknowledgement exists), `ack_by`, `ack_at`, `disposition` (of the acknowledgement
/// shown: the latest trusted one, else the latest untrusted one; `null` without one),
/// then `ack_trusted` (`null` without an acknowledgement), `reminded` and `written_at`.
public struct ReviewJSON: Sendable {
    /// The zone times are written in (the configured `timezone`, as `observed_at` is).
    public var zone: any ZoneRule

    /// A writer of lines with times in `zone`.
    public init(zone: any ZoneRule = FixedOffsetZone()) {
        self.zone = zone
    }

    /// `YYYY-MM-DDTHH:MM:SS+HH:MM` in ``zone`` of a journal time (microseconds since the
    /// epoch, rounded down to the second).
    public func timestamp(microseconds: Int64) -> String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let instant = Instant(seconds: seconds)
        return instant.format(utcOffsetSeconds: zone.utcOffset(at: instant))
    }

    /// One JSON object and a newline.
    public func line(_ row: AlertLedger.Row) -> [UInt8] {
        let alert = row.alert
        var writer = JSONWriter()
        writer.beginObject()
        AlertJSONContract(
            alertID: alert.id, kind: alert.kind.rawValue, severity: alert.severity.rawValue,
            observedAt: alert.observedAt.isEmpty ? nil : alert.observedAt, patient: alert.patient,
            visit: alert.visit, location: alert.location, site: alert.site, observedSite: alert.observedSite,
            siteMatch: alert.siteMatch, signs: alert.signs, drug: alert.drug, order: alert.order,
            infusionActive: alert.infusionActive, riskFactors: alert.riskFactors, controlID: alert.controlID,
            source: alert.source
        ).write(into: &writer)
        let acknowledgement = row.acknowledgement
        writer.key("acknowledged")
        writer.bool(row.acknowledged)
        writer.key("ack_by")
        writer.string(acknowledgement?.by)
        writer.key("ack_at")
        writer.string(acknowledgement.map { timestamp(microseconds: $0.writtenAt) })
        writer.key("disposition")
        writer.string(acknowledgement?.disposition?.rawValue)
        writer.key("ack_trusted")
        if acknowledgement != nil { writer.bool(row.acknowledgementTrusted) } else { writer.null() }
        writer.key("reminded")
        writer.bool(row.reminded)
        writer.key("written_at")
        writer.string(timestamp(microseconds: alert.writtenAt))
        writer.endObject()
        return writer.bytes + [0x0A]
    }
}
