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
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    /// Parses a DTM from bytes; `nil` when they are not a valid date/time.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        let parsed =
            bytes.withContiguousStorageIfAvailable { Self.parse($0) }
            ?? Array(bytes).withUnsafeBufferPointer { Self.parse($0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses a DTM in place (no copy, no allocation); `nil` when the bytes are not a
    /// valid date/time. Surrounding spaces are ignored.
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> HL7Timestamp? {
        if let plain = parseDigitsOnly(buffer) { return plain }
        var start = 0
        var end = buffer.count
        // Trim surrounding spaces.
        while end > start && buffer[end - 1] == 0x20 { end -= 1 }
        while start < end && buffer[start] == 0x20 { start += 1 }
        func number(_ from: Int, _ to: Int) -> Int? {
            guard from < to else { return nil }
            var value = 0
            for index in from..<to {
                let digit = buffer[index]
                guard digit >= 0x30 && digit <= 0x39 else { return nil }
                value = value * 10 + Int(digit - 0x30)
            }
            return value
        }
        var offset: Int? = nil
        if let sign = (start..<end).first(where: { buffer[$0] == 0x2B || buffer[$0] == 0x2D }) {
            guard end - (sign + 1) == 4, let hours = number(sign + 1, sign + 3),
                let minutes = number(sign + 3, sign + 5),
                hours <= 14, minutes <= 59
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (buffer[sign] == 0x2D ? -1 : 1)
            end = sign
        }
        var fraction = 0
        var fractionDigits = 0
        if let dot = (start..<end).first(where: { buffer[$0] == 0x2E }) {
            let digits = end - (dot + 1)
            guard dot - start == 14, (1...4).contains(digits), let value = number(dot + 1, end) else {
                return nil
            }
            fraction = value
            fractionDigits = digits
            end = dot
        }
        let count = end - start
        guard count >= 4 && count <= 14 && count % 2 == 0, let year = number(start, start + 4) else {
            return nil
        }
        // Each part must have parsed (e.g. "2026AB" fails).
        var parts = (4, 1, 1, 0, 0, 0)  // (count checked, month, day, hour, minute, second)
        var position = 4
        while position < count {
            guard let value = number(start + position, start + position + 2) else { return nil }
            switch position {
            case 4: parts.1 = value
            case 6: parts.2 = value
            case 8: parts.3 = value
            case 10: parts.4 = value
            default: parts.5 = value
            }
            position += 2
        }
        let (_, month, day, hour, minute, second) = parts
        guard count < 6 || (1...12).contains(month),
            count < 8 || (1...Self.daysIn(month, of: year)).contains(day),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var nanos = fraction
        for _ in fractionDigits..<9 { nanos *= 10 }
        let precision: Precision
        if fractionDigits > 0 {
            precision = .fraction
        } else {
            switch count {
            case 4: precision = .year
            case 6: precision = .month
            case 8: precision = .day
            case 10: precision = .hour
            case 12: precision = .minute
            default: precision = .second
            }
        }
        return HL7Timestamp(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            nanoseconds: nanos,
            precision: precision, utcOffsetSeconds: offset)
    }

    /// The usual form, `YYYYMMDD[HH[MM[SS]]]` with nothing else (no spaces, fraction or
    /// offset), read without searching for signs and dots; `nil` for anything else
    /// (``parse(_:)`` then reads it the general way, and decides).
    @inline(__always)
    private static func parseDigitsOnly(_ buffer: UnsafeBufferPointer<UInt8>) -> HL7Timestamp? {
        let count = buffer.count
        guard count >= 8 && count <= 14 && count % 2 == 0 else { return nil }
        for byte in buffer where byte &- 0x30 > 9 { return nil }
        func pair(_ at: Int) -> Int { Int(buffer[at] &- 0x30) * 10 + Int(buffer[at + 1] &- 0x30) }
        let year = pair(0) * 100 + pair(2)
        let month = pair(4)
        let day = pair(6)
        let hour = count >= 10 ? pair(8) : 0
        let minute = count >= 12 ? pair(10) : 0
        let second = count == 14 ? pair(12) : 0
        guard month >= 1 && month <= 12, day >= 1 && day <= daysIn(month, of: year), hour <= 23, minute <= 59,
            second <= 59
        else { return nil }
        let precision: Precision = count == 8 ? .day : count == 10 ? .hour : count == 12 ? .minute : .second
        return HL7Timestamp(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanoseconds: 0,
            precision: precision, utcOffsetSeconds: nil)
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

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
