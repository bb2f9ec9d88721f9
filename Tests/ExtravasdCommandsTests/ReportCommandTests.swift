import Foundation
import Journal
import Testing

/// `extravasd report --html`, run as a process on the bundled example feeds: the page's
/// content against what `extravasd replay` raises on the same feeds, the PHI policy, an
/// acknowledgement written by `extravasd ack` shown with who, what and how soon, and the
/// exit statuses.
@Suite("extravasd report")
struct ReportCommandTests {
    static let feeds = ["seed-case.hl7", "engine-rules.hl7"].map { repositoryRoot + "/examples/feeds/" + $0 }
    static let journalRemote = "/lib/systemd/systemd-journal-remote"

    /// A configuration with `phi` (and a private key when the policy needs one).
    static func configuration(_ scratch: ScratchDirectory, phi: String = "identifiers", feeds: [String] = [])
        throws -> String
    {
        if phi != "identifiers" {
            let key = scratch.path + "/pseudonym.key"
            FileManager.default.createFile(
                atPath: key, contents: Data((0..<32).map { _ in UInt8.random(in: 0...255) }),
                attributes: [.posixPermissions: 0o600])
        }
        let patterns = feeds.map { "\"\($0)\"" }.joined(separator: ", ")
        return try scratch.write(
            "extravasd.yaml",
            "feeds:\n  files: [\(patterns)]\nstate_directory: \(scratch.path)/state\nphi: \(phi)\n")
    }

    /// An empty folder to read as the journal: the page depends on nothing else.
    static func emptyJournal(_ scratch: ScratchDirectory) throws -> String {
        let folder = scratch.path + "/journal"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The alert ids `extravasd replay` raises on `feeds` under `config`.
    static func replayedIDs(config: String, feeds: [String]) async throws -> [String] {
        let output = try await Executables.run(
            "extravasd", ["replay", "--config", config, "--format", "jsonl"] + feeds)
        #expect(output.status == 0, "\(output.stderr)")
        return try output.text.split(separator: "\n").map { line in
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["alert_id"] as? String)
        }
    }

    /// Whether `token` stands in `text` on its own: not inside a longer word, number,
    /// hex id or hyphenated name (a random file name may hold any digits).
    static func containsToken(_ text: String, _ token: String) -> Bool {
        func isWordByte(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2D || byte == 0x5F
        }
        let bytes = Array(text.utf8)
        let needle = Array(token.utf8)
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count)
        where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            let before = start > 0 ? bytes[start - 1] : 0x20
            let after = start + needle.count < bytes.count ? bytes[start + needle.count] : 0x20
            if !isWordByte(before) && !isWordByte(after) { return true }
        }
        return false
    }

    @Test func theExampleFeedsPageShowsEachPatientSiteExposureAssessmentAlertAndFigure() async throws {
        let scratch = try ScratchDirectory()
        let config = try Self.configuration(scratch)
        let page = scratch.path + "/review.html"
        let output = try await Executables.run(
            "extravasd",
            [
                "report", "--html", page, "--config", config, "--directory", try Self.emptyJournal(scratch),
                "--feeds",
            ]
                + Self.feeds)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(
            output.text
                == "report: 5 alerts (5 unacknowledged) for 3 patients, 4 sites, from 2 feeds -> \(page)\n")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        // Each patient and site (TEMP77 was merged into 8800: its timeline is 8800's).
        for section in [
            "<h3>MRN 4455", "<h3>MRN 8800", "<h3>MRN 9100", "<h4>left-heel</h4>", "<h4>right-foot</h4>",
            "<h4>left-forearm</h4>", "<h4>right-antecubital-fossa</h4>",
        ] {
            #expect(html.contains(section), "\(section)")
        }
        #expect(!html.contains("MRN TEMP77"))
        // Exposure bars labelled with the drug and the order.
        #expect(html.components(separatedBy: "<g class=\"exposure\">").count - 1 == 4)
        for label in [
            "Calcium Gluconate 10% inj · order 7001 · watch 72 h", "Calcium gluconate 10% inj · order 8001",
            "TPN · order 8100 · watch 72 h", "TPN · order 8100 · still flowing when the feeds end",
        ] {
            #expect(html.contains(label), "\(label)")
        }
        // Assessment marks, normal and with signs, and the line's removal.
        #expect(html.contains("<circle class=\"assess-normal\""))
        #expect(html.contains("<path class=\"assess-sign\""))
        #expect(html.contains("<path class=\"assess-removed\""))
        #expect(html.contains("2026-03-05 14:00: erythema, pain, swelling"))
        // The alerts replay raises on the same feeds, every one.
        let ids = try await Self.replayedIDs(config: config, feeds: Self.feeds)
        #expect(ids.count == 5)
        for id in ids { #expect(html.contains("<tr id=\"alert-\(id)\">"), "\(id)") }
        // The figures.
        for figure in [
            "Alerts by kind", "Alerts by severity", "Time to acknowledgement", "Median", "90th percentile",
            "Dispositions", "Alerts per site", "Alerts never acknowledged (5)",
        ] {
            #expect(html.contains(figure), "\(figure)")
        }
        // Self-contained: no script, no network.
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("http"))
        #expect(html.contains("@media print"))
    }

    @Test func underPhiMinimalNoMRNOfTheFeedsAppearsAnywhere() async throws {
        let scratch = try ScratchDirectory()
        // The default feeds: the configured patterns, expanded.
        let config = try Self.configuration(
            scratch, phi: "minimal", feeds: [repositoryRoot + "/examples/feeds/*.hl7"])
        let page = scratch.path + "/review.html"
        let output = try await Executables.run(
            "extravasd",
            ["report", "--html", page, "--config", config, "--directory", try Self.emptyJournal(scratch)])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.text.contains("for 3 patients, 4 sites, from 2 feeds"))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        for identifier in ["4455", "TEMP77", "8800", "9100", "7001", "8001", "8100", "V778899", "V5", "V9"] {
            #expect(!Self.containsToken(html, identifier), "\(identifier)")
        }
        for text in ["<h3>MRN", "SEED000", "RULES0", "DOE", "ROE", "POE"] {
            #expect(!html.contains(text), "\(text)")
        }
        for label in ["Patient 1", "Patient 2", "Patient 3", "PICU/12/A", "NICU/3/B", "4W/401/1"] {
            #expect(html.contains(label), "\(label)")
        }
        // The minimal policy's ids (keyed) are the replay's.
        for id in try await Self.replayedIDs(config: config, feeds: Self.feeds) { #expect(html.contains(id)) }
        // --patient cannot select by an MRN the page does not show.
        let refused = try await Executables.run(
            "extravasd", ["report", "--html", page, "--config", config, "--patient", "4455"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("phi: minimal"), "\(refused.stderr)")
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: "/run/systemd/journal/socket")
                && FileManager.default.isExecutableFile(atPath: journalRemote),
            "needs a running journald and systemd-journal-remote (scripts/ensure-deps installs it)"))
    func anAcknowledgementShowsWithWhoTheDispositionAndTheTimeToAcknowledge() async throws {
        let scratch = try ScratchDirectory()
        // Pseudonymized with a fresh key: the alert's id is this test's own.
        let config = try Self.configuration(scratch, phi: "pseudonymized")
        let seedCase = [Self.feeds[0]]
        let replayed = try await Executables.run(
            "extravasd", ["replay", "--config", config, "--format", "jsonl"] + seedCase)
        let line = try #require(replayed.text.split(separator: "\n").first)
        let alert = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let id = try #require(alert["alert_id"] as? String)
        // The alert's journal entry, as the daemon writes it (DESIGN.md section 5).
        var fields: [(String, String)] = [
            ("MESSAGE", "Suspected extravasation (report test)"),
            ("MESSAGE_ID", "751bbc47ee744393bc95affcf7ff9db6"), ("PRIORITY", "2"),
            ("SYSLOG_IDENTIFIER", "extravasd"),
            ("EXTRAVASD_ALERT_ID", id),
        ]
        for (key, field) in [
            ("kind", "EXTRAVASD_KIND"), ("severity", "EXTRAVASD_SEVERITY"), ("patient", "EXTRAVASD_PATIENT"),
            ("location", "EXTRAVASD_LOCATION"), ("site", "EXTRAVASD_SITE"), ("drug", "EXTRAVASD_DRUG"),
            ("order", "EXTRAVASD_ORDER"), ("observed_at", "EXTRAVASD_OBSERVED_AT"),
            ("source", "EXTRAVASD_SOURCE"),
        ] {
            if let value = alert[key] as? String { fields.append((field, value)) }
        }
        fields.append(("EXTRAVASD_SIGNS", ((alert["signs"] as? [String]) ?? []).joined(separator: ",")))
        try SystemdJournal().send(try JournalEntry(validating: fields))
        _ = try await Executables.run("/usr/bin/journalctl", ["--sync"])
        try await Task.sleep(for: .seconds(1.2))
        let nurse = "RN " + UUID().uuidString.prefix(8)
        let acked = try await Executables.run(
            "extravasd",
            ["ack", id, "--by", nurse, "--disposition", "confirmed", "--note", "heel red, line out"])
        #expect(acked.status == 0, "\(acked.stderr)")
        _ = try await Executables.run("/usr/bin/journalctl", ["--sync"])
        // The two entries, and only they, as a journal folder of their own.
        let exported = try await Executables.run(
            "/usr/bin/journalctl", ["-o", "export", "--no-pager", "EXTRAVASD_ALERT_ID=\(id)"])
        let export = try scratch.write("entries.export", [UInt8](exported.stdout))
        let journal = try Self.emptyJournal(scratch)
        let written = try await Executables.run(
            Self.journalRemote, ["--output=\(journal)/review.journal", export])
        #expect(written.status == 0, "\(written.stderr)")

        let page = scratch.path + "/review.html"
        let output = try await Executables.run(
            "extravasd",
            ["report", "--html", page, "--config", config, "--directory", journal, "--feeds"] + seedCase)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.text.contains("report: 1 alert (0 unacknowledged) for 1 patient, 1 site, from 1 feed"))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("<tr id=\"alert-\(id)\">"))
        #expect(html.contains("acknowledged by \(nurse), confirmed, after "))
        #expect(html.contains("heel red, line out"))
        #expect(html.contains("<g class=\"ack\">"))
        #expect(html.contains("<td>Alerts timed</td><td class=\"count\">1 of 1</td>"))
        #expect(!html.contains("<td class=\"big\">—</td>"))
        #expect(html.contains("Alerts never acknowledged (0)"))
        #expect(html.contains("<tr><td>confirmed</td><td class=\"count\">1</td>"))
        // Pseudonymized: the MRN never, and --patient takes it (turned into the pseudonym).
        #expect(!Self.containsToken(html, "4455"))
        let selected = try await Executables.run(
            "extravasd",
            [
                "report", "--html", page, "--config", config, "--directory", journal, "--patient", "4455",
                "--feeds",
            ]
                + seedCase)
        #expect(selected.text.contains("1 alert (0 unacknowledged) for 1 patient"), "\(selected.stderr)")
        let other = try await Executables.run(
            "extravasd",
            [
                "report", "--html", page, "--config", config, "--directory", journal, "--patient", "9999",
                "--feeds",
            ]
                + seedCase)
        #expect(other.text.contains("0 alerts (0 unacknowledged) for 0 patients"), "\(other.stderr)")
    }

    @Test func aBadTimeAnUnreadableFeedAndABadConfigurationExitWithTheirStatus() async throws {
        let scratch = try ScratchDirectory()
        let config = try Self.configuration(scratch)
        let page = scratch.path + "/review.html"
        let journal = try Self.emptyJournal(scratch)
        let badTime = try await Executables.run(
            "extravasd", ["report", "--html", page, "--config", config, "--since", "last tuesday"])
        #expect(badTime.status == 64)
        #expect(badTime.stderr.contains("--since: 'last tuesday' is not a time"), "\(badTime.stderr)")
        let missing = scratch.path + "/no-such-feed.hl7"
        let unreadable = try await Executables.run(
            "extravasd",
            ["report", "--html", page, "--config", config, "--directory", journal, "--feeds", missing])
        #expect(unreadable.status == 66)
        #expect(unreadable.stderr.contains(missing), "\(unreadable.stderr)")
        let noJournal = try await Executables.run(
            "extravasd",
            ["report", "--html", page, "--config", config, "--directory", scratch.path + "/nowhere"])
        #expect(noJournal.status == 66)
        #expect(noJournal.stderr.contains("nowhere"))
        let badConfig = try await Executables.run(
            "extravasd", ["report", "--html", page, "--config", scratch.path + "/absent.yaml"])
        #expect(badConfig.status == 78)
        #expect(!FileManager.default.fileExists(atPath: page))
        let help = try await Executables.run("extravasd", ["report", "--help"])
        #expect(help.text.contains("Examples:") && help.text.contains("--feeds"))
    }
}
