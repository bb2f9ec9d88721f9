import Foundation
import Journal

/// A systemd-journald of the test's own, in a private mount namespace: tmpfs over
/// `/run/systemd/journal` (its sockets), `/run/log/journal` and `/var/log/journal` (its
/// files), so it can be stopped and started again without touching the shared journald
/// other tests use. Processes run inside with ``command(_:)`` (`nsenter`); the test sees
/// the namespace's files through `/proc/PID/root`.
final class PrivateJournald: @unchecked Sendable {
    /// Whether this machine can do it: root, unshare(1), nsenter(1) and journald's binary.
    static var isPossible: Bool {
        getuid() == 0
            && ["/usr/bin/unshare", "/usr/bin/nsenter", journaldBinary, "/usr/bin/journalctl"].allSatisfy {
                FileManager.default.isExecutableFile(atPath: $0)
            }
            && ["/run/systemd/journal", "/run/log/journal", "/var/log/journal"].allSatisfy {
                FileManager.default.fileExists(atPath: $0)
            }
    }

    static let journaldBinary = "/lib/systemd/systemd-journald"

    /// Holds the namespace open (`sleep`, exec'd by the shell that mounted the tmpfs).
    private let holder: Process
    private var journald: Process?

    /// Creates the namespace (journald not started yet).
    init() throws {
        holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        holder.arguments = [
            "--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount -t tmpfs none /run/systemd/journal && mount -t tmpfs none /run/log/journal "
                + "&& mount -t tmpfs none /var/log/journal && exec sleep 600",
        ]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        let mounts = "/proc/\(holder.processIdentifier)/mountinfo"
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: mounts, encoding: .utf8)) ?? ""
            if text.contains(" /var/log/journal ") { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw Failure(reason: "the private mount namespace did not come up")
    }

    deinit {
        if let journald, journald.isRunning {
            kill(journald.processIdentifier, SIGKILL)
            journald.waitUntilExit()
        }
        if holder.isRunning {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// The namespace's journald socket, as this (outside) process reaches it.
    var socketPath: String { "/proc/\(holder.processIdentifier)/root\(JournalSocket.defaultPath)" }

    /// `nsenter` arguments that run `arguments` inside the namespace.
    func command(_ arguments: [String]) -> (executable: String, arguments: [String]) {
        ("/usr/bin/nsenter", ["--target", String(holder.processIdentifier), "--mount", "--"] + arguments)
    }

    /// Starts journald and returns once its socket accepts connections (the moment it is
    /// back, for a restart).
    @discardableResult
    func start() throws -> Date {
        let process = Process()
        let (executable, arguments) = command([Self.journaldBinary])
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        journald = process
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if JournalSocket.status(path: socketPath) == .listening { return Date() }
            Thread.sleep(forTimeInterval: 0.005)
        }
        throw Failure(reason: "the private journald did not come up")
    }

    /// Stops journald (SIGTERM) and waits for it to exit; its socket file stays behind.
    func stop() {
        guard let journald else { return }
        kill(journald.processIdentifier, SIGTERM)
        journald.waitUntilExit()
        self.journald = nil
    }

    /// Gives the next journald started `text` as its `journald.conf` (bind-mounted over
    /// `/etc/systemd/journald.conf` inside the namespace only); `nil` puts the real one back.
    func configure(_ text: String?, scratch: String) throws {
        let target = "/etc/systemd/journald.conf"
        let mounts =
            (try? String(contentsOfFile: "/proc/\(holder.processIdentifier)/mountinfo", encoding: .utf8))
            ?? ""
        if mounts.contains(" \(target) ") { _ = try run(["/bin/umount", target]) }
        guard let text else { return }
        let file = scratch + "/journald.conf"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        if !FileManager.default.fileExists(atPath: target) {
            throw Failure(reason: "no \(target) to mount over")
        }
        _ = try run(["/bin/mount", "--bind", file, target])
    }

    /// `journalctl --sync`, then the entries matching `matches` as field maps (string values).
    func entries(_ matches: [String]) throws -> [[String: String]] {
        _ = try run(["/usr/bin/journalctl", "--sync"])
        let output = try run(["/usr/bin/journalctl", "-o", "json", "--all", "--no-pager"] + matches)
        return output.split(separator: "\n").compactMap { line in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?
                .compactMapValues { $0 as? String }
        }
    }

    /// Runs `arguments` inside the namespace and returns its standard output.
    func run(_ arguments: [String]) throws -> String {
        let (executable, nsenterArguments) = command(arguments)
        return try DaemonHarness.shell(executable, nsenterArguments)
    }
}

/// `extravasd run` started with a launcher in front (`nsenter ...`, `setpriv ...`), its
/// standard error collected, the harness's config and notify socket.
final class LaunchedDaemon: @unchecked Sendable {
    let process = Process()
    let standardError = CollectedText()

    /// Starts `launcher + [binary, "run", "--config", config]`.
    init(
        harness: DaemonHarness, launcher: (executable: String, arguments: [String])? = nil,
        environment extra: [String: String] = [:]
    ) throws {
        let daemon = [DaemonHarness.binary, "run", "--config", harness.config]
        if let launcher {
            process.executableURL = URL(fileURLWithPath: launcher.executable)
            process.arguments = launcher.arguments + daemon
        } else {
            process.executableURL = URL(fileURLWithPath: daemon[0])
            process.arguments = Array(daemon.dropFirst())
        }
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = harness.notifySocket
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        let handle = pipe.fileHandleForReading
        let collected = standardError
        Thread {
            while case let data = handle.availableData, !data.isEmpty {
                collected.append(String(decoding: data, as: UTF8.self))
            }
        }.start()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The daemon's pid (the launchers used here exec it).
    var pid: String { String(process.processIdentifier) }

    /// Sends `signal` and waits for the exit status.
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }
}
