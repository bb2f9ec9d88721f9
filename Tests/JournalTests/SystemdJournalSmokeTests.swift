import Foundation
import Journal
import Testing

/// Sends real entries to journald and reads them back with `journalctl` and with
/// ``JournalReader``. Needs a running journald (`.ci/run` starts one).
@Suite(
    "journald round trip",
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket: start systemd-journald (.ci/run does)")
)
struct SystemdJournalSmokeTests {
    /// A fresh id, so the match finds only this test's entry.
    private static func uniqueID() -> String {
        UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    @Test("an entry sent with sd_journal_sendv reads back exactly")
    func roundTrip() async throws {
        let testID = Self.uniqueID()
        // Opened before sending: a long-lived reader must see entries written later.
        let reader = try await JournalReader()

        var entry = JournalEntry(
            message:
                "Suspected extravasation at left-heel: erythema, pain\nsecond line: Calcium gluconate 10% inj",
            priority: .info,
            messageID: "751bbc47ee744393bc95affcf7ff9db6",
            syslogIdentifier: "extravasd-test")
        try entry.append("EXTRAVASD_TEST_ID", testID)
        try entry.append("EXTRAVASD_ALERT_ID", "a1b2c3d4e5f60718")
        try entry.append("EXTRAVASD_SIGNS", "erythema,pain,swelling")
        try entry.append("EXTRAVASD_SOURCE", "file:/var/lib/feeds/adt a=b.hl7:4096")
        try entry.append("EXTRAVASD_OBSERVED_AT", "2024-03-05T14:07:00+01:00")
        try entry.append("EXTRAVASD_LOCATION", "PICU/12/A — été")
        try SystemdJournal().send(entry)
        try Journalctl.sync()

        var expected: [String: String] = [:]
        for field in entry.fields {
            let value = try #require(field.stringValue)
            expected[field.name.rawValue] = value
        }
        #expect(expected["PRIORITY"] == "6")
        #expect(expected["MESSAGE"]?.contains("\n") == true)

        let viaJournalctl = try Journalctl.entries(matching: ["EXTRAVASD_TEST_ID=\(testID)"])
        try #require(viaJournalctl.count == 1, "journalctl found \(viaJournalctl.count) entries")
        for (name, value) in expected {
            #expect(viaJournalctl[0][name] == Array(value.utf8), "journalctl: \(name)")
        }

        let viaReader = try await reader.entries(matching: ["EXTRAVASD_TEST_ID": testID])
        try #require(viaReader.count == 1, "JournalReader found \(viaReader.count) entries")
        for (name, value) in expected {
            #expect(viaReader[0][name] == value, "JournalReader: \(name)")
        }
        #expect(
            viaReader[0]["__CURSOR"]
                == viaJournalctl[0]["__CURSOR"].map { String(decoding: $0, as: UTF8.self) })
        #expect(viaReader[0]["_PID"] == String(getpid()))
    }

    @Test("arbitrary bytes and empty values round-trip")
    func binaryValues() async throws {
        let testID = Self.uniqueID()
        let raw: [UInt8] = [0x00, 0x01, 0x0A, 0xFF, 0xFE, UInt8(ascii: "="), 0x7F, 0x0A]
        var entry = JournalEntry(
            message: "binary field test", priority: .debug, syslogIdentifier: "extravasd-test")
        try entry.append("EXTRAVASD_TEST_ID", testID)
        entry.append(try JournalFieldName("EXTRAVASD_RAW"), bytes: raw)
        try entry.append("EXTRAVASD_EMPTY", "")
        try SystemdJournal().send(entry)
        try Journalctl.sync()

        let viaJournalctl = try Journalctl.entries(matching: ["EXTRAVASD_TEST_ID=\(testID)"])
        try #require(viaJournalctl.count == 1)
        #expect(viaJournalctl[0]["EXTRAVASD_RAW"] == raw)
        #expect(viaJournalctl[0]["EXTRAVASD_EMPTY"] == [])

        let reader = try await JournalReader()
        let viaReader = try await reader.rawEntries(matching: ["EXTRAVASD_TEST_ID": testID])
        try #require(viaReader.count == 1)
        #expect(viaReader[0]["EXTRAVASD_RAW"] == raw)
        #expect(viaReader[0]["EXTRAVASD_EMPTY"] == [])
    }

    @Test("the reader matches on several fields and finds nothing for an unknown id")
    func matching() async throws {
        let testID = Self.uniqueID()
        for kind in ["suspected", "escalated"] {
            var entry = JournalEntry(
                message: "match test \(kind)", priority: .info, syslogIdentifier: "extravasd-test")
            try entry.append("EXTRAVASD_TEST_ID", testID)
            try entry.append("EXTRAVASD_KIND", kind)
            try SystemdJournal().send(entry)
        }
        try Journalctl.sync()

        let reader = try await JournalReader()
        let both = try await reader.entries(matching: ["EXTRAVASD_TEST_ID": testID])
        #expect(both.map { $0["EXTRAVASD_KIND"] } == ["suspected", "escalated"])
        let one = try await reader.entries(matching: [
            "EXTRAVASD_TEST_ID": testID, "EXTRAVASD_KIND": "escalated",
        ])
        #expect(one.map { $0["MESSAGE"] } == ["match test escalated"])
        let none = try await reader.entries(matching: ["EXTRAVASD_TEST_ID": Self.uniqueID()])
        #expect(none.isEmpty)

        reader.close()
        await #expect(throws: JournalReaderError.closed) {
            try await reader.entries(matching: ["EXTRAVASD_TEST_ID": testID])
        }
    }
}
