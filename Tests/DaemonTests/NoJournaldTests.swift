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

    /// Runs `extravasd run` with the journal's socket hidden until `done` holds for its
    /// stderr (or 30 s pass), then stops it with SIGTERM; returns its exit status and stderr.
    static func runWithoutJournald(_ harness: DaemonHarness, feed: [UInt8], until done: (String) -> Bool)
        throws -> (status: Int32, stderr: String)
    {
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
        try harness.append(feed)
        // Read stderr on a thread until `done` (or 30 s pass).
        let collected = CollectedText()
        let handle = errors.fileHandleForReading
        Thread {
            while case let data = handle.availableData, !data.isEmpty {
                collected.append(String(decoding: data, as: UTF8.self))
            }
        }.start()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if done(collected.text) { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return (process.terminationStatus, collected.text)
    }

    @Test(
        .enabled(if: canHideTheJournal, "needs root, unshare(1) and /run/systemd/journal to hide the socket"))
    func withoutJournaldAlertsGoToStderrAsJSONLines() throws {
        let harness = try DaemonHarness()
        let mrn = "J" + String(UInt32.random(in: 0...UInt32.max))
        let (status, text) = try Self.runWithoutJournald(
            harness, feed: try DaemonTests.seedCaseFeed(mrn: mrn)
        ) {
            $0.contains("\"EXTRAVASD_PATIENT\": \"\(mrn)\"")
        }
        #expect(status == 0)
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

    /// Without journald the reminder of a critical alert still fires, to stderr, once;
    /// acknowledgements cannot be followed there, and it says so once.
    @Test(
        .enabled(if: canHideTheJournal, "needs root, unshare(1) and /run/systemd/journal to hide the socket"))
    func withoutJournaldTheReminderGoesToStderrAndAcknowledgementsAreSaidUnfollowedOnce() throws {
        let harness = try DaemonHarness()
        try DeliveryTests.configure(harness, "reminders:\n  after_minutes: 0.02\n")
        let mrn = "J" + String(UInt32.random(in: 0...UInt32.max))
        // Stopped a second after the reminder: time for a second one, if there were one.
        var remindedAt: ContinuousClock.Instant?
        let (status, text) = try Self.runWithoutJournald(
            harness, feed: try DaemonTests.seedCaseFeed(mrn: mrn)
        ) {
            if remindedAt == nil, $0.contains("\"EXTRAVASD_REMINDER\": \"1\"") { remindedAt = .now }
            return remindedAt.map { ContinuousClock.now - $0 > .seconds(1) } ?? false
        }
        #expect(status == 0)
        let objects = text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String]
        }
        let alert = objects.first { $0["MESSAGE_ID"] == "751bbc47ee744393bc95affcf7ff9db6" }
        let reminders = objects.filter { $0["MESSAGE_ID"] == "38645c32a78b44dd9deb93a9e58354d3" }
        #expect(reminders.count == 1, "once:\n\(text)")
        #expect(reminders.first?["EXTRAVASD_ALERT_ID"] == alert?["EXTRAVASD_ALERT_ID"])
        #expect(reminders.first?["PRIORITY"] == "1")
        #expect(reminders.first?["EXTRAVASD_PATIENT"] == mrn)
        #expect(
            text.components(separatedBy: "acknowledgements cannot be followed").count == 2,
            "said once:\n\(text)")
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
