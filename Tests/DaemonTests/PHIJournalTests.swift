import Foundation
import Journal
import Testing

/// DESIGN.md sections 5 and 8, against the real daemon and the real journald: under each
/// PHI policy, every field of every entry `extravasd run` writes (alert, malformed
/// messages, feed events, lifecycle) and its stderr carry only what the policy lets out.
@Suite(
    "PHI policy in the journal",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct PHIJournalTests {
    @Test func identifiersPutMRNVisitOrderAndControlIDInTheAlert() async throws {
        let run = try await PHIDaemonRun.make(phi: "identifiers")
        let alert = try #require(run.alerts.first)
        #expect(alert["EXTRAVASD_PATIENT"] == run.case.mrn)
        #expect(alert["EXTRAVASD_VISIT"] == run.case.visit)
        #expect(alert["EXTRAVASD_ORDER"] == run.case.order)
        #expect(alert["EXTRAVASD_CONTROL_ID"] == run.case.controlIDs[4])
        #expect(alert["MESSAGE"]?.contains("patient \(run.case.mrn)") == true)
        // The search below finds what it looks for (so that its silence elsewhere means something).
        #expect(!run.fieldsHolding(run.case.mrn).isEmpty)
        #expect(alert["EXTRAVASD_ALERT_ID"] == run.replayedAlertID(phi: "identifiers"))
    }

    @Test func pseudonymizedLeavesNoMRNOrVisitInAnyFieldAndKeysTheAlertID() async throws {
        let run = try await PHIDaemonRun.make(phi: "pseudonymized")
        let alert = try #require(run.alerts.first)
        for secret in [run.case.mrn, run.case.visit] {
            #expect(run.fieldsHolding(secret).isEmpty, "\(secret) in \(run.fieldsHolding(secret))")
            #expect(!run.standardError.contains(secret))
        }
        #expect(alert["EXTRAVASD_PATIENT"]?.hasPrefix("p-") == true)
        #expect(alert["EXTRAVASD_VISIT"]?.hasPrefix("p-") == true)
        #expect(alert["EXTRAVASD_LOCATION"]?.hasPrefix("p-") == true)
        let id = try #require(alert["EXTRAVASD_ALERT_ID"])
        #expect(id != run.replayedAlertID(phi: "identifiers"), "an unkeyed id can be found by hashing MRNs")
        #expect(id == run.replayedAlertID(phi: "pseudonymized"), "replay and daemon agree")
    }

    @Test func minimalLeavesNoMRNVisitOrderOrControlIDAnywhereAndKeepsTheLocation() async throws {
        let run = try await PHIDaemonRun.make(phi: "minimal")
        let alert = try #require(run.alerts.first)
        for secret in run.case.secrets {
            #expect(run.fieldsHolding(secret).isEmpty, "\(secret) in \(run.fieldsHolding(secret))")
            #expect(!run.standardError.contains(secret), "\(secret) on stderr")
        }
        for withheld in ["EXTRAVASD_PATIENT", "EXTRAVASD_VISIT", "EXTRAVASD_ORDER", "EXTRAVASD_CONTROL_ID"] {
            #expect(alert[withheld] == nil, "\(withheld) is omitted")
        }
        #expect(alert["EXTRAVASD_LOCATION"] == "PICU/12/A")
        #expect(alert["MESSAGE"]?.hasSuffix(" - in PICU/12/A") == true, "\(alert["MESSAGE"] ?? "")")
        let id = try #require(alert["EXTRAVASD_ALERT_ID"])
        #expect(id != run.replayedAlertID(phi: "identifiers"), "an unkeyed id can be found by hashing MRNs")
        #expect(id == run.replayedAlertID(phi: "minimal"), "replay and daemon agree")
    }

    @Test func aReloadWithACatalogAtABigNonYAMLFileQuotesAtMost80CharactersOfItInTheJournal() async throws {
        let harness = try DaemonHarness()
        try harness.start()
        let pid = try #require(harness.process?.processIdentifier)
        #expect(await harness.waitForNotification("READY=1"))
        let notes = (0..<3000).map { "note \($0) the patient was seen on the ward and nothing was changed" }
        try (notes.joined(separator: "\n") + "\nEND-OF-NOTES-MARKER\n")
            .write(toFile: harness.directory + "/notes.txt", atomically: true, encoding: .utf8)
        try "feeds:\n  files: []\nstate_directory: \(harness.directory)/state\ncatalogs: [notes.txt]\n"
            .write(toFile: harness.config, atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        let failed = try #require(
            try await eventually {
                try PHIDaemonRun.journalEntries(pid: pid, since: harness.createdAt)
                    .first { $0["EXTRAVASD_EVENT"] == "reload_failed" }
            })
        #expect(harness.stop() == 0)
        for name in ["MESSAGE", "EXTRAVASD_REASON"] {
            let value = failed[name] ?? ""
            #expect(
                value.contains(
                    "notes.txt:1:1: error: the file must be a mapping of keys, not the text 'note 0"))
            #expect(
                !value.contains("END-OF-NOTES-MARKER") && !value.contains("note 2 "),
                "\(name)=\(value.prefix(300))")
            #expect(value.count < 500, "\(name) has \(value.count) characters")
        }
    }

    @Test func runWithMLLPAndRemindersWarnsOfNothing() async throws {
        let harness = try DaemonHarness()
        try """
        feeds:
          files: ["\(harness.directory)/spool/*.hl7"]
        state_directory: \(harness.directory)/state
        mllp:
          enabled: true
          listen: "127.0.0.1:\(try MLLPClient.freePort())"
        reminders:
          after_minutes: 5

        """.write(toFile: harness.config, atomically: true, encoding: .utf8)
        try harness.start()
        let pid = try #require(harness.process?.processIdentifier)
        #expect(await harness.waitForNotification("READY=1"))
        kill(pid, SIGHUP)
        _ = try await eventually {
            try PHIDaemonRun.journalEntries(pid: pid, since: harness.createdAt)
                .contains { $0["EXTRAVASD_EVENT"] == "reloaded" } ? true : nil
        }
        #expect(harness.stop() == 0)
        let entries = try PHIDaemonRun.journalEntries(pid: pid, since: harness.createdAt)
        let warnings = entries.filter { $0["MESSAGE"]?.contains(": warning: ") == true }
        #expect(
            warnings.isEmpty, "MLLP and reminders are implemented: \(warnings.map { $0["MESSAGE"] ?? "" })")
        #expect(entries.contains { $0["EXTRAVASD_EVENT"] == "mllp_listening" })
    }
}

/// A patient case whose identifiers are unique to one test: the seed case with a fresh
/// MRN, visit, order number and control ids, then malformed messages that carry them
/// in the fields they break.
struct PHICase {
    let mrn: String
    let visit: String
    let order: String
    /// MSH-10 of each message, in order.
    let controlIDs: [String]

    init() {
        func token(_ prefix: String) -> String {
            prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)
        }
        mrn = token("MRN")
        visit = token("VIS")
        order = token("ORD")
        let control = token("CTL")
        controlIDs = (1...10).map { "\(control)\($0)" }
    }

    /// What `minimal` never lets out.
    var secrets: [String] { [mrn, visit, order] + controlIDs }

    /// The seed case (alert at its 5th message), renamed.
    var seedCase: [UInt8] {
        var text = (try? String(contentsOfFile: DaemonTests.seedCase, encoding: .utf8)) ?? ""
        text = text.replacingOccurrences(of: "4455^^^CHILDRENS^MR", with: "\(mrn)^^^CHILDRENS^MR")
            .replacingOccurrences(of: "V778899^", with: "\(visit)^")
            .replacingOccurrences(of: "7001^PHARMACY", with: "\(order)^PHARMACY")
        for index in 1...7 {
            text = text.replacingOccurrences(of: "|SEED000\(index)|", with: "|\(controlIDs[index - 1])|")
        }
        return Array(text.utf8)
    }

    /// Three malformed messages, each breaking a field with an identifier in it: a bad
    /// MSH-7 holding the MRN, a bad OBX-14 holding the visit, and an MSH-2 holding the
    /// order number (a read error).
    var malformed: [UInt8] {
        let pid = "PID|1||\(mrn)^^^CHILDRENS^MR||DOE^JANE||20241005|F\r"
        let pv1 = "PV1|1|I|PICU^12^A||||||||||||||||\(visit)^^^CHILDRENS^VN\r"
        let text =
            "MSH|^~\\&|NURSING|CHILDRENS|EXTRAVASD|CHILDRENS|2026X\(mrn)||ORU^R01^ORU_R01|\(controlIDs[7])|P|2.5.1\r"
            + pid + pv1 + "OBR|1|N9100||IVASSESS^Peripheral IV site assessment^L|||20260305150000\r"
            + "OBX|1|CWE|ERYTHEMA^Erythema at IV site^L|1|N^No^HL70136||||||F|||20260305150000\r"
            + "MSH|^~\\&|NURSING|CHILDRENS|EXTRAVASD|CHILDRENS|20260305151000||ORU^R01^ORU_R01|\(controlIDs[8])|P|2.5.1\r"
            + pid + pv1 + "OBR|1|N9101||IVASSESS^Peripheral IV site assessment^L|||20260305150000\r"
            + "OBX|1|CWE|ERYTHEMA^Erythema at IV site^L|1|N^No^HL70136||||||F|||X\(visit)\r"
            + "MSH|^~\\&\(order)|PHARMACY|CHILDRENS|EXTRAVASD|CHILDRENS|20260305152000||RDE^O11|\(controlIDs[9])|P\r"
            + pid
        return Array(text.utf8)
    }

    /// An ADT for the same patient (written to the new file after a rotation).
    var transfer: [UInt8] {
        Array(
            ("MSH|^~\\&|ADT|CHILDRENS|EXTRAVASD|CHILDRENS|20260305160000||ADT^A08^ADT_A01|\(controlIDs[6])X|P|2.5.1\r"
                + "PID|1||\(mrn)^^^CHILDRENS^MR||DOE^JANE||20241005|F\r"
                + "PV1|1|I|PICU^12^A||||||||||||||||\(visit)^^^CHILDRENS^VN\r").utf8)
    }
}

/// One run of `extravasd run` under a PHI policy: the case appended (alert, malformed
/// messages), the feed rotated (feed events), a reload and a stop (lifecycle); then every
/// journal entry of that process (by journald's trusted `_PID`) and its stderr.
struct PHIDaemonRun {
    let `case`: PHICase
    let harness: DaemonHarness
    /// Every entry the daemon wrote: every field, as text.
    let entries: [[String: String]]
    let standardError: String

    var alerts: [[String: String]] { entries.filter { $0["EXTRAVASD_ALERT_ID"] != nil } }

    /// `NAME=value` of every field (of any entry) whose value contains `text`.
    func fieldsHolding(_ text: String) -> [String] {
        entries.flatMap { entry in entry.filter { $0.value.contains(text) }.map { "\($0.key)=\($0.value)" } }
    }

    static func make(phi: String) async throws -> PHIDaemonRun {
        let phiCase = PHICase()
        let harness = try DaemonHarness()
        try PHIKeyFile.write(beside: harness.config)
        try writeConfiguration(harness, phi: phi)
        let errors = harness.directory + "/stderr.txt"
        FileManager.default.createFile(atPath: errors, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonHarness.binary)
        process.arguments = ["run", "--config", harness.config]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = harness.notifySocket
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errors)
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let pid = process.processIdentifier
        #expect(await harness.waitForNotification("READY=1"))

        try harness.append(phiCase.seedCase + phiCase.malformed)
        let written = try #require(
            try await eventually {
                let entries = try journalEntries(pid: pid, since: harness.createdAt)
                let malformed = entries.filter { $0["MESSAGE_ID"] == "a722fa1c55da4811baa2bbfc9aeddd10" }
                return entries.contains { $0["EXTRAVASD_ALERT_ID"] != nil } && malformed.count >= 3
                    ? entries : nil
            }, "the alert and 3 malformed-message entries")
        #expect(written.filter { $0["EXTRAVASD_ALERT_ID"] != nil }.count == 1)

        // Feed events: the file rotated away, a new one at its path.
        #expect(rename(harness.feed, harness.feed + ".1") == 0)
        try harness.append(phiCase.transfer)
        _ = try await eventually {
            try journalEntries(pid: pid, since: harness.createdAt).contains {
                $0["EXTRAVASD_EVENT"] == "rotated"
            }
                ? true : nil
        }
        // Lifecycle: a reload, then a stop.
        kill(pid, SIGHUP)
        _ = try await eventually {
            try journalEntries(pid: pid, since: harness.createdAt).contains {
                $0["EXTRAVASD_EVENT"] == "reloaded"
            }
                ? true : nil
        }
        kill(pid, SIGTERM)
        await waitForExit(process)
        #expect(process.terminationStatus == 0)

        let entries = try journalEntries(pid: pid, since: harness.createdAt)
        let events = Set(entries.compactMap { $0["EXTRAVASD_EVENT"] })
        for event in ["started", "ready", "opened", "rotated", "reloaded", "stopping"] {
            #expect(events.contains(event), "a \(event) entry was written: \(events.sorted())")
        }
        let standardError = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        return PHIDaemonRun(case: phiCase, harness: harness, entries: entries, standardError: standardError)
    }

    /// The configuration: the harness's feed folder, a short rotation grace, the policy.
    static func writeConfiguration(_ harness: DaemonHarness, phi: String) throws {
        try """
        feeds:
          files: ["\(harness.directory)/spool/*.hl7"]
          settle_ms: 100
          rotation_grace_ms: 200
        state_directory: \(harness.directory)/state
        phi: \(phi)

        """.write(toFile: harness.config, atomically: true, encoding: .utf8)
    }

    /// The alert id `extravasd replay` gives the case under `phi` (the same PHI key).
    func replayedAlertID(phi: String) -> String? {
        let folder = harness.directory + "/replay-\(phi)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = folder + "/extravasd.yaml"
        try? "feeds:\n  files: []\nphi: \(phi)\n".write(toFile: config, atomically: true, encoding: .utf8)
        try? FileManager.default.copyItem(
            atPath: harness.directory + "/pseudonym.key", toPath: folder + "/pseudonym.key")
        let feed = folder + "/case.hl7"
        FileManager.default.createFile(atPath: feed, contents: Data(`case`.seedCase))
        let output = try? DaemonHarness.shell(
            DaemonHarness.binary, ["replay", "--config", config, "--format", "jsonl", feed])
        let object = output?.split(separator: "\n").first.flatMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        return object?["alert_id"] as? String
    }

    /// Every entry journald holds from process `pid` since `since` (seconds), every field
    /// as text (a binary value, which `journalctl -o json` gives as an array of bytes, decoded).
    static func journalEntries(pid: Int32, since: Int) throws -> [[String: String]] {
        _ = try DaemonHarness.shell("/usr/bin/journalctl", ["--sync"])
        let output = try DaemonHarness.shell(
            "/usr/bin/journalctl",
            ["-o", "json", "--all", "--no-pager", "--since", "@\(since)", "_PID=\(pid)"])
        return output.split(separator: "\n").compactMap { line -> [String: String]? in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            else {
                return nil
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                if let text = value as? String {
                    fields[key] = text
                } else if let bytes = value as? [Int] {
                    fields[key] = String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
                } else if let values = value as? [Any] {
                    fields[key] = values.map { "\($0)" }.joined(separator: "\n")
                } else {
                    fields[key] = "\(value)"
                }
            }
            return fields
        }
    }

    /// Waits for a process to end without holding a thread of the cooperative pool.
    static func waitForExit(_ process: Process, timeout: Duration = .seconds(30)) async {
        _ = await eventually(timeout: timeout) { process.isRunning ? nil : true }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// The PHI key file beside a configuration file: 32 random bytes, mode 0600.
enum PHIKeyFile {
    static func write(beside config: String) throws {
        let path = URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent(
            "pseudonym.key"
        ).path
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        defer { close(descriptor) }
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        fchmod(descriptor, 0o600)
    }
}
