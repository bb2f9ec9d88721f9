import Foundation
import Journal
import Testing

/// A daemon whose stderr reader has gone (a closed pipe) keeps running and keeps writing
/// alerts to the journal: its stderr notices end in EPIPE, never in SIGPIPE or a trap.
@Suite(
    "Closed standard error",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable() && getuid() == 0
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
        "needs journald, root and setpriv(1)")
)
struct ClosedStandardErrorTests {
    /// Run as nobody, the daemon cannot read its own entries back: after its marker's
    /// 10 s it says so on stderr (and that acknowledgements cannot be followed), then
    /// delivers at least once. Its stderr is a pipe nobody reads.
    @Test func daemonWithAClosedStderrPipeKeepsWritingAlerts() async throws {
        let harness = try DaemonHarness()
        try harness.start(asNobody: true, closedStandardError: true)
        let pid = try #require(harness.process?.processIdentifier)
        // The stderr notice comes just before this journal entry: wait for it first.
        let said = try await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
            _ = try DaemonHarness.shell("/usr/bin/journalctl", ["--sync"])
            let found = try DaemonHarness.shell(
                "/usr/bin/journalctl",
                ["-o", "cat", "--all", "_PID=\(pid)", "EXTRAVASD_EVENT=journal_unreadable", "--no-pager"])
            return found.isEmpty ? nil : found
        }
        #expect(said != nil, "no journal_unreadable entry (running: \(harness.process?.isRunning == true))")
        let mrn = "T" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(try DaemonTests.seedCaseFeed(mrn: mrn))
        let entry = try #require(
            try await eventually(timeout: .seconds(60)) { try harness.journalAlerts().first },
            "the alert never reached the journal (daemon running: \(harness.process?.isRunning == true))")
        #expect(entry["EXTRAVASD_PATIENT"] == mrn)
        #expect(entry["_UID"] == "65534")
        try await Task.sleep(for: .milliseconds(500))
        let process = try #require(harness.process)
        #expect(process.isRunning, "ended: \(process.terminationReason) \(process.terminationStatus)")
        #expect(harness.stop() == 0)
    }
}
