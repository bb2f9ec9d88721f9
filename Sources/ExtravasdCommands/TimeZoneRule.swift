import ClinicalEvents
import Foundation

/// The configured `timezone` as a ``ZoneRule``, through Foundation's time zone
/// database (daylight saving included). UTC uses ``FixedOffsetZone`` instead.
struct TimeZoneRule: ZoneRule {
    let zone: TimeZone

    static func make(_ zone: TimeZone) -> any ZoneRule {
        zone.identifier == "UTC" || zone.identifier == "GMT" ? FixedOffsetZone() : TimeZoneRule(zone: zone)
    }

    func utcOffset(at instant: Instant) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

    /// The offset of a wall-clock reading: the offset at (reading - offset), refined once
    /// (in a gap or overlap of daylight saving this picks one of the candidates).
    func utcOffset(forWallClock seconds: Int64) -> Int {
        let first = utcOffset(at: Instant(seconds: seconds))
        return utcOffset(at: Instant(seconds: seconds - Int64(first)))
    }
}
