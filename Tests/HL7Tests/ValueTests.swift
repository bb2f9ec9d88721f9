import HL7
import Testing

@Suite("Values")
struct ValueTests {
    @Test func timestampsKeepPrecisionAndOffset() throws {
        let full = try #require(HL7Timestamp("20260314093015.1234-0500"))
        #expect(full.precision == .fraction)
        #expect(full.nanoseconds == 123_400_000)
        #expect(full.utcOffsetSeconds == -18_000)
        #expect(full.description == "2026-03-14T09:30:15-05:00")
        #expect(full.epochSeconds(assumingOffset: 0) == 1_773_498_615)
        let minute = try #require(HL7Timestamp("202603140930"))
        #expect(minute.precision == .minute)
        #expect(minute.utcOffsetSeconds == nil)
        #expect(minute.epochSeconds(assumingOffset: 3600) == 1_773_480_600 - 3600)
        #expect(HL7Timestamp("2026")?.precision == .year)
        #expect(HL7Timestamp("20260229") == nil, "2026 is not a leap year")
        #expect(HL7Timestamp("20240229")?.day == 29)
        #expect(HL7Timestamp("2026131") == nil)
        #expect(HL7Timestamp("20261301") == nil)
        #expect(HL7Timestamp("202603142460") == nil)
        #expect(HL7Timestamp("2026AB") == nil)
        #expect(HL7Timestamp("") == nil)
        #expect(HL7Timestamp("20260314+05") == nil)
    }

    @Test func civilDateConversionRoundTrips() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = HL7Timestamp.civilFromDays(days)
            #expect(HL7Timestamp.daysFromCivil(year: date.year, month: date.month, day: date.day) == days)
        }
        #expect(HL7Timestamp.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(HL7Timestamp.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
    }

    @Test func numbersParseAsHL7SendsThem() {
        #expect(HL7Number.parse("7.18") == 7.18)
        #expect(HL7Number.parse(" -0.5 ") == -0.5)
        #expect(HL7Number.parse("+12") == 12)
        #expect(HL7Number.parse(".5") == 0.5)
        #expect(HL7Number.parse("12.") == 12)
        #expect(HL7Number.parse("1.2.3") == nil)
        #expect(HL7Number.parse("") == nil)
        #expect(HL7Number.parse("abc") == nil)
        #expect(HL7Number.parse(">10") == nil)
        #expect(HL7Number.parseStructured([">", "10"])?.value == 10)
    }

    @Test func limitsRejectOversizedMessagesAndReadingContinues() {
        let limits = ParseLimits(maximumMessageBytes: 40, maximumSegments: 3, maximumFieldBytes: 10)
        let text =
            "MSH|^~\\&|A\rOBX|1|TX|||\(String(repeating: "x", count: 50))\r"
            + "MSH|^~\\&|B\rPID|1\rPID|2\rPID|3\r"
            + "MSH|^~\\&|C\rOBX|1|TX|||12345678901\r"
            + "MSH|^~\\&|D\rPID|1\r"
        let results = readAll(text, limits: limits)
        let codes = results.map { result -> String in
            switch result {
            case .success(let message): return message["MSH-3"] ?? "?"
            case .failure(let error): return error.code.rawValue
            }
        }
        #expect(codes == ["message_too_large", "too_many_segments", "field_too_large", "D"])
    }
}
