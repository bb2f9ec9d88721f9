import Foundation
import Testing

/// The commands with `store.kind: postgresql`: `state check` and `state rebuild` work on
/// the SQLite store only and say so (exit 78) instead of opening an SQLite file nobody
/// uses; `run` with a server nothing answers at stops, naming the server.
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

    @Test("check-config accepts the store section; run stops naming a server that cannot be reached")
    func runNamesAnUnreachableServer() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(
            atPath: directory + "/feeds", withIntermediateDirectories: true)
        let config = try Self.configuration(in: directory, port: 1)
        let checked = try await Executables.run("extravasd", ["check-config", "--config", config])
        #expect(checked.status == 0, "\(checked.stderr)")
        let run = try await Executables.run("extravasd", ["run", "--config", config])
        #expect(run.status != 0)
        #expect(
            run.stderr.contains("postgresql://extravasd@127.0.0.1:1/extravasd (schema extravasd): connect:"),
            "\(run.stderr)")
        #expect(run.stderr.contains("cannotConnect"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/state/extravasd.sqlite"))
    }
}
