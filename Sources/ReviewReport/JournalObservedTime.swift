import ClinicalEvents
import HL7

/// `EXTRAVASD_OBSERVED_AT` read back: `YYYY-MM-DDTHH:MM:SS+HH:MM` (or `Z`), as replay and
/// the daemon write it (DESIGN.md section 5).
enum JournalObservedTime {
    /// The instant `text` names, or `nil` when it is not in that form.
    static func instant(_ text: String) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20 || bytes.count == 25 else { return nil }
        func number(_ start: Int, _ width: Int) -> Int? {
            var value = 0
            for byte in bytes[start..<(start + width)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == 0x2D, let month = number(5, 2), bytes[7] == 0x2D,
            let day = number(8, 2), bytes[10] == 0x54, let hour = number(11, 2), bytes[13] == 0x3A,
            let minute = number(14, 2), bytes[16] == 0x3A, let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var offset = 0
        if bytes.count == 25 {
            guard bytes[19] == 0x2B || bytes[19] == 0x2D, let hours = number(20, 2), bytes[22] == 0x3A,
                let minutes = number(23, 2)
            else { return nil }
            offset = (hours * 3_600 + minutes * 60) * (bytes[19] == 0x2D ? -1 : 1)
        } else {
            guard bytes[19] == 0x5A else { return nil }  // Z
        }
        let days = HL7Timestamp.daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
        return Instant(seconds: local - Int64(offset))
    }
}
