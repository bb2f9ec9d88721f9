import Foundation
import Testing

/// The commands with `store.kind: postgresql`: `state check` and `state rebuild` work on
/// the SQLite store only and say so (exit 78) instead of opening an SQLite file nobody
/// uses; `run` with a server nothing answers at stands by until it answers, naming it.
@Suite("store.kind postgresql in the commands")
struct StoreKindCommandTests {
    static func configuration(in directory: String, port: Int) throws -> String {
        let path = directory + "/extravasd.yaml"
        try """
        feeds:
          files: ["\(directory)/feeds/*.hl7"]
        state_directory: \(directory)/state
        store:
          kind: postgresql
          url: "postgresql://extravasd@127.0.0.1:\(port)/extravasd"
          tls: disable
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "extravasd-storekind-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("state check and state rebuild refuse a postgresql store, naming store.kind")
    func stateCommandsRefusePostgreSQL() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try Self.configuration(in: directory, port: 1)
        let check = try await Executables.run("extravasd", ["state", "check", "--config", config])
        #expect(check.status == 78)
        #expect(check.stderr.contains("works on the SQLite store only, and 'store.kind' is postgresql"))
        let feed = directory + "/feed.hl7"
        try "MSH|^~\\&|\r".write(toFile: feed, atomically: true, encoding: .utf8)
        let rebuild = try await Executables.run(
            "extravasd", ["state", "rebuild", "--config", config, "--from", feed])
        #expect(rebuild.status == 78)
        #expect(rebuild.stderr.contains("extravasd state rebuild: works on the SQLite store only"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/state/extravasd.sqlite"))
    }

    @Test("check-config accepts the store section; run stands by while the server cannot be reached")
    func runWaitsForAnUnreachableServer() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(
            atPath: directory + "/feeds", withIntermediateDirectories: true)
        let config = try Self.configuration(in: directory, port: 1)
        let checked = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(checked.status == 0, "\(checked.stderr)")
        // With the PostgreSQL store the daemon takes part in leadership (DESIGN.md section
        // 10): a server it cannot reach (down, restarting, not yet up at boot) is waited
        // for as a standby, said once on standard error and in the journal, and tried again.
        let errors = directory + "/stderr.txt"
        FileManager.default.createFile(atPath: errors, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Executables.directory + "/extravasd")
        process.arguments = ["run", "--config", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var said = ""
        for _ in 0..<200 where !said.contains("standing by") {
            try await Task.sleep(for: .milliseconds(100))
            said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        }
        #expect(
            said.contains("cannot reach the state store, standing by and trying again"), "\(said)")
        #expect(said.contains("postgresql://extravasd@127.0.0.1:1/extravasd (schema extravasd)"), "\(said)")
        #expect(said.contains("cannotConnect"))
        #expect(process.isRunning, "it waits for the server")
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning && process.terminationStatus == 0, "SIGTERM stops a standby cleanly")
        #expect(!FileManager.default.fileExists(atPath: directory + "/state/extravasd.sqlite"))
    }
}
