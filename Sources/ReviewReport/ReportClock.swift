import ClinicalEvents
import HL7

/// Times and durations as the page writes them, in the configured zone: `2026-03-05
/// 14:00`, `Mar 5`, `14:00`, `12 min`, `1 h 20 min`, `3 d 4 h`.
struct ReportClock: Sendable {
    let zone: any ZoneRule

    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Local wall-clock seconds since 1970 (as if UTC) of `instant`.
    func local(_ instant: Instant) -> Int64 {
        instant.seconds + Int64(zone.utcOffset(at: instant))
    }

    /// The instant of a local wall-clock reading (seconds since 1970 as if UTC).
    func instant(local seconds: Int64) -> Instant {
        Instant(seconds: seconds - Int64(zone.utcOffset(forWallClock: seconds)))
    }

    /// The civil date and the second of the day of `instant`, locally.
    private func civil(_ instant: Instant) -> (year: Int, month: Int, day: Int, second: Int) {
        let local = local(instant)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let date = HL7Timestamp.civilFromDays(Int(days))
        return (date.year, date.month, date.day, Int(local - days * 86_400))
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `2026-03-05 14:00`.
    func dateTime(_ instant: Instant) -> String {
        let c = civil(instant)
        let year = String(c.year)
        return "\(year)-\(Self.twoDigits(c.month))-\(Self.twoDigits(c.day)) \(time(instant))"
    }

    /// `Mar 5`.
    func day(_ instant: Instant) -> String {
        let c = civil(instant)
        return "\(Self.months[c.month - 1]) \(c.day)"
    }

    /// `14:00`.
    func time(_ instant: Instant) -> String {
        let second = civil(instant).second
        return "\(Self.twoDigits(second / 3_600)):\(Self.twoDigits(second % 3_600 / 60))"
    }

    /// A duration for people: `35 s`, `12 min`, `1 h 20 min`, `3 d 4 h`; `coarse`: whole
    /// days from two days on (`19 d`).
    static func duration(_ seconds: Double, coarse: Bool = false) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total) s" }
        let minutes = total / 60
        if minutes < 60 {
            return total % 60 == 0 || coarse ? "\(minutes) min" : "\(minutes) min \(total % 60) s"
        }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(minutes % 60) min" }
        let days = hours / 24
        if coarse && days >= 2 { return "\(days) d" }
        return hours % 24 == 0 ? "\(days) d" : "\(days) d \(hours % 24) h"
    }
}
