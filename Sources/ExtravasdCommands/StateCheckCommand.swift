import ArgumentParser
import Configuration
import FeedIO
import StateStore

/// `extravasd state check`: `quick_check`, schema and checkpoints of the state store.
struct StateCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check the state store: SQLite's quick_check, the schema, the checkpoints against the files.",
        discussion: """
            Prints the store's path, then one line per finding. Exit 0 when the store is healthy \
            (or not created yet), 65 when it is damaged: each problem is printed as \
            PATH: damaged: WHAT. Notes (the last stop, alerts still to confirm, checkpoints of \
            files rotated away or truncated) are not damage. It changes nothing and may run \
            while the daemon runs. It works on the SQLite store only (store.kind: sqlite).
            """
    )

    @Option(
        help:
            "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml, else built-in defaults)."
    )
    var config: String?

    func run() throws {
        let (configuration, _) = try ConfigurationSource.loadForCommand(option: config)
        try StoreOpening.requireSQLite(configuration, command: "state check")
        let check = SQLiteStore.check(directory: configuration.stateDirectory)
        for problem in check.problems { StandardStreams.writeError("\(check.path): damaged: \(problem)\n") }
        for note in check.notes { StandardStreams.printLine("\(check.path): \(note)") }
        if check.exists {
            StandardStreams.printLine("\(check.path): \(check.checkpoints.count) checkpoint(s)")
        }
        guard check.isHealthy else {
            StandardStreams.writeError(
                "\(check.path): damaged; stop the daemon and run `extravasd state rebuild --from FEED...`\n")
            throw ExitStatus.dataError
        }
        StandardStreams.printLine("\(check.path): healthy")
    }
}
