import Foundation
import Journal
import Testing

/// DESIGN.md section 8: the state directory (0700), the state database with its WAL and
/// SHM, the dead letters and `replay --state` files (0600) are private from the moment
/// they exist. Checked on the system calls themselves (`strace`): every `mkdir` of the
/// directory and every creating `open` under it asks for no more than that mode, and no
/// `chmod`/`fchmod` follows (a file created 0644 and tightened after was readable in
/// between).
@Suite(
    "State files are private from creation",
    .serialized,
    .enabled(if: StraceLog.canTrace, "needs strace (.ci/run installs it) and the right to ptrace")
)
struct StateFileModeTests {
    @Test(.enabled(if: JournalSocket.isAvailable(), "no journald listening (.ci/run starts one)"))
    func theDaemonCreatesItsStateDirectoryDatabaseAndDeadLettersPrivate() async throws {
        let harness = try DaemonHarness()
        let state = harness.directory + "/state"
        let log = harness.directory + "/strace"
        let strace = Process()
        strace.executableURL = URL(fileURLWithPath: StraceLog.strace)
        strace.arguments =
            StraceLog.arguments(output: log) + [DaemonHarness.binary, "run", "--config", harness.config]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = harness.notifySocket
        strace.environment = environment
        strace.standardOutput = FileHandle.nullDevice
        strace.standardError = FileHandle.nullDevice
        try strace.run()
        defer { if strace.isRunning { kill(strace.processIdentifier, SIGKILL) } }
        #expect(await harness.waitForNotification("READY=1", timeout: .seconds(60)))
        // An alert (outbox commits: WAL and SHM in use) and a malformed message (a dead letter).
        let mrn = "F" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(
            try DaemonTests.seedCaseFeed(mrn: mrn)
                + Array(
                    "MSH|^~\\&|NURSING|CHILDRENS|EXTRAVASD|CHILDRENS|2026X||ORU^R01|BAD1|P|2.5.1\rPID|1||\(mrn)\r"
                        .utf8))
        #expect(try await eventually(timeout: .seconds(60)) { try harness.journalAlerts().first } != nil)
        #expect(
            await eventually {
                FileManager.default.fileExists(atPath: state + "/dead-letters.hl7") ? true : nil
            } != nil)
        let daemon = try #require(StraceLog.child(of: strace.processIdentifier))
        kill(daemon, SIGTERM)
        await PHIDaemonRun.waitForExit(strace, timeout: .seconds(60))

        let calls = StraceLog.calls(prefix: log)
        StraceLog.expectPrivateCreation(calls, under: state)
        let created = Set(calls.filter { $0.creates }.map(\.path))
        for file in [
            "", "/extravasd.sqlite", "/extravasd.sqlite-wal", "/extravasd.sqlite-shm", "/dead-letters.hl7",
        ] {
            #expect(created.contains(state + file), "the trace shows \(state + file) being created")
        }
    }

    @Test func replayStateFilesAreCreatedPrivate() async throws {
        let harness = try DaemonHarness()
        let mrn = "S" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let folder = harness.directory + "/replay"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = harness.directory + "/strace"
        _ = try DaemonHarness.shell(
            StraceLog.strace,
            StraceLog.arguments(output: log) + [
                DaemonHarness.binary, "replay", "--config", harness.config, "--state",
                folder + "/replay.state",
                harness.feed,
            ])
        #expect(FileManager.default.fileExists(atPath: folder + "/replay.state"))
        let calls = StraceLog.calls(prefix: log)
        StraceLog.expectPrivateCreation(calls, under: folder)
        #expect(
            calls.contains { $0.creates && $0.path.hasPrefix(folder + "/") },
            "the trace shows the state file created")
    }
}

/// The file system calls of a process tree, from `strace -ff -y` logs.
enum StraceLog {
    static let strace = "/usr/bin/strace"

    /// Whether strace is installed and may trace a child here (ptrace can be forbidden).
    static var canTrace: Bool {
        guard FileManager.default.isExecutableFile(atPath: strace) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: strace)
        process.arguments = ["-qq", "-o", "/dev/null", "/bin/true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// `strace` options: every thread and child in a file of its own (no interleaved
    /// lines), descriptors shown with their paths.
    static func arguments(output: String) -> [String] {
        [
            "-ff", "-qq", "-y", "-o", output, "-e", "signal=none",
            "-e", "trace=open,openat,creat,mkdir,mkdirat,chmod,fchmod,fchmodat",
        ]
    }

    struct Call: CustomStringConvertible {
        var name: String
        var path: String
        /// The mode asked for (creating calls, chmods), `nil` when there is none.
        var mode: UInt32?
        var succeeded: Bool
        var line: String

        /// A call that may create the path: open with O_CREAT, creat, mkdir.
        var creates: Bool {
            succeeded && (name.hasPrefix("mkdir") || name == "creat" || line.contains("O_CREAT"))
        }
        var changesMode: Bool { succeeded && name.contains("chmod") }
        var description: String { line }
    }

    /// The calls in every `PREFIX.TID` file.
    static func calls(prefix: String) -> [Call] {
        let folder = URL(fileURLWithPath: prefix).deletingLastPathComponent().path
        let base = URL(fileURLWithPath: prefix).lastPathComponent + "."
        let files =
            (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasPrefix(base) }
            ?? []
        return files.flatMap { file in
            ((try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? "").split(separator: "\n")
                .compactMap { parse(String($0)) }
        }
    }

    /// `openat(AT_FDCWD</dir>, "/path", O_WRONLY|O_CREAT, 0600) = 3</path>`,
    /// `mkdir("/path", 0700) = 0`, `fchmod(3</path>, 0600) = 0`, `chmod("/path", 0600) = 0`.
    static func parse(_ line: String) -> Call? {
        guard let open = line.firstIndex(of: "("), let equals = line.range(of: ") = ", options: .backwards)
        else {
            return nil
        }
        let name = String(line[..<open])
        let arguments = String(line[line.index(after: open)..<equals.lowerBound])
        // `= 3</path>` (a descriptor with its path), `= 0`, `= -1 ENOENT (...)`.
        let result = Int(line[equals.upperBound...].prefix { $0 == "-" || $0.isNumber }) ?? -1
        var path: String?
        if let quote = arguments.firstIndex(of: "\"") {
            let rest = arguments[arguments.index(after: quote)...]
            if let end = rest.firstIndex(of: "\"") { path = String(rest[..<end]) }
        } else if name == "fchmod", let start = arguments.firstIndex(of: "<"),
            let end = arguments.firstIndex(of: ">")
        {
            path = String(arguments[arguments.index(after: start)..<end])
        }
        guard let path else { return nil }
        let last = arguments.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let mode = last.hasPrefix("0") ? UInt32(last, radix: 8) : nil
        return Call(name: name, path: path, mode: mode, succeeded: result >= 0, line: line)
    }

    /// Every creating call at or under `root` asks for at most 0700 (directories) or
    /// 0600 (files), and no call changes a mode there.
    static func expectPrivateCreation(_ calls: [Call], under root: String) {
        let inside = calls.filter { $0.path == root || $0.path.hasPrefix(root + "/") }
        #expect(!inside.isEmpty, "the trace shows calls under \(root)")
        for call in inside where call.creates {
            let allowed: UInt32 = call.name.hasPrefix("mkdir") ? 0o700 : 0o600
            let mode = call.mode ?? 0o7777
            #expect(mode & ~allowed == 0, "created wider than 0\(String(allowed, radix: 8)): \(call)")
        }
        for call in inside where call.changesMode {
            Issue.record("mode changed after creation (created wider, tightened after?): \(call)")
        }
    }

    /// The first child process of `pid` (the traced program under strace).
    static func child(of pid: Int32) -> Int32? {
        let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)
        return text?.split(separator: " ").first.flatMap { Int32($0) }
    }
}
