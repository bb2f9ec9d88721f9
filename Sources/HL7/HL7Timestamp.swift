/// An HL7 date/time (DTM, or TS component 1): `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`.
///
/// It keeps the precision it was sent with and the UTC offset when one was sent.
/// Turning a time with no offset into an instant needs a time zone, which is the
/// caller's (the configured `timezone`): ``epochSeconds(assumingOffset:)``.
public struct HL7Timestamp: Sendable, Hashable, CustomStringConvertible {
    /// How much of the timestamp was sent.
    public enum Precision: Int, Sendable, Comparable {
        case year, month, day, hour, minute, second, fraction
        /// Orders precisions from coarse to fine.
        public static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Calendar year.
    public var year: Int
    /// Month 1-12 (1 when not sent).
    public var month: Int
    /// Day 1-31 (1 when not sent).
    public var day: Int
    /// Hour 0-23 (0 when not sent).
    public var hour: Int
    /// Minute 0-59 (0 when not sent).
    public var minute: Int
    /// Second 0-59 (0 when not sent).
    public var second: Int
    /// Fraction of a second in nanoseconds.
    public var nanoseconds: Int
    /// What was sent.
    public var precision: Precision
    /// The UTC offset in seconds, when the timestamp carries one.
    public var utcOffsetSeconds: Int?

    /// Creates a timestamp from its parts.
    public init(
        year: Int, month: Int = 1, day: Int = 1, hour: Int = 0, minute: Int = 0, second: Int = 0,
        nanoseconds: Int = 0, precision: Precision = .second, utcOffsetSeconds: Int? = nil
    ) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanoseconds = nanoseconds
        self.precision = precision
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Parses a DTM string; `nil` when it is not a valid date/time.
    public init?(_ text: some StringProtocol) { self.init(bytes: Array(text.utf8)) }

    /// Parses a DTM from bytes; `nil` when they are not a valid date/time.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        var bytes = Array(bytes)
        // Trim surrounding spaces.
        while bytes.last == 0x20 { bytes.removeLast() }
        while bytes.first == 0x20 { bytes.removeFirst() }
        var offset: Int? = nil
        if let sign = bytes.firstIndex(where: { $0 == 0x2B || $0 == 0x2D }) {
            let zone = bytes[(sign + 1)...]
            guard zone.count == 4, let hours = Self.number(zone.prefix(2)), let minutes = Self.number(zone.suffix(2)),
                hours <= 14, minutes <= 59
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[sign] == 0x2D ? -1 : 1)
            bytes.removeSubrange(sign...)
        }
        var fraction = 0
        var fractionDigits = 0
        if let dot = bytes.firstIndex(of: 0x2E) {
            let digits = bytes[(dot + 1)...]
            guard dot == 14, (1...4).contains(digits.count), let value = Self.number(digits) else { return nil }
            fraction = value
            fractionDigits = digits.count
            bytes.removeSubrange(dot...)
        }
        guard [4, 6, 8, 10, 12, 14].contains(bytes.count), let year = Self.number(bytes.prefix(4)) else { return nil }
        func part(_ start: Int) -> Int? { bytes.count >= start + 2 ? Self.number(bytes[start..<start + 2]) : nil }
        let month = part(4) ?? 1
        let day = part(6) ?? 1
        let hour = part(8) ?? 0
        let minute = part(10) ?? 0
        let second = part(12) ?? 0
        guard bytes.count < 6 || (1...12).contains(month), bytes.count < 8 || (1...Self.daysIn(month, of: year)).contains(day),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        // Each part must have parsed (e.g. "2026AB" fails).
        for start in stride(from: 4, to: bytes.count, by: 2) where part(start) == nil { return nil }
        var nanos = fraction
        for _ in fractionDigits..<9 { nanos *= 10 }
        let precision: Precision =
            fractionDigits > 0 ? .fraction : [4: .year, 6: .month, 8: .day, 10: .hour, 12: .minute, 14: .second][bytes.count]!
        self.init(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanoseconds: nanos,
            precision: precision, utcOffsetSeconds: offset)
    }

    /// Seconds since 1970-01-01T00:00:00 of the wall-clock reading, as if it were UTC.
    public var wallClockSeconds: Int64 {
        Int64(Self.daysFromCivil(year: year, month: month, day: day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The instant in seconds since the Unix epoch: using the timestamp's own offset
    /// when it carries one, else `offset` (the configured zone's offset at that time).
    public func epochSeconds(assumingOffset offset: Int) -> Int64 {
        wallClockSeconds - Int64(utcOffsetSeconds ?? offset)
    }

    /// `YYYY-MM-DDTHH:MM:SS` and the offset when known (`+HH:MM`).
    public var description: String {
        var text = "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
        text += "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
        if let offset = utcOffsetSeconds { text += Self.formatOffset(offset) }
        return text
    }

    /// `+HH:MM` / `-HH:MM` for an offset in seconds.
    public static func formatOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        return "\(sign)\(pad(magnitude / 3600, 2)):\(pad(magnitude % 3600 / 60, 2))"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func number<Digits: Collection>(_ digits: Digits) -> Int? where Digits.Element == UInt8 {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= 0x30 && digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
