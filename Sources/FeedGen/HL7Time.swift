/// Calendar arithmetic for the simulated clock, done by hand so that it never depends
/// on Foundation, the time zone database or the machine's clock.
///
/// Times are seconds since 1970-01-01T00:00:00 in the feed's local time (HL7 times
/// without an offset); the proleptic Gregorian calendar is used throughout.
public enum HL7Time {
    /// 2026-01-01T00:00:00 as seconds since 1970-01-01T00:00:00.
    public static let defaultStart: Int64 = 1_767_225_600

    /// One day in seconds.
    public static let day: Int64 = 86_400

    /// One hour in seconds.
    public static let hour: Int64 = 3_600

    /// Converts a day count since 1970-01-01 to a civil (year, month, day) date
    /// (Howard Hinnant's `civil_from_days`).
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Converts a civil date to a day count since 1970-01-01 (`days_from_civil`).
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Seconds since 1970 of a civil date and time.
    public static func seconds(
        year: Int64, month: Int64, day: Int64, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
    ) -> Int64 {
        days(year: year, month: month, day: day) * Self.day + hour * 3_600 + minute * 60 + second
    }

    /// Splits a time into calendar fields.
    @inline(__always)
    static func fields(_ t: Int64) -> (y: Int64, mo: Int64, d: Int64, h: Int64, mi: Int64, s: Int64) {
        var days = t / day
        var rem = t % day
        if rem < 0 {
            rem += day
            days -= 1
        }
        let c = civil(fromDays: days)
        return (c.year, c.month, c.day, rem / 3_600, (rem / 60) % 60, rem % 60)
    }

    /// Formats a time as HL7 DTM `YYYYMMDDHHMMSS`.
    public static func dtm(_ t: Int64) -> String {
        var w = ByteWriter()
        w.dtm(t)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
