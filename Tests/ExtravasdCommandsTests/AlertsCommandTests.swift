import AlertOutput
import ClinicalEvents
import Foundation
import Journal
import Sites
import Surveillance
import Testing

/// `extravasd alerts` as a real process against the real journal: alerts written as the
/// daemon writes them (``AlertJournalFields`` through ``SystemdJournal``), acknowledgements
/// by `extravasd ack` (root: trusted) or by uid 65534 (untrusted), each test with its
/// own alert ids and patient, so tests in parallel and older entries do not interfere.
@Suite(
    "extravasd alerts",
    .enabled(
        if: FileManager.default.fileExists(atPath: "/run/systemd/journal/socket"),
        "needs a running journald (/run/systemd/journal/socket); scripts/ensure-journald starts one"))
struct AlertsCommandTests {
    // MARK: Writing to the journal

    /// A fresh alert id: 32 hex digits, as the engine's.
    static func freshID() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// A fresh MRN, unique to the test.
    static func freshMRN() -> String {
        "T" + String(UInt64.random(in: 1_000_000_000...9_999_999_999))
    }

    static func alert(
        _ id: String, patient: String, site: String = "left-heel", observedSite: String? = nil,
        severity: Severity = .critical, kind: AlertKind = .extravasationSuspected
    ) -> Alert {
        let now = Instant(seconds: Int64(Date().timeIntervalSince1970))
        return Alert(
            id: id, kind: kind, severity: severity, observedAt: now, patient: patient,
            patientKey: PatientKey(identifier: patient, authority: "TEST"), visit: "V77",
            location: "PICU/12/A",
            site: CanonicalSite(name: site), observedSite: observedSite.flatMap { CanonicalSite(name: $0) },
            siteMatch: .exact, signs: [.erythema, .pain], drug: "Calcium Gluconate 10% inj", order: "7001",
            infusionActive: true, riskFactors: [.infant, .renalFailure], controlID: "CTRL1",
            source: .file("feed.hl7", offset: 42), exposureStartedAt: now.adding(hours: -5),
            catalogEntry: "calcium-gluconate")
    }

    /// Sends `alert`'s journal entry as the daemon (or `replay --journal`) writes it.
    static func send(_ alert: Alert, renderer: AlertRenderer = AlertRenderer(), replay: Bool = false) throws {
        try SystemdJournal().send(
            try JournalEntry(validating: AlertJournalFields.fields(alert, renderer: renderer, replay: replay))
        )
    }

    /// Runs journalctl with `arguments`; its standard output.
    @discardableResult
    static func journalctl(_ arguments: [String]) throws -> Data {
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

    /// Waits until journald has written everything sent so far.
    static func sync() throws { try journalctl(["--sync"]) }

    /// The journal's entries matching `match` (after a sync), as journalctl's JSON objects.
    static func journal(_ match: [String]) throws -> [[String: Any]] {
        precondition(!match.isEmpty, "a match, not the whole journal")
        try sync()
        return String(decoding: try journalctl(["-o", "json", "--no-pager"] + match), as: UTF8.self)
            .split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
    }

    /// When journald wrote alert `id`'s first entry (microseconds since the epoch).
    static func writtenAt(_ id: String) throws -> Int64 {
        let entry = try #require(
            try journal(["EXTRAVASD_ALERT_ID=\(id)", "EXTRAVASD_KIND=extravasation_suspected"]).first)
        return try #require(Int64(entry["__REALTIME_TIMESTAMP"] as? String ?? ""))
    }

    // MARK: Running the command

    /// A configuration (`phi` as given) in a scratch folder, and that folder.
    static func configuration(phi: String = "identifiers") throws -> (ScratchDirectory, path: String) {
        let scratch = try ScratchDirectory()
        let path = try scratch.write(
            "extravasd.yaml", "feeds:\n  files: []\nstate_directory: \(scratch.path)/state\nphi: \(phi)\n")
        return (scratch, path)
    }

    /// The environment of the command: this one without EXTRAVASD_CONFIG and NO_COLOR.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["EXTRAVASD_CONFIG"] = nil
        environment["NO_COLOR"] = nil
        return environment
    }

    static func alerts(_ arguments: [String], config: String) async throws -> Executables.Output {
        try await Executables.run(
            "extravasd", ["alerts", "--config", config] + arguments, environment: environment)
    }

    /// The JSON objects printed, one a line.
    static func objects(_ output: Executables.Output) throws -> [[String: Any]] {
        try output.text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
        }
    }

    /// The alert ids printed as JSON lines, in order.
    static func ids(_ output: Executables.Output) throws -> [String] {
        try objects(output).compactMap { $0["alert_id"] as? String }
    }

    // MARK: Both formats, each id once

    static let contractKeys = [
        "alert_id", "kind", "severity", "observed_at", "patient", "visit", "location", "site",
        "observed_site",
        "site_match", "signs", "drug", "order", "infusion_active", "risk_factors", "control_id", "source",
        "acknowledged", "ack_by", "ack_at", "disposition", "ack_trusted", "reminded", "written_at",
    ]

    @Test func bothFormatsShowEachAlertOnceAfterTheSameEntryIsSentTwice() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let first = Self.alert(Self.freshID(), patient: mrn)
        let second = Self.alert(
            Self.freshID(), patient: mrn, site: "right-antecubital-fossa", severity: .high)
        try Self.send(first)
        try Self.send(first)  // a resend after a failover: the same alert
        try await Task.sleep(for: .milliseconds(20))
        try Self.send(second)
        try Self.sync()
        #expect(try Self.journal(["EXTRAVASD_ALERT_ID=\(first.id)"]).count == 2, "sent twice")

        let json = try await Self.alerts(["--patient", mrn, "--format", "json"], config: config)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try Self.ids(json) == [first.id, second.id], "each id once, newest last")
        let line = try #require(json.text.split(separator: "\n").first.map(String.init))
        // The keys in the contract's order, and no others.
        let positions = Self.contractKeys.map { line.range(of: "\"\($0)\": ")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(line)")
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! }, "\(line)")
        let object = try #require(try Self.objects(json).first)
        #expect(object.count == Self.contractKeys.count)
        #expect(object["patient"] as? String == mrn)
        #expect(object["signs"] as? [String] == ["erythema", "pain"])
        #expect(object["risk_factors"] as? [String] == ["infant", "renal_failure"])
        #expect(line.contains("\"infusion_active\": true, "), "a JSON boolean")
        #expect(object["observed_site"] is NSNull)
        #expect(object["acknowledged"] as? Bool == false)
        #expect(object["ack_trusted"] is NSNull && object["ack_by"] is NSNull)

        let table = try await Self.alerts(["--patient", mrn], config: config)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(table.text)")
        #expect(!table.text.contains("\u{1B}"), "no colour when stdout is no terminal")
        // Each id whole, once, on the line under its alert.
        for (alert, site) in [(first, "left-heel"), (second, "right-antecubital-fossa")] {
            let index = try #require(lines.firstIndex { $0.hasPrefix("  \(alert.id)  ") }, "\(table.text)")
            #expect(lines.filter { $0.contains(alert.id) }.count == 1)
            let row = lines[index - 1]
            #expect(row.hasPrefix(alert.severity.rawValue) && row.contains("suspected"))
            #expect(row.contains(site) && row.contains(mrn), "\(row)")
            #expect(lines[index].hasSuffix("UNACKED"))
        }
        #expect(lines.last == "2 alerts, 2 unacknowledged")
    }

    // MARK: Acknowledgements

    @Test(.enabled(if: getuid() == 0, "extravasd ack counts as trusted when run as root"))
    func anAcknowledgedAlertShowsWhoWhenAndTheDispositionInBothFormats() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let acked = Self.alert(Self.freshID(), patient: mrn)
        let open = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(acked)
        try Self.send(open)
        try Self.sync()
        let nurse = "RN " + String(UUID().uuidString.prefix(8))
        let ack = try await Executables.run(
            "extravasd", ["ack", acked.id, "--by", nurse, "--disposition", "infusion-stopped"],
            environment: Self.environment)
        #expect(ack.status == 0, "\(ack.stderr)")
        try Self.sync()

        let json = try await Self.alerts(["--patient", mrn, "--format", "json"], config: config)
        let objects = try Self.objects(json)
        let object = try #require(objects.first { $0["alert_id"] as? String == acked.id })
        #expect(object["acknowledged"] as? Bool == true)
        #expect(object["ack_trusted"] as? Bool == true)
        #expect(object["ack_by"] as? String == nurse)
        #expect(object["disposition"] as? String == "infusion-stopped")
        let at = try #require(object["ack_at"] as? String)
        #expect(
            at.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"#, options: .regularExpression)
                != nil)
        let openObject = try #require(objects.first { $0["alert_id"] as? String == open.id })
        #expect(openObject["acknowledged"] as? Bool == false)

        let table = try await Self.alerts(["--patient", mrn], config: config)
        let line = try #require(table.text.split(separator: "\n").first { $0.hasPrefix("  \(acked.id)") })
        #expect(
            line.contains(nurse) && line.contains("infusion-stopped") && !line.contains("UNACKED"), "\(line)")
        #expect(line.range(of: #" \d\d-\d\d \d\d:\d\d "#, options: .regularExpression) != nil, "\(line)")
        #expect(table.text.contains("2 alerts, 1 unacknowledged"))

        // --unacked leaves the acknowledged one out.
        let unacked = try await Self.alerts(
            ["--patient", mrn, "--format", "json", "--unacked"], config: config)
        #expect(try Self.ids(unacked) == [open.id])
    }

    @Test(
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/logger"),
            "writes as uid 65534 with setpriv and logger --journald (util-linux), as root"))
    func anAcknowledgementByAnUntrustedUIDIsMarkedAndDoesNotAcknowledge() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let alert = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(alert)
        try Self.sync()
        // The acknowledgement entry written by uid 65534 through journald's socket
        // (logger --journald sends the file's FIELD=value lines as one entry).
        let name = "Mallory " + String(UUID().uuidString.prefix(8))
        let fields = try scratch.write(
            "ack.txt",
            [
                "MESSAGE=extravasd: alert \(alert.id) acknowledged by \(name)",
                "MESSAGE_ID=\(Acknowledgement.messageID)", "PRIORITY=5", "SYSLOG_IDENTIFIER=extravasd",
                "EXTRAVASD_ALERT_ID=\(alert.id)", "EXTRAVASD_ACK_BY=\(name)",
                "EXTRAVASD_DISPOSITION=not-extravasation",
            ].joined(separator: "\n") + "\n")
        chmod(scratch.path, 0o755)
        chmod(fields, 0o644)
        let logger = try await Executables.run(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/logger", "--journald=\(fields)"])
        #expect(logger.status == 0, "\(logger.stderr)")
        let written = try Self.journal([
            "MESSAGE_ID=\(Acknowledgement.messageID)", "EXTRAVASD_ACK_BY=\(name)",
        ])
        #expect(written.count == 1)
        #expect(written.first?["_UID"] as? String == "65534", "journald's trusted _UID of the writer")

        let json = try await Self.alerts(["--patient", mrn, "--format", "json"], config: config)
        let object = try #require(try Self.objects(json).first)
        #expect(object["acknowledged"] as? Bool == false)
        #expect(object["ack_trusted"] as? Bool == false)
        #expect(object["ack_by"] as? String == name)
        #expect(object["disposition"] as? String == "not-extravasation")

        let table = try await Self.alerts(["--patient", mrn], config: config)
        // The acknowledgement beside the id, or under it when it does not fit in 80 columns.
        let lines = table.text.split(separator: "\n")
        let index = try #require(lines.firstIndex { $0.hasPrefix("  \(alert.id)") }, "\(table.text)")
        let acknowledgement = lines[index] + (index + 1 < lines.count ? lines[index + 1] : "")
        #expect(acknowledgement.contains("UNACKED untrusted: \(name)"), "\(table.text)")
        #expect(acknowledgement.contains("not-extravasation"), "\(table.text)")
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(table.text.contains("1 alert, 1 unacknowledged"))
        // Still unacknowledged for --unacked.
        let unacked = try await Self.alerts(
            ["--patient", mrn, "--format", "json", "--unacked"], config: config)
        #expect(try Self.ids(unacked) == [alert.id])
    }

    // MARK: Filters

    /// `microseconds` since the epoch as ISO 8601 in UTC with a fraction.
    static func iso(_ microseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let seconds = microseconds / 1_000_000
        let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let fraction = String(microseconds % 1_000_000)
        return String(text.dropLast()) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
            + "Z"
    }

    /// The time an alert was first written: a resend inside the range does not bring an
    /// older alert in.
    @Test func sinceAndUntilBoundTheTimeWrittenIncludingRelativeTimes() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let early = Self.alert(Self.freshID(), patient: mrn)
        let late = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(early)
        try Self.sync()
        try await Task.sleep(for: .milliseconds(60))
        try Self.send(late)
        try Self.send(early)  // resent: written before `between` all the same
        let between = (try Self.writtenAt(early.id) + (try Self.writtenAt(late.id))) / 2
        let json = ["--patient", mrn, "--format", "json"]
        #expect(
            try Self.ids(try await Self.alerts(json + ["--since", Self.iso(between)], config: config)) == [
                late.id
            ])
        #expect(
            try Self.ids(try await Self.alerts(json + ["--until", Self.iso(between)], config: config)) == [
                early.id
            ])
        #expect(
            try Self.ids(try await Self.alerts(json + ["--since", "-1h", "--until", "now"], config: config))
                == [early.id, late.id])
        #expect(try Self.ids(try await Self.alerts(json + ["--until", "-1h"], config: config)).isEmpty)
        #expect(
            try Self.ids(try await Self.alerts(json + ["--since", "yesterday"], config: config)) == [
                early.id, late.id,
            ])
        let wrong = try await Self.alerts(json + ["--since", "yesterdy"], config: config)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("'yesterdy' is not a time"), "\(wrong.stderr)")
    }

    @Test func patientUnderIdentifiersAndPseudonymizedAndMinimal() async throws {
        // identifiers: the MRN as written.
        let (plain, plainConfig) = try Self.configuration()
        defer { withExtendedLifetime(plain) {} }
        let mrn = Self.freshMRN()
        let alert = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(alert)
        // pseudonymized: the journal holds the pseudonym, --patient takes the MRN.
        let (pseudonymized, pseudonymizedConfig) = try Self.configuration(phi: "pseudonymized")
        defer { withExtendedLifetime(pseudonymized) {} }
        let key = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let keyPath = try pseudonymized.write("pseudonym.key", key)
        chmod(keyPath, 0o600)
        let privacy = PrivacyPolicy(mode: .pseudonymized, key: key)
        let hiddenMRN = Self.freshMRN()
        let hidden = Self.alert(Self.freshID(), patient: hiddenMRN)
        try Self.send(hidden, renderer: AlertRenderer(privacy: privacy))
        try Self.sync()
        let pseudonym = try #require(privacy.patient(hiddenMRN))
        #expect(
            try Self.journal(["EXTRAVASD_ALERT_ID=\(hidden.id)"]).first?["EXTRAVASD_PATIENT"] as? String
                == pseudonym)

        let json = ["--format", "json"]
        #expect(
            try Self.ids(try await Self.alerts(json + ["--patient", mrn], config: plainConfig)) == [alert.id])
        #expect(
            try Self.ids(try await Self.alerts(json + ["--patient", hiddenMRN], config: plainConfig)).isEmpty)
        let found = try await Self.alerts(json + ["--patient", hiddenMRN], config: pseudonymizedConfig)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(try Self.ids(found) == [hidden.id])
        #expect(try Self.objects(found).first?["patient"] as? String == pseudonym)
        #expect(!found.stderr.contains(hiddenMRN), "no MRN in messages")

        // A key file that cannot be read: 78 naming it.
        try FileManager.default.removeItem(atPath: keyPath)
        let noKey = try await Self.alerts(json + ["--patient", hiddenMRN], config: pseudonymizedConfig)
        #expect(noKey.status == 78)
        #expect(noKey.stderr.contains(keyPath), "\(noKey.stderr)")

        // minimal: a usage error that says why.
        let (minimal, minimalConfig) = try Self.configuration(phi: "minimal")
        defer { withExtendedLifetime(minimal) {} }
        let refused = try await Self.alerts(json + ["--patient", mrn], config: minimalConfig)
        #expect(refused.status == 64)
        #expect(
            refused.stderr.contains("phi: minimal") && refused.stderr.contains("no patient"),
            "\(refused.stderr)")
        #expect(!refused.stderr.contains(mrn), "no MRN in messages")
    }

    @Test func siteTakesCanonicalNamesCodesAndWords() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let left = Self.alert(Self.freshID(), patient: mrn, site: "left-heel")
        let right = Self.alert(Self.freshID(), patient: mrn, site: "right-heel")
        let foot = Self.alert(Self.freshID(), patient: mrn, site: "left-foot", observedSite: "left-heel")
        let arm = Self.alert(Self.freshID(), patient: mrn, site: "left-antecubital-fossa")
        for alert in [left, right, foot, arm] { try Self.send(alert) }
        try Self.sync()
        func ids(_ site: String) async throws -> [String] {
            try Self.ids(
                try await Self.alerts(["--patient", mrn, "--format", "json", "--site", site], config: config))
        }
        #expect(try await ids("left-heel") == [left.id, foot.id])
        #expect(try await ids("L heel") == [left.id, foot.id])
        #expect(try await ids("heel, left") == [left.id, foot.id])
        #expect(try await ids("Rt. heel") == [right.id])
        #expect(try await ids("heel") == [left.id, right.id, foot.id])
        #expect(try await ids("LACF") == [arm.id])
        #expect(try await ids("l antecubital") == [arm.id])
        let unknown = try await Self.alerts(["--patient", mrn, "--site", "elbow pit"], config: config)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("'elbow pit' names no known site"), "\(unknown.stderr)")
    }

    @Test func severityIsAMinimum() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let moderate = Self.alert(Self.freshID(), patient: mrn, severity: .moderate)
        let high = Self.alert(Self.freshID(), patient: mrn, severity: .high, kind: .extravasationEscalated)
        let critical = Self.alert(
            Self.freshID(), patient: mrn, severity: .critical, kind: .calcinosisSuspected)
        for alert in [moderate, high, critical] { try Self.send(alert) }
        try Self.sync()
        let json = ["--patient", mrn, "--format", "json"]
        #expect(
            try Self.ids(try await Self.alerts(json, config: config)) == [moderate.id, high.id, critical.id])
        #expect(
            try Self.ids(try await Self.alerts(json + ["--severity", "high"], config: config)) == [
                high.id, critical.id,
            ])
        #expect(
            try Self.ids(try await Self.alerts(json + ["--severity", "critical"], config: config)) == [
                critical.id
            ])
        #expect(try await Self.alerts(json + ["--severity", "severe"], config: config).status == 64)
    }

    @Test func replayedAlertsOnlyWithIncludeReplay() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let replayed = Self.alert(Self.freshID(), patient: mrn)
        let live = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(replayed, replay: true)
        try Self.send(live)
        try Self.sync()
        let json = ["--patient", mrn, "--format", "json"]
        #expect(try Self.ids(try await Self.alerts(json, config: config)) == [live.id])
        #expect(
            try Self.ids(try await Self.alerts(json + ["--include-replay"], config: config)) == [
                replayed.id, live.id,
            ])
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
            "runs the command on a terminal with script (util-linux)"))
    func severityIsColouredOnATerminalUnlessNoColorIsSet() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        try Self.send(Self.alert(Self.freshID(), patient: mrn, severity: .critical))
        try Self.sync()
        let command = "\(Executables.directory)/extravasd alerts --config \(config) --patient \(mrn)"
        // script runs the command with stdout on a pseudo-terminal and copies what it wrote.
        let coloured = try await Executables.run(
            "/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], environment: Self.environment)
        #expect(coloured.status == 0, "\(coloured.stderr)")
        #expect(coloured.text.contains("\u{1B}[1;31mcritical\u{1B}[0m"), "\(coloured.text)")
        var environment = Self.environment
        environment["NO_COLOR"] = ""
        let plain = try await Executables.run(
            "/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], environment: environment)
        #expect(plain.status == 0, "\(plain.stderr)")
        // Only colour (SGR, ESC [ ... m) is left out; the progress line on stderr, which
        // shows when reading the journal takes long (a loaded machine), clears itself
        // with ESC [ K, which is no colour.
        let colour = try Regex("\u{1B}\\[[0-9;]*m")
        #expect(
            plain.text.contains("critical  suspected") && !plain.text.contains(colour), "\(plain.text)")
    }

    // MARK: Journal files in a folder

    /// Copies the journal files journald wrote to since `start` (the active one
    /// included) into `folder`.
    static func copyJournalFiles(to folder: String, since start: Date) throws {
        try sync()
        let root = "/run/log/journal"
        let machines = try FileManager.default.contentsOfDirectory(atPath: root)
        for machine in machines {
            let directory = root + "/" + machine
            for name in try FileManager.default.contentsOfDirectory(atPath: directory)
            where name.hasSuffix(".journal") || name.hasSuffix(".journal~") {
                let path = directory + "/" + name
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                guard let modified = attributes[.modificationDate] as? Date,
                    modified >= start.addingTimeInterval(-5)
                else { continue }
                let target = folder + "/" + machine + "-" + name
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: path, toPath: target)
            }
        }
    }

    @Test(
        .enabled(
            if: (try? FileManager.default.contentsOfDirectory(atPath: "/run/log/journal"))?.isEmpty == false,
            "the journal files are under /run/log/journal (a standalone journald, Storage=volatile)"))
    func journalFilesCopiedToAFolderAreReadWithDirectory() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let start = Date()
        let mrn = Self.freshMRN()
        let alert = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(alert)
        let folder = scratch.path + "/journal"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Journald may rotate or be writing while a file is copied: copy again when the
        // copy does not hold the entry yet.
        var output: Executables.Output?
        for _ in 0..<3 {
            try Self.copyJournalFiles(to: folder, since: start)
            let run = try await Self.alerts(
                ["--directory", folder, "--patient", mrn, "--format", "json"], config: config)
            output = run
            if run.status == 0, try Self.ids(run) == [alert.id] { break }
        }
        let found = try #require(output)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(try Self.ids(found) == [alert.id])
        // What the folder holds, not the system journal: an alert written after the copy
        // is not there.
        let later = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(later)
        try Self.sync()
        let copied = try await Self.alerts(
            ["--directory", folder, "--patient", mrn, "--format", "json"], config: config)
        #expect(try Self.ids(copied) == [alert.id])
        let live = try await Self.alerts(["--patient", mrn, "--format", "json"], config: config)
        #expect(try Self.ids(live) == [alert.id, later.id])

        let missing = try await Self.alerts(["--directory", scratch.path + "/absent"], config: config)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("absent"), "\(missing.stderr)")
    }

    /// Exported entries (`journalctl -o export`) turned back into a journal file by
    /// `systemd-journal-remote`, as a hospital would hand over a month of review: the
    /// alert once despite its resend, with its acknowledgement.
    @Test(
        .enabled(
            if: getuid() == 0
                && FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd-journal-remote"),
            "needs root (a trusted acknowledgement) and systemd-journal-remote (scripts/ensure-deps installs it)"
        ))
    func exportedJournalFilesAreReadWithDirectoryEachIdOnceWithItsAcknowledgement() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let alert = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(alert)
        try Self.send(alert)
        try Self.sync()
        let acked = try await Executables.run(
            "extravasd", ["ack", alert.id, "--by", "RN Export", "--disposition", "infusion-stopped"])
        #expect(acked.status == 0, "\(acked.stderr)")
        try Self.sync()
        let exported = try await Executables.run(
            "/usr/bin/journalctl", ["-o", "export", "--no-pager", "EXTRAVASD_ALERT_ID=\(alert.id)"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let export = try scratch.write("entries.export", [UInt8](exported.stdout))
        let folder = scratch.path + "/exported"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let written = try await Executables.run(
            "/lib/systemd/systemd-journal-remote", ["--output=\(folder)/remote.journal", export])
        #expect(written.status == 0, "\(written.stderr)")

        let json = try await Self.alerts(["--directory", folder, "--format", "json"], config: config)
        #expect(json.status == 0, "\(json.stderr)")
        let rows = try Self.objects(json)
        #expect(rows.count == 1, "\(json.text)")
        #expect(rows.first?["alert_id"] as? String == alert.id)
        #expect(rows.first?["acknowledged"] as? Bool == true)
        #expect(rows.first?["ack_by"] as? String == "RN Export")
        #expect(rows.first?["disposition"] as? String == "infusion-stopped")
        let table = try await Self.alerts(["--directory", folder], config: config)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.text.contains(alert.id) && table.text.contains("RN Export"), "\(table.text)")
    }

    // MARK: --follow

    @Test(.enabled(if: getuid() == 0, "extravasd ack counts as trusted when run as root"))
    func followPrintsANewAlertWithinASecondThenItsAcknowledgementAndEndsOnSIGTERM() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let existing = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(existing)
        try Self.sync()
        let following = try FollowingProcess(
            ["alerts", "--config", config, "--follow", "--format", "json", "--patient", mrn],
            environment: Self.environment)
        defer { following.stop() }
        #expect(
            try await following.line(in: .stderr, timeout: .seconds(20)) {
                $0.contains("following the journal")
            }
                != nil, "ready: \(following.text(.stderr))")
        #expect(
            try await following.line(in: .stdout, timeout: .seconds(5)) { $0.contains(existing.id) } != nil,
            "the existing row")

        // Opened first: the moment the entry is readable is measured, not the opening.
        let reader = try await JournalReader()
        defer { reader.close() }
        let new = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(new)
        let readable = try await reader.firstEntry(
            matching: ["EXTRAVASD_ALERT_ID": new.id], timeout: .seconds(5))
        let readableAt = ContinuousClock.now
        #expect(readable != nil)
        let printed = try #require(
            try await following.line(in: .stdout, timeout: .seconds(5)) { $0.contains(new.id) },
            "the new alert is printed: \(following.text(.stderr))")
        #expect(
            readableAt.duration(to: printed.at) < .seconds(1), "printed within a second of being readable")

        // The same entry again, then an acknowledgement: only the update is printed.
        try Self.send(new)
        let ack = try await Executables.run(
            "extravasd", ["ack", new.id, "--by", "RN Follow", "--disposition", "confirmed"],
            environment: Self.environment)
        #expect(ack.status == 0, "\(ack.stderr)")
        let update = try #require(
            try await following.line(in: .stdout, timeout: .seconds(5)) {
                $0.contains(new.id) && $0.contains("\"acknowledged\": true")
            }, "the acknowledgement is printed")
        #expect(update.text.contains("\"ack_by\": \"RN Follow\""))
        try await Task.sleep(for: .milliseconds(300))
        let newLines = following.lines(.stdout).filter { $0.text.contains(new.id) }
        #expect(newLines.count == 2, "the alert, then its update: \(newLines.map(\.text))")
        #expect(following.lines(.stdout).filter { $0.text.contains(existing.id) }.count == 1)

        following.signal(SIGTERM)
        #expect(try await following.exitStatus(timeout: .seconds(5)) == 0)
    }

    @Test(.enabled(if: getuid() == 0, "extravasd ack counts as trusted when run as root"))
    func followInATablePrintsAnUpdateLineAndEndsOnSIGINT() async throws {
        let (scratch, config) = try Self.configuration()
        defer { withExtendedLifetime(scratch) {} }
        let mrn = Self.freshMRN()
        let alert = Self.alert(Self.freshID(), patient: mrn)
        try Self.send(alert)
        try Self.sync()
        let following = try FollowingProcess(
            ["alerts", "--config", config, "--follow", "--patient", mrn], environment: Self.environment)
        defer { following.stop() }
        #expect(
            try await following.line(in: .stderr, timeout: .seconds(20)) {
                $0.contains("following the journal")
            }
                != nil, "ready: \(following.text(.stderr))")
        #expect(
            try await following.line(in: .stdout, timeout: .seconds(5)) { $0 == "1 alert, 1 unacknowledged" }
                != nil,
            "the summary: \(following.text(.stdout))")
        #expect(following.lines(.stdout).contains { $0.text == "  \(alert.id)  UNACKED" })
        let ack = try await Executables.run(
            "extravasd", ["ack", alert.id, "--by", "RN Table", "--disposition", "other"],
            environment: Self.environment)
        #expect(ack.status == 0, "\(ack.stderr)")
        let update = try #require(
            try await following.line(in: .stdout, timeout: .seconds(5)) {
                $0.hasPrefix("updated \(alert.id)")
            },
            "an update line: \(following.text(.stdout))")
        #expect(update.text.contains("RN Table") && update.text.contains("other"))
        following.signal(SIGINT)
        #expect(try await following.exitStatus(timeout: .seconds(5)) == 0)
    }
}

/// A command running in the background, its output lines collected as they arrive,
/// each with the time it was read.
final class FollowingProcess: @unchecked Sendable {
    enum Stream { case stdout, stderr }
    struct Line {
        var text: String
        var at: ContinuousClock.Instant
    }

    private let process = Process()
    private let lock = NSLock()
    private var collected: [Stream: [Line]] = [.stdout: [], .stderr: []]

    /// Starts `extravasd` with `arguments`.
    init(_ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: Executables.directory + "/extravasd")
        process.arguments = arguments
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        for (stream, pipe) in [(Stream.stdout, out), (.stderr, err)] {
            let handle = pipe.fileHandleForReading
            Thread { [self] in
                var pending = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: 0x0A) {
                        let text = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex...newline)
                        let line = Line(text: text, at: .now)
                        lock.withLock { collected[stream, default: []].append(line) }
                    }
                }
            }.start()
        }
    }

    func lines(_ stream: Stream) -> [Line] { lock.withLock { collected[stream] ?? [] } }

    func text(_ stream: Stream) -> String { lines(stream).map(\.text).joined(separator: "\n") }

    /// The first line of `stream` satisfying `predicate`, waiting up to `timeout`.
    func line(in stream: Stream, timeout: Duration, where predicate: (String) -> Bool) async throws -> Line? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = lines(stream).first(where: { predicate($0.text) }) { return line }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status once the process ended, `nil` if it has not within `timeout`.
    func exitStatus(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Kills the process if it still runs.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
