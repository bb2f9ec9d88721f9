import Foundation
import Testing

/// DESIGN.md section 8 through the commands, as real processes: the PHI key file, what
/// replay prints under each policy, the 80-character cap on quoted input, and the
/// warnings about settings that do nothing yet.
@Suite("PHI key and policy in the commands")
struct PHICommandTests {
    /// A configuration asking for `phi` in a fresh folder, and the key file's path beside it.
    static func configuration(phi: String, extra: String = "") throws -> (
        ScratchDirectory, config: String, key: String
    ) {
        let scratch = try ScratchDirectory()
        let config = try scratch.write(
            "extravasd.yaml",
            "feeds:\n  files: []\nstate_directory: \(scratch.path)/state\nphi: \(phi)\n\(extra)")
        return (scratch, config, scratch.path + "/pseudonym.key")
    }

    static func writeKey(_ path: String, bytes: Int, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        let key = (0..<bytes).map { _ in UInt8.random(in: 0...255) }
        _ = key.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        fchmod(descriptor, mode)
        close(descriptor)
    }

    enum KeyFault: String, CaseIterable, CustomTestStringConvertible {
        case missing, short, openToOthers
        var testDescription: String { rawValue }
        /// What the error says.
        var reason: String {
            switch self {
            case .missing: return "needs the key file"
            case .short: return "needs a key of at least 32 bytes"
            case .openToOthers: return "mode 0644"
            }
        }
    }

    @Test(
        "a missing, 31-byte or group/other-readable key file is a configuration error (78) in check-config, replay and run",
        arguments: ["pseudonymized", "minimal"], KeyFault.allCases)
    func keyFileFaultsExit78AtThePHISetting(phi: String, fault: KeyFault) async throws {
        let (scratch, config, key) = try Self.configuration(phi: phi)
        defer { withExtendedLifetime(scratch) {} }
        switch fault {
        case .missing: break
        case .short: try Self.writeKey(key, bytes: 31, mode: 0o600)
        case .openToOthers: try Self.writeKey(key, bytes: 32, mode: 0o644)
        }
        let feed = try scratch.write(
            "feed.hl7", try String(contentsOfFile: ReplayCommandTests.seedCase, encoding: .utf8))
        for arguments in [["check-config"], ["replay", feed], ["run"]] {
            var environment = ProcessInfo.processInfo.environment
            environment["NOTIFY_SOCKET"] = nil
            // `timeout`: a daemon that accepts the key would run until stopped.
            let output = try await Executables.run(
                "/usr/bin/timeout",
                ["-s", "KILL", "30", Executables.directory + "/extravasd", arguments[0], "--config", config]
                    + arguments.dropFirst(), environment: environment)
            #expect(output.status == 78, "\(arguments[0]): \(output.stderr)")
            // At the `phi` value (line 4, column 6), naming the key file and what is wrong.
            let line = output.stderr.split(separator: "\n").first { $0.contains(": error: ") } ?? ""
            #expect(
                line.hasPrefix("\(config):4:6: error: 'phi: \(phi)'"), "\(arguments[0]): \(output.stderr)")
            #expect(line.contains(key) && line.contains(fault.reason), "\(arguments[0]): \(line)")
        }
    }

    /// With a POSIX ACL the mode's group bits are the ACL mask: an entry for another user
    /// or a group is refused; one for the reading user itself (systemd's credential
    /// files may carry one for the service's user) is not.
    @Test(
        .enabled(
            if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setfacl"),
            "needs root and setfacl (Debian acl, installed by .ci/run)"))
    func aKeyOpenToAnotherUserByAnACLIsRefusedAndOneForItsReaderIsNot() async throws {
        let (scratch, config, key) = try Self.configuration(phi: "minimal")
        defer { withExtendedLifetime(scratch) {} }
        try Self.writeKey(key, bytes: 32, mode: 0o600)
        for (entry, status) in [("u:nobody:r", Int32(78)), ("g:nogroup:r", 78), ("u:root:r", 0)] {
            _ = try await Executables.run("/usr/bin/setfacl", ["-b", key])
            let set = try await Executables.run("/usr/bin/setfacl", ["-m", entry, key])
            #expect(set.status == 0, "\(set.stderr)")
            let output = try await Executables.run("extravasd", ["check-config", "--config", config])
            #expect(output.status == status, "\(entry): \(output.stderr)")
            if status != 0 { #expect(output.stderr.contains("by its ACL"), "\(entry): \(output.stderr)") }
        }
    }

    /// DESIGN.md section 5: the review group may read the key (`alerts --patient` under
    /// `pseudonymized`), read-only; any other group may not. The test uses `daemon`
    /// (gid 1 on Debian) as the review group.
    @Test(.enabled(if: getuid() == 0, "needs root to give the key file another group"))
    func theReviewGroupMayReadTheKeyAndNoOtherGroupMay() async throws {
        let cases: [(group: String, mode: mode_t, status: Int32)] = [
            ("daemon", 0o640, 0), ("extravasd-review", 0o640, 78), ("daemon", 0o660, 78),
            ("daemon", 0o644, 78),
        ]
        for (reviewGroup, mode, status) in cases {
            let (scratch, config, key) = try Self.configuration(
                phi: "pseudonymized", extra: "review:\n  group: \(reviewGroup)\n")
            defer { withExtendedLifetime(scratch) {} }
            try Self.writeKey(key, bytes: 32, mode: mode)
            #expect(chown(key, 0, 1) == 0)
            let output = try await Executables.run("extravasd", ["check-config", "--config", config])
            #expect(output.status == status, "\(reviewGroup) \(String(mode, radix: 8)): \(output.stderr)")
            if status != 0 { #expect(output.stderr.contains("review group '\(reviewGroup)' read-only")) }
        }
    }

    @Test func aPrivateKeyOf32BytesIsAccepted() async throws {
        let (scratch, config, key) = try Self.configuration(phi: "minimal")
        defer { withExtendedLifetime(scratch) {} }
        try Self.writeKey(key, bytes: 32, mode: 0o600)
        let output = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.text.contains("phi minimal"))
    }

    /// Replay of the seed case under `phi`, JSON lines and text.
    static func replay(phi: String) async throws -> (
        json: [String: Any], jsonText: String, text: String, stderr: String
    ) {
        let (scratch, config, key) = try Self.configuration(phi: phi)
        defer { withExtendedLifetime(scratch) {} }
        try Self.writeKey(key, bytes: 32, mode: 0o600)
        let seedCase = try String(contentsOfFile: ReplayCommandTests.seedCase, encoding: .utf8)
        // A malformed message whose broken fields hold the identifiers, after the case.
        let malformed =
            "MSH|^~\\&|NURSING|CHILDRENS|EXTRAVASD|CHILDRENS|2026X4455||ORU^R01|SEED0099|P|2.5.1\r"
            + "PID|1||4455^^^CHILDRENS^MR\rPV1|1|I|PICU^12^A||||||||||||||||V778899^^^CHILDRENS^VN\r"
        let feed = try scratch.write("feed.hl7", seedCase + malformed)
        let jsonl = try await Executables.run(
            "extravasd", ["replay", "--config", config, "--format", "jsonl", feed])
        let text = try await Executables.run(
            "extravasd", ["replay", "--config", config, "--format", "text", feed])
        #expect(jsonl.status == 0 && text.status == 0, "\(jsonl.stderr)")
        let line = try #require(jsonl.text.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return (object, jsonl.text, text.text, jsonl.stderr + text.stderr)
    }

    @Test func replayUnderEachPolicyShowsOnlyWhatItLetsOut() async throws {
        let identifiers = try await Self.replay(phi: "identifiers")
        #expect(identifiers.json["patient"] as? String == "4455")
        #expect(identifiers.json["visit"] as? String == "V778899")
        #expect(identifiers.json["order"] as? String == "7001")
        #expect(identifiers.json["control_id"] as? String == "SEED0005")
        #expect(identifiers.text.contains("patient 4455") && identifiers.text.contains("(order 7001)"))
        let plainID = try #require(identifiers.json["alert_id"] as? String)

        let pseudonymized = try await Self.replay(phi: "pseudonymized")
        #expect((pseudonymized.json["patient"] as? String)?.hasPrefix("p-") == true)
        #expect((pseudonymized.json["visit"] as? String)?.hasPrefix("p-") == true)
        for secret in ["4455", "V778899"] {
            let all = pseudonymized.jsonText + pseudonymized.text + pseudonymized.stderr
            #expect(!all.contains(secret), "\(secret) under pseudonymized")
        }
        #expect(pseudonymized.json["alert_id"] as? String != plainID, "keyed alert id")

        let minimal = try await Self.replay(phi: "minimal")
        for key in ["patient", "visit", "order", "control_id"] {
            #expect(minimal.json[key] is NSNull, "\(key) is null under minimal")
        }
        #expect(minimal.json["location"] as? String == "PICU/12/A")
        for secret in ["4455", "V778899", "7001", "SEED00"] {
            #expect(
                !(minimal.jsonText + minimal.text + minimal.stderr).contains(secret),
                "\(secret) under minimal")
        }
        #expect(minimal.text.contains("in PICU/12/A"))
        #expect(minimal.json["alert_id"] as? String != plainID, "keyed alert id")
    }

    @Test func aCatalogPathAtABigNonYAMLFileQuotesAtMost80CharactersOfIt() async throws {
        let scratch = try ScratchDirectory()
        // 200 KB of notes, one YAML scalar: the old message printed all of it.
        let notes = (0..<3000).map { "note \($0) the patient was seen on the ward and nothing was changed" }
        _ = try scratch.write("notes.txt", notes.joined(separator: "\n") + "\nEND-OF-NOTES-MARKER\n")
        let config = try scratch.write("extravasd.yaml", "feeds:\n  files: []\ncatalogs: [notes.txt]\n")
        let output = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(output.status == 78)
        #expect(
            output.stderr.contains("\(scratch.path)/notes.txt:1:1: error: "), "\(output.stderr.prefix(300))")
        #expect(!output.stderr.contains("END-OF-NOTES-MARKER"))
        #expect(output.stderr.count < 400, "\(output.stderr.count) characters: \(output.stderr.prefix(300))")
        // The quote itself: 80 characters, an ellipsis, and the length.
        let quoted = output.stderr.components(separatedBy: "not the text '").dropFirst().first?
            .components(separatedBy: "…'").first
        #expect(quoted?.count == 80, "\(output.stderr)")
        #expect(output.stderr.contains("…' (\(notes.joined(separator: "\n").count + 20) characters)"))
    }

    @Test func aLongConfigurationValueIsQuotedAt80Characters() async throws {
        let scratch = try ScratchDirectory()
        let value = String(repeating: "x", count: 5000)
        let config = try scratch.write(
            "extravasd.yaml", "feeds:\n  files: []\ntimezone: \(value)\nphi: \(value)\n")
        let output = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(output.status == 78)
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            #expect(!line.contains(String(repeating: "x", count: 81)), "\(line.prefix(200))")
            #expect(line.contains(String(repeating: "x", count: 80) + "…'"), "\(line.prefix(200))")
        }
    }

    @Test func aQuotedValueStaysOnOneLine() async throws {
        let scratch = try ScratchDirectory()
        let config = try scratch.write(
            "extravasd.yaml", "feeds:\n  files: []\ntimezone: \"Mars\\nPID|1||4455\"\n")
        let output = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(output.status == 78)
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(output.stderr.contains("'Mars\\nPID|1||4455' is not known"), "\(output.stderr)")
    }

    @Test func checkConfigTakesMLLPAndRemindersWithoutWarnings() async throws {
        let (scratch, config, _) = try Self.configuration(
            phi: "identifiers", extra: "mllp:\n  enabled: true\nreminders:\n  after_minutes: 0.5\n")
        defer { withExtendedLifetime(scratch) {} }
        let output = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.isEmpty, "MLLP is implemented: no warning: \(output.stderr)")
        #expect(output.text.contains("mllp on 127.0.0.1:2575"), "\(output.text)")

        // Without them: no warning.
        let (quietScratch, quiet, _) = try Self.configuration(
            phi: "identifiers", extra: "mllp:\n  enabled: false\n")
        defer { withExtendedLifetime(quietScratch) {} }
        let plain = try await Executables.run("extravasd", ["check-config", "--config", quiet])
        #expect(plain.status == 0)
        #expect(plain.stderr.isEmpty, "\(plain.stderr)")
        #expect(plain.text.contains("mllp off"))
    }
}
