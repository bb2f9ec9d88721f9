import Foundation
import Testing

/// `extravasd ack` against the real journal: an unknown alert id exits 65 naming it, an
/// acknowledgement of a real alert is written with the DESIGN.md fields, and a note with
/// a control character is refused with nothing written.
@Suite(
    "extravasd ack",
    .enabled(
        if: FileManager.default.fileExists(atPath: "/run/systemd/journal/socket"),
        "needs a running journald (/run/systemd/journal/socket); .ci/run starts one"))
struct AckCommandTests {
    static let seedCase = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/feeds/seed-case.hl7").standardized.path

    /// Runs journalctl with `arguments`; its output.
    func journalctl(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    /// Entries of the journal matching `match` (after a sync), as JSON objects.
    func journal(_ match: [String]) throws -> [[String: Any]] {
        precondition(!match.isEmpty, "a match, not the whole journal")
        _ = try journalctl(["--sync"])
        return String(decoding: try journalctl(["-o", "json", "--no-pager"] + match), as: UTF8.self)
            .split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
    }

    @Test func anUnknownAlertIDExits65NamingIt() async throws {
        let id = "0000" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(28)
        let output = try await Executables.run("extravasd", ["ack", String(id), "--by", "RN Test"])
        #expect(output.status == 65)
        #expect(output.stderr.contains(String(id)))
    }

    @Test func anAcknowledgementIsWrittenWithWhoWhatAndTheNote() async throws {
        // A real alert in the journal: the seed case replayed with --journal.
        let replayed = try await Executables.run(
            "extravasd", ["replay", "--journal", "--format", "jsonl", Self.seedCase])
        #expect(replayed.status == 0)
        let first = try #require(replayed.text.split(separator: "\n").first)
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let id = try #require(alert["alert_id"] as? String)
        _ = try journalctl(["--sync"])  // the alert is readable
        let nurse = "RN " + UUID().uuidString
        let output = try await Executables.run(
            "extravasd",
            [
                "ack", id, "--by", nurse, "--disposition", "not-extravasation", "--note",
                "pale from the dressing",
            ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.text.contains(id) && output.text.contains(nurse))
        let entries = try journal([
            "MESSAGE_ID=b58e71387e6848038cc9bd8d4082be8e", "EXTRAVASD_ACK_BY=\(nurse)",
        ])
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry["EXTRAVASD_ALERT_ID"] as? String == id)
        #expect(entry["EXTRAVASD_DISPOSITION"] as? String == "not-extravasation")
        #expect(entry["EXTRAVASD_NOTE"] as? String == "pale from the dressing")
        #expect(entry["PRIORITY"] as? String == "5")
    }

    @Test func aNoteWithAControlCharacterIsRefusedAndNothingIsWritten() async throws {
        let nurse = "RN " + UUID().uuidString
        let output = try await Executables.run(
            "extravasd",
            ["ack", "89136b76f357603fce6b3787053c92c2", "--by", nurse, "--note", "line one\nline two"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("control character"))
        #expect(try journal(["EXTRAVASD_ACK_BY=\(nurse)"]).isEmpty)
    }
}
