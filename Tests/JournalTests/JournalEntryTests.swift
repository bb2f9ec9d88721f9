import Journal
import Testing

@Suite("JournalEntry")
struct JournalEntryTests {
    @Test func convenienceInitOrdersTheWellKnownFields() {
        let entry = JournalEntry(
            message: "hello", priority: .critical, messageID: "751bbc47ee744393bc95affcf7ff9db6",
            syslogIdentifier: "extravasd")
        #expect(
            entry.fields.map(\.name.rawValue) == ["SYSLOG_IDENTIFIER", "MESSAGE_ID", "PRIORITY", "MESSAGE"])
        #expect(
            entry.fields.map(\.stringValue) == [
                "extravasd", "751bbc47ee744393bc95affcf7ff9db6", "2", "hello",
            ])
        #expect(entry.priority == .critical)
        #expect(entry.message == "hello")
    }

    @Test func settingReplacesEveryOccurrenceInPlace() throws {
        var entry = JournalEntry()
        entry.append(.message, "one")
        try entry.append("EXTRAVASD_KIND", "suspected")
        entry.append(.message, "two")
        entry.message = "three"
        #expect(entry.fields.map(\.name.rawValue) == ["MESSAGE", "EXTRAVASD_KIND"])
        #expect(entry.message == "three")
        entry.message = nil
        #expect(entry.fields.map(\.name.rawValue) == ["EXTRAVASD_KIND"])
        entry.priority = .warning
        #expect(entry.fields.last?.stringValue == "4")
    }

    @Test func valuesKeepArbitraryBytes() throws {
        var entry = JournalEntry()
        let name = try JournalFieldName("EXTRAVASD_RAW")
        entry.append(name, bytes: [0x00, 0xFF, 0x0A])
        #expect(entry.values(of: name) == [[0x00, 0xFF, 0x0A]])
        #expect(entry[name] == nil)  // not valid UTF-8
    }
}
