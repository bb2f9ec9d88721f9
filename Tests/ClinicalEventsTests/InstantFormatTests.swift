import ClinicalEvents
import HL7
import Testing

/// `Instant.format` writes what `HL7Timestamp.description` writes.
@Suite("Instant format")
struct InstantFormatTests {
    @Test func formattedInstantsAreTheirTimestampsDescriptions() {
        let offsets = [
            0, 3600, -18_000, 19_800, -34_200, 50_400, -43_200, 45 * 60, 99 * 3600 + 59 * 60, 100 * 3600,
        ]
        var seconds: Int64 = -62_200_000_000  // before year 0: the timestamp's own text
        while seconds < 260_000_000_000 {  // past year 9999
            for offset in offsets {
                let instant = Instant(seconds: seconds)
                let local = seconds + Int64(offset)
                let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
                let secondOfDay = Int(local - Int64(days) * 86_400)
                let date = HL7Timestamp.civilFromDays(days)
                let stamp = HL7Timestamp(
                    year: date.year, month: date.month, day: date.day, hour: secondOfDay / 3600,
                    minute: secondOfDay % 3600 / 60, second: secondOfDay % 60, utcOffsetSeconds: offset)
                #expect(instant.format(utcOffsetSeconds: offset) == stamp.description)
            }
            seconds += 987_654_321
        }
        #expect(
            Instant(seconds: 1_772_455_500).format(utcOffsetSeconds: -18_000) == "2026-03-02T07:45:00-05:00")
    }
}
