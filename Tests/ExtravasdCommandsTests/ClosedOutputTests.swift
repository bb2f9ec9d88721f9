import Foundation
import Testing

/// A reader that closes its end early (`extravasd replay big.hl7 | head -1`): extravasd
/// ends cleanly, exit 0, with no signal and no trap message, whatever it still had to write.
@Suite("Closed standard output")
struct ClosedOutputTests {
    /// Runs extravasd with stdout on a pipe whose reader takes one line and closes it, and
    /// returns how extravasd ended and what it wrote on stderr.
    static func runReadingOneLine(_ arguments: [String]) async throws
        -> (reason: Process.TerminationReason, status: Int32, stderr: String)
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: Executables.directory + "/extravasd")
                        process.arguments = arguments
                        let out = Pipe()
                        let err = Pipe()
                        process.standardOutput = out
                        process.standardError = err
                        try process.run()
                        // As `head -1`: read up to the first newline, then close the read end.
                        let reader = out.fileHandleForReading
                        while let chunk = try reader.read(upToCount: 1), chunk.first != 0x0A {}
                        try reader.close()
                        let stderr = err.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        return (
                            process.terminationReason, process.terminationStatus,
                            String(decoding: stderr, as: UTF8.self)
                        )
                    })
            }.start()
        }
    }

    /// A feedgen feed whose replay writes more than a pipe buffer (64 KiB) of alerts.
    static func bigFeed(_ scratch: ScratchDirectory) async throws -> String {
        let path = scratch.path + "/big.hl7"
        let generated = try await Executables.run(
            "feedgen", ["--seed", "1", "--messages", "3000", "--sign-share", "0.5", "--output", path])
        #expect(generated.status == 0)
        return path
    }

    static var config: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/extravasd.example.yaml").path
    }

    @Test("replay | head -1: extravasd exits 0, no SIGPIPE, no trap, its summary still on stderr")
    func replayIntoHead() async throws {
        let scratch = try ScratchDirectory()
        let feed = try await Self.bigFeed(scratch)
        let full = try await Executables.run("extravasd", ["replay", "--config", Self.config, feed])
        #expect(full.stdout.count > 65_536, "the output must be larger than a pipe buffer")
        let ended = try await Self.runReadingOneLine(["replay", "--config", Self.config, feed])
        #expect(ended.reason == .exit, "killed by signal \(ended.status)")
        #expect(ended.status == 0)
        #expect(!ended.stderr.contains("Fatal error"))
        #expect(ended.stderr.contains("alerts: 343"))
    }

    @Test("inspect | head -1: extravasd exits 0, no SIGPIPE, no trap")
    func inspectIntoHead() async throws {
        let scratch = try ScratchDirectory()
        let feed = try await Self.bigFeed(scratch)
        let ended = try await Self.runReadingOneLine(["inspect", feed])
        #expect(ended.reason == .exit, "killed by signal \(ended.status)")
        #expect(ended.status == 0)
        #expect(!ended.stderr.contains("Fatal error"))
    }
}
