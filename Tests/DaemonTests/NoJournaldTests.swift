import Foundation
import Testing

/// Without journald (a container, a laptop) `run` says so once and writes the alerts to
/// stderr as JSON lines: run for real in a mount namespace where the journal socket's
/// folder is an empty tmpfs.
@Suite("No journald")
struct NoJournaldTests {
    static var canHideTheJournal: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
            && FileManager.default.fileExists(atPath: "/run/systemd/journal")
    }

    @Test(
        .enabled(if: canHideTheJournal, "needs root, unshare(1) and /run/systemd/journal to hide the socket"))
    func withoutJournaldAlertsGoToStderrAsJSONLines() throws {
        let harness = try DaemonHarness()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = [
            "--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount -t tmpfs none /run/systemd/journal && exec \"$0\" run --config \"$1\"",
            DaemonHarness.binary, harness.config,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        process.environment = environment
        try process.run()
        let mrn = "J" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        // Read stderr on a thread until the alert's line arrives (or 30 s pass).
        let collected = CollectedText()
        let handle = errors.fileHandleForReading
        Thread {
            while case let data = handle.availableData, !data.isEmpty {
                collected.append(String(decoding: data, as: UTF8.self))
            }
        }.start()
        var text = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            text = collected.text
            if text.contains("\"EXTRAVASD_PATIENT\": \"\(mrn)\"") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        text = collected.text
        #expect(text.components(separatedBy: "no journald listening").count == 2, "said once:\n\(text)")
        let alert = text.split(separator: "\n").first { $0.contains("\"EXTRAVASD_ALERT_ID\"") }
        let object = alert.flatMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String]
        }
        #expect(object?["EXTRAVASD_PATIENT"] == mrn)
        #expect(object?["MESSAGE_ID"] == "751bbc47ee744393bc95affcf7ff9db6")
        #expect(object?["EXTRAVASD_SITE"] == "left-heel")
        #expect(object?["PRIORITY"] == "2")
    }
}

/// Text appended by one thread and read by another.
final class CollectedText: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""

    func append(_ text: String) {
        lock.lock()
        value += text
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
