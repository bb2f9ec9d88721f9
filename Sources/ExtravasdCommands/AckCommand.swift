import FeedIO
import AlertOutput
import ArgumentParser
import Foundation
import Journal
import Surveillance

/// `extravasd ack`: records that a person on call looked at an alert.
struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Record an acknowledgement of an alert in the journal.",
        discussion: """
            Checks that ALERT_ID names an alert in the journal (exit 65 naming it if not), \
            writes the acknowledgement entry (MESSAGE_ID b58e71387e6848038cc9bd8d4082be8e, with \
            EXTRAVASD_ALERT_ID, EXTRAVASD_ACK_BY, EXTRAVASD_DISPOSITION and EXTRAVASD_NOTE) and \
            prints what it recorded. The alert id is EXTRAVASD_ALERT_ID of the alert's journal \
            entry (journalctl -o verbose, or extravasd replay --format jsonl).

            The name and the note are kept as written: one line each, no control characters \
            (a name of at most 128 characters, a note of at most 2,000).

            Examples:
              extravasd ack 83e007c36b997f4ed672fae3a28a18fb --by "RN J. Doe" --disposition confirmed
              extravasd ack 83e007c36b997f4ed672fae3a28a18fb --by "PharmD A. Roe" \\
                --disposition not-extravasation --note "site pale from the dressing, no swelling"
            """
    )

    @Argument(help: "The alert's id (EXTRAVASD_ALERT_ID).")
    var alertID: String

    @Option(help: "Who acknowledges it (a name the team recognises).")
    var by: String

    @Option(
        help: ArgumentHelp(
            "What was found.",
            valueName: Acknowledgement.Disposition.allCases.map(\.rawValue).joined(separator: "|")))
    var disposition: Acknowledgement.Disposition?

    @Option(help: "A note, one line.")
    var note: String?

    func run() async throws {
        let acknowledgement: Acknowledgement
        do {
            acknowledgement = try Acknowledgement(
                alertID: alertID, by: by, disposition: disposition, note: note)
        } catch {
            throw ValidationError("\(error)")
        }
        guard JournalSocket.isAvailable() else {
            StandardStreams.writeError(
                "extravasd ack: no journald listening on \(JournalSocket.defaultPath)\n")
            throw ExitStatus.failure
        }
        guard try await Self.alertExists(alertID) else {
            StandardStreams.writeError("extravasd ack: no alert with id \(alertID) in the journal\n")
            throw ExitStatus.dataError
        }
        do {
            try SystemdJournal().send(try JournalEntry(validating: acknowledgement.journalFields))
        } catch {
            StandardStreams.writeError("extravasd ack: cannot write to the journal: \(error)\n")
            throw ExitStatus.failure
        }
        var recorded = "acknowledged alert \(alertID) by \(by)"
        if let disposition { recorded += ", disposition \(disposition.rawValue)" }
        if let note { recorded += ", note: \(note)" }
        StandardStreams.printLine(recorded)
    }

    /// Whether an alert entry (any alert MESSAGE_ID) with this id is in the journal.
    static func alertExists(_ id: String) async throws -> Bool {
        let reader = try await JournalReader()
        defer { reader.close() }
        for kind in AlertKind.allCases {
            let match = ["MESSAGE_ID": AlertJournalFields.messageID(kind), "EXTRAVASD_ALERT_ID": id]
            if !(try await reader.entries(matching: match)).isEmpty { return true }
        }
        return false
    }
}

extension Acknowledgement.Disposition: ExpressibleByArgument {}
