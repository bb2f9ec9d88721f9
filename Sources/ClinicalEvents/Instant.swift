import HL7

/// Seconds in a day (86,400).
let secondsPerDay: Int64 = 86_400

/// A moment in time, in seconds since the Unix epoch (UTC). The engine's clock comes
/// from the messages, so replay and live run the same code.
public struct Instant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64

    /// Creates an instant.
    public init(seconds: Int64) { self.seconds = seconds }

    /// Orders instants in time.
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.seconds < rhs.seconds }

    /// This instant moved by `seconds`.
    public func adding(seconds delta: Int64) -> Instant { Instant(seconds: seconds + delta) }

    /// This instant moved by `hours`.
    public func adding(hours: Int) -> Instant { adding(seconds: Int64(hours) * 3600) }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String { format(utcOffsetSeconds: 0) }

    /// `YYYY-MM-DDTHH:MM:SS+HH:MM` at the given UTC offset.
    public func format(utcOffsetSeconds offset: Int) -> String {
        let local = seconds + Int64(offset)
        let days = Int(local >= 0 ? local / secondsPerDay : (local - (secondsPerDay - 1)) / secondsPerDay)
        let secondOfDay = Int(local - Int64(days) * secondsPerDay)
        let date = HL7Timestamp.civilFromDays(days)
        let magnitude = offset.magnitude
        // Years 0-9999 and offsets under 100 hours (all but made-up ones) are written
        // digit by digit, as `HL7Timestamp.description` writes them.
        if (0...9999).contains(date.year) && magnitude / 3600 < 100 {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(25)
            func append(_ value: Int, digits: Int, then separator: UInt8?) {
                var divisor = 1
                for _ in 1..<digits { divisor *= 10 }
                while divisor > 0 {
                    bytes.append(0x30 + UInt8(value / divisor % 10))
                    divisor /= 10
                }
                if let separator { bytes.append(separator) }
            }
            append(date.year, digits: 4, then: 0x2D)  // -
            append(date.month, digits: 2, then: 0x2D)
            append(date.day, digits: 2, then: 0x54)  // T
            append(secondOfDay / 3600, digits: 2, then: 0x3A)  // :
            append(secondOfDay % 3600 / 60, digits: 2, then: 0x3A)
            append(secondOfDay % 60, digits: 2, then: offset < 0 ? 0x2D : 0x2B)  // - or +
            append(Int(magnitude / 3600), digits: 2, then: 0x3A)
            append(Int(magnitude % 3600 / 60), digits: 2, then: nil)
            return String(decoding: bytes, as: UTF8.self)
        }
        let stamp = HL7Timestamp(
            year: date.year, month: date.month, day: date.day, hour: secondOfDay / 3600,
            minute: secondOfDay % 3600 / 60, second: secondOfDay % 60, utcOffsetSeconds: offset)
        return stamp.description
    }
}

/// The zone of HL7 times that carry no offset (the configured `timezone`).
public protocol ZoneRule: Sendable {
    /// The UTC offset, in seconds, of a wall-clock reading in this zone (given as
    /// seconds since 1970 as if the reading were UTC).
    func utcOffset(forWallClock seconds: Int64) -> Int
    /// The UTC offset, in seconds, in force at an instant.
    func utcOffset(at instant: Instant) -> Int
}

/// A zone with one fixed offset (UTC by default).
public struct FixedOffsetZone: ZoneRule {
    /// The offset in seconds east of UTC.
    public var offsetSeconds: Int
    /// Creates a zone.
    public init(offsetSeconds: Int = 0) { self.offsetSeconds = offsetSeconds }
    /// The fixed offset.
    public func utcOffset(forWallClock seconds: Int64) -> Int { offsetSeconds }
    /// The fixed offset.
    public func utcOffset(at instant: Instant) -> Int { offsetSeconds }
}

/// Reads HL7 date/times as instants, applying the configured zone to times sent
/// without an offset.
public struct TimeReader: Sendable {
    /// The zone for times without an offset.
    public var zone: any ZoneRule

    /// Creates a reader.
    public init(zone: any ZoneRule = FixedOffsetZone()) { self.zone = zone }

    /// The instant of a DTM/TS text, or `nil` when it is empty or not a date/time.
    public func instant(_ text: String?) -> Instant? {
        guard var text, !text.isEmpty else { return nil }
        return text.withUTF8 { instant(bytes: $0) }
    }

    /// The instant in a TS/DTM part of a message (its first component, first subcomponent).
    public func instant(_ part: some MessagePart) -> Instant? {
        guard part.hasValue else { return nil }
        let delimiters = part.message.delimiters
        return part.withDecodedBytes { bytes in
            var end = 0
            while end < bytes.count && bytes[end] != delimiters.component
                && bytes[end] != delimiters.subcomponent
            {
                end += 1
            }
            return instant(bytes: UnsafeBufferPointer(rebasing: bytes[0..<end]))
        }
    }

    /// The instant of DTM bytes (parsed in place), or `nil` when they are empty or not
    /// a date/time. Bytes that are not ASCII never make a date/time.
    private func instant(bytes: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard !bytes.isEmpty, let stamp = HL7Timestamp.parse(bytes) else { return nil }
        let wall = stamp.wallClockSeconds
        return Instant(seconds: stamp.epochSeconds(assumingOffset: zone.utcOffset(forWallClock: wall)))
    }
}
