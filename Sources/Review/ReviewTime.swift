import Foundation

/// A time `T` of the review commands (`--since`, `--until`; DESIGN.md section 2): ISO 8601
/// (`2026-12-06`, `2026-12-06T14:30`, `2026-12-06 14:30:05`, with an optional fraction and
/// `Z` or an offset such as `+01:00`; without one, the local zone), `now`, `today` and
/// `yesterday` (local midnight), or relative to now (`-90s`, `-30m`, `-2h`, `-7d`).
public struct ReviewTime: Sendable, Hashable, CustomStringConvertible {
    /// Microseconds since the epoch (as journald stamps entries).
    public var microseconds: Int64

    /// The time as written in ISO 8601 (UTC).
    public var description: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(microseconds) / 1_000_000))
    }

    /// A time from microseconds since the epoch.
    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// Why a time does not parse: names the text and the forms accepted.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The text as given.
        public var text: String
        /// Names the text and the accepted forms.
        public var description: String {
            "'\(text)' is not a time: write ISO 8601 (2026-12-06, 2026-12-06T14:30, "
                + "2026-12-06T14:30:00+01:00), now, today, yesterday, or a relative time (-90s, -30m, -2h, -7d)"
        }
    }

    /// Parses `text` relative to `now`, in `zone` for local times.
    ///
    /// - Throws: ``ParseError``.
    public init(parsing text: String, now: Date = Date(), zone: TimeZone = .current) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date: Date?
        switch trimmed.lowercased() {
        case "now": date = now
        case "today": date = calendar.startOfDay(for: now)
        case "yesterday": date = calendar.date(byAdding: .day, value: -1, to: calendar.startOfDay(for: now))
        default:
            date = Self.relative(trimmed, now: now) ?? Self.iso8601(trimmed, calendar: calendar)
        }
        guard let date, date.timeIntervalSince1970.isFinite else { throw ParseError(text: text) }
        microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// `-90s`, `-30m`, `-2h`, `-7d`.
    private static func relative(_ text: String, now: Date) -> Date? {
        guard text.hasPrefix("-"), let unit = text.last, let amount = Int(text.dropFirst().dropLast()),
            amount >= 0, amount <= 100 * 365 * 86_400
        else { return nil }
        let seconds: Int
        switch unit {
        case "s": seconds = amount
        case "m": seconds = amount * 60
        case "h": seconds = amount * 3_600
        case "d": seconds = amount * 86_400
        default: return nil
        }
        return now.addingTimeInterval(-Double(seconds))
    }

    /// `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`, `:SS`, `.fraction`, and `Z` or
    /// `±HH:MM` / `±HHMM` / `±HH`.
    private static func iso8601(_ text: String, calendar: Calendar) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + width)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += width
            return value
        }
        func take(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2) else {
            return nil
        }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var fraction = 0.0
        var zone = calendar.timeZone
        if index < bytes.count {
            guard take("T") || take("t") || take(" ") else { return nil }
            guard let hour = number(2), take(":"), let minute = number(2) else { return nil }
            components.hour = hour
            components.minute = minute
            if take(":") {
                guard let second = number(2) else { return nil }
                components.second = second
                if take(".") || take(",") {
                    let start = index
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                    guard index > start,
                        let value = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self))
                    else { return nil }
                    fraction = value
                }
            }
            if take("Z") || take("z") {
                zone = TimeZone(secondsFromGMT: 0)!
            } else if index < bytes.count {
                let sign: Int
                if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
                guard let hours = number(2), hours <= 14 else { return nil }
                _ = take(":")
                let minutes = index < bytes.count ? number(2) : 0
                guard let minutes, minutes < 60,
                    let offset = TimeZone(secondsFromGMT: sign * (hours * 3_600 + minutes * 60))
                else { return nil }
                zone = offset
            }
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day),
            (0...23).contains(components.hour!), (0...59).contains(components.minute!),
            (0...60).contains(components.second!)
        else { return nil }
        var zoned = calendar
        zoned.timeZone = zone
        guard let date = zoned.date(from: components),
            zoned.component(.day, from: date) == day
        else { return nil }
        return date.addingTimeInterval(fraction)
    }
}
