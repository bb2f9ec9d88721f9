import ArgumentParser

/// `extravasd state`: the state store's check and rebuild (DESIGN.md section 2).
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Check the state store, or rebuild it from the retained feeds.",
        discussion: """
            The state store (state_directory/extravasd.sqlite) holds where each feed file was \
            read to, the engine's patient records, and the alerts not yet confirmed in the \
            journal. After a stop that was not clean, the daemon runs SQLite's quick_check at \
            start and refuses a damaged store (exit 65, naming the file): check it, then rebuild \
            it from the feeds the interface engine retains.

            Examples:
              extravasd state check --config /etc/extravasd/extravasd.yaml
              systemctl stop extravasd
              extravasd state rebuild --config /etc/extravasd/extravasd.yaml \\
                --from /var/spool/hl7/archive/*.hl7 /var/spool/hl7/*.hl7
            """,
        subcommands: [StateCheckCommand.self, StateRebuildCommand.self]
    )
}
