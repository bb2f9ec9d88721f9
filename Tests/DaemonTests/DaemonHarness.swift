import Foundation
import Journal
import JournalTesting
import Testing

/// Runs the real `extravasd run` against files in a scratch folder, with a real
/// journald (read back with `journalctl`) and a notify socket the test binds.
final class DaemonHarness: @unchecked Sendable {
    let directory: String
    let feed: String
    let config: String
    let notifySocket: String
    private var socketDescriptor: Int32 = -1
    private(set) var process: Process?

    static var binary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("extravasd").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/extravasd").path
    }

    init(settleMilliseconds: Int = 100) throws {
        directory = NSTemporaryDirectory() + "extravasd-daemon-" + UUID().uuidString
        try FileManager.default.createDirectory(
            atPath: directory + "/spool", withIntermediateDirectories: true)
        feed = directory + "/spool/feed.hl7"
        config = directory + "/extravasd.yaml"
        notifySocket = directory + "/notify.sock"
        try """
        feeds:
          files: ["\(directory)/spool/*.hl7"]
          settle_ms: \(settleMilliseconds)
        state_directory: \(directory)/state

        """.write(toFile: config, atomically: true, encoding: .utf8)
        bindNotifySocket()
    }

    deinit {
        closing = true
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if socketDescriptor >= 0 { close(socketDescriptor) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func bindNotifySocket() {
        socketDescriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            let bytes = Array(notifySocket.utf8)
            for (index, byte) in bytes.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(socketDescriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // Drain the socket all the time, as systemd does: a datagram queue left full
        // (net.unix.max_dgram_qlen is often 10) would block the daemon's sd_notify.
        let descriptor = socketDescriptor
        let thread = Thread { [weak self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while let harness = self, !harness.closing {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count > 0 {
                    let text = String(decoding: buffer[0..<count], as: UTF8.self)
                    harness.lock.lock()
                    harness.notifications.append(text)
                    harness.received.append((ContinuousClock.now, text))
                    harness.lock.unlock()
                }
            }
        }
        thread.start()
    }

    private let lock = NSLock()
    private var notifications: [String] = []
    /// Every datagram received, with when (never consumed).
    private var received: [(at: ContinuousClock.Instant, text: String)] = []
    private var closing = false

    /// Runs `extravasd ARGUMENTS` (a command, not the daemon) to its end: exit status,
    /// stdout, stderr.
    static func command(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let (out, err) = readToEnd(output, errors)
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: out, as: UTF8.self),
            String(decoding: err, as: UTF8.self)
        )
    }

    // MARK: - The store under test

    /// The store the daemon tests run against: the SQLite file in the state directory (the
    /// default) or, with `EXTRAVASD_TEST_DAEMON_STORE=postgresql` (make test's second pass
    /// over the kill -9, rotation and reload tests), a fresh PostgreSQL database for each
    /// harness on the server of `EXTRAVASD_TEST_POSTGRESQL_URL`, with leadership
    /// (`ha.takeover_ms: 500`, so that a restart after kill -9 takes the lease back soon).
    static var usesPostgreSQL: Bool {
        ProcessInfo.processInfo.environment["EXTRAVASD_TEST_DAEMON_STORE"] == "postgresql"
    }

    /// The PostgreSQL database this harness created (`nil` on SQLite).
    private var database: String?

    /// Adds the PostgreSQL `store:` and `ha:` sections to the configuration when the tests
    /// run against PostgreSQL and the configuration names no store (tests write their own
    /// configurations, and rewrite them before a reload).
    func prepareStore() throws {
        guard Self.usesPostgreSQL else { return }
        let text = try String(contentsOfFile: config, encoding: .utf8)
        guard !text.hasPrefix("store:") && !text.contains("\nstore:") else { return }
        if let unavailable = TestPostgreSQL.unavailable {
            throw CocoaError(
                .fileReadUnknown,
                userInfo: [
                    NSLocalizedDescriptionKey: "EXTRAVASD_TEST_DAEMON_STORE=postgresql: \(unavailable)"
                ])
        }
        let url: String
        if let database, let base = TestPostgreSQL.url {
            url = String(base[..<base.lastIndex(of: "/")!]) + "/" + database
        } else {
            url = try TestPostgreSQL.freshDatabase()
            database = String(url[url.index(after: url.lastIndex(of: "/")!)...])
        }
        var section = "\nstore:\n  kind: postgresql\n  url: \"\(url)\"\n  tls: disable\n"
        if let passwordFile = TestPostgreSQL.passwordFile { section += "  password_file: \(passwordFile)\n" }
        section += "ha:\n  takeover_ms: 500\n"
        try (text + section).write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// Sends SIGHUP (a reload) once the configuration names the store under test.
    func reload() throws {
        try prepareStore()
        if let process { kill(process.processIdentifier, SIGHUP) }
    }

    /// Starts the daemon, with `environment` added to the test's own (e.g. `WATCHDOG_USEC`),
    /// under `ulimit -n openFileLimit` when given (the shell execs the daemon: same pid).
    /// With `asNobody`, it runs as uid and gid 65534 without supplementary groups (it cannot
    /// read the journal back, and cannot reach the notify socket); with
    /// `closedStandardError`, its stderr is a pipe whose read end is closed.
    func start(
        environment extra: [String: String] = [:], openFileLimit: Int? = nil, asNobody: Bool = false,
        closedStandardError: Bool = false
    ) throws {
        try prepareStore()
        let process = Process()
        if asNobody {
            for folder in [directory, directory + "/spool"] { chmod(folder, 0o777) }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = [
                "--reuid", "65534", "--regid", "65534", "--clear-groups", Self.binary, "run", "--config",
                config,
            ]
        } else if let openFileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", Self.binary, "run", "--config",
                config,
            ]
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["run", "--config", config]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notifySocket
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = closedStandardError ? errors : FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        if closedStandardError {
            try errors.fileHandleForReading.close()
            try errors.fileHandleForWriting.close()
        }
        self.process = process
    }

    /// Waits for a notify datagram containing `text` (e.g. `READY=1`).
    /// Consumes notifications up to the first that contains `text`.
    func waitForNotification(_ text: String, timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if takeNotification(containing: text) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        // Once more: a starved task may wake only after the deadline.
        return takeNotification(containing: text)
    }

    /// Consumes notifications up to the first that contains `text`, if there is one.
    private func takeNotification(containing text: String) -> Bool {
        lock.withLock {
            guard let index = notifications.firstIndex(where: { $0.contains(text) }) else { return false }
            notifications.removeSubrange(...index)
            return true
        }
    }

    /// Every notify datagram received so far (with when), oldest first; not consumed.
    func receivedNotifications() -> [(at: ContinuousClock.Instant, text: String)] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// The daemon's counters from the last `STATUS=` datagram received:
    /// `STATUS=messages N, resends N, malformed N, alerts N; PATH offset N lag N; ...`
    /// (counted since that process started; the same counts `extravasd replay` prints).
    func lastStatusCounters() -> StatusCounters? {
        for (_, text) in receivedNotifications().reversed() {
            for line in text.split(separator: "\n") where line.hasPrefix("STATUS=") {
                var status = line.dropFirst(7)
                if status.hasPrefix("stopping: ") { status = status.dropFirst(10) }
                if let counters = StatusCounters(status: String(status)) { return counters }
            }
        }
        return nil
    }

    /// Sends a signal and waits for the exit status.
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        guard let process else { return -1 }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Appends bytes to the followed feed and closes the file (as an interface engine does).
    func append(_ bytes: [UInt8]) throws {
        if !FileManager.default.fileExists(atPath: feed) {
            FileManager.default.createFile(atPath: feed, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: feed))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    /// When this harness was made (journal queries start there).
    let createdAt = Int(Date().timeIntervalSince1970) - 1

    /// Journal entries of this harness's alerts (by the source path: any file of its spool folder).
    func journalAlerts() throws -> [[String: String]] {
        _ = try Self.shell("/usr/bin/journalctl", ["--sync"])
        let output = try Self.shell(
            "/usr/bin/journalctl",
            ["-o", "json", "--all", "--since", "@\(createdAt)", "SYSLOG_IDENTIFIER=extravasd", "--no-pager"])
        return output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.compactMap { object -> [String: String]? in
            var fields: [String: String] = [:]
            for (key, value) in object { if let text = value as? String { fields[key] = text } }
            guard fields["EXTRAVASD_ALERT_ID"] != nil,
                fields["EXTRAVASD_SOURCE"]?.hasPrefix("file:\(directory)/spool/") == true
            else { return nil }
            return fields
        }
    }

    static func shell(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The counters a `STATUS=` line starts with.
struct StatusCounters: Equatable {
    var messages: Int
    var resends: Int
    var malformed: Int
    var alerts: Int

    init(messages: Int, resends: Int, malformed: Int, alerts: Int) {
        self.messages = messages
        self.resends = resends
        self.malformed = malformed
        self.alerts = alerts
    }

    /// Parses `messages N, resends N, malformed N, alerts N; ...`.
    init?(status: String) {
        let head = status.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        var values: [String: Int] = [:]
        for part in head.split(separator: ",") {
            let words = part.split(separator: " ")
            guard words.count == 2, let value = Int(words[1]) else { return nil }
            values[String(words[0])] = value
        }
        guard let messages = values["messages"], let resends = values["resends"],
            let malformed = values["malformed"],
            let alerts = values["alerts"]
        else { return nil }
        self.init(messages: messages, resends: resends, malformed: malformed, alerts: alerts)
    }

    static func + (left: Self, right: Self) -> Self {
        Self(
            messages: left.messages + right.messages, resends: left.resends + right.resends,
            malformed: left.malformed + right.malformed, alerts: left.alerts + right.alerts)
    }
}

/// Polls `body` until it gives a value; `nil` after `timeout`. It sleeps without holding
/// a thread of Swift's cooperative pool (2 on this machine class), and looks once more
/// after the deadline (other tests may have kept it from waking sooner).
func eventually<T>(
    timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(50), _ body: () throws -> T?
)
    async rethrows -> T?
{
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let value = try body() { return value }
        try? await Task.sleep(for: interval)
    }
    return try body()
}
