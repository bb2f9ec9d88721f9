import ArgumentParser

/// `extravasd`: the root command. Each subcommand lives in a file of its own.
public struct Extravasd: AsyncParsableCommand {
    /// Describes the command and its subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "extravasd",
        abstract: "Watch HL7 v2 feeds for signs of extravasation at catheter sites receiving calcium.",
        discussion: """
            extravasd follows the HL7 v2 feeds an interface engine writes (infusion orders and \
            administrations, nursing observations, labs, ADT), tracks every catheter site that is \
            receiving or has just received a calcium-containing infusion, and raises an alert to \
            journald the moment a nurse documents erythema, swelling, pain or another sign there.
            """,
        subcommands: [
            RunCommand.self, ReplayCommand.self, AlertsCommand.self, AckCommand.self, ReportCommand.self,
            CheckConfigCommand.self, InspectCommand.self, StateCommand.self,
        ]
    )

    /// Creates the command (the argument parser calls this).
    public init() {}
}
