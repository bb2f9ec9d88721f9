import Foundation
import Testing

/// The systemd unit, journal catalog and install scripts, checked by
/// Tests/systemd/check-unit.sh (install into a temporary root, `systemd-analyze verify`,
/// `systemd-analyze security --offline=true --threshold=10`, `journalctl -x` showing the
/// catalog text, uninstall).
@Suite("systemd unit")
struct SystemdUnitTests {
    @Test(.enabled(if: getuid() == 0, "installs the catalog under /usr/lib/systemd/catalog: needs root"))
    func unitVerifiesScoresAtMostOneAndTheCatalogExplainsEachMessageID() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("Tests/systemd/check-unit.sh").path]
        var environment = ProcessInfo.processInfo.environment
        environment["EXTRAVASD_BINARY"] = DaemonHarness.binary
        process.environment = environment
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output.split(separator: "\n").filter { !$0.hasPrefix("ok") }.joined(separator: "\n"))")
        #expect(output.contains(" passed, 0 failed"))
    }
}
