import AlertOutput
import ArgumentParser
import Configuration
import Daemon
import FeedIO
import Foundation
import Journal
import StateStore
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

            With 'store.kind: postgresql' in the configuration (--config, else \
            $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml when it exists), the store is \
            the shared record of the hosts that use it: the alert may be one the store holds \
            (raised on another host) or one in this host's journal, and the acknowledgement is \
            written both as a row of the store (with this host's name and the user id) and as \
            the journal entry, so that 'extravasd alerts', 'report' and the daemons' reminders \
            on every host see it. Without a configuration file, or with the SQLite store, the \
            journal alone is used.

            The name and the note are kept as written: one line each, no control characters \
            (a name of at most 128 characters, a note of at most 2,000).

            Examples:
              extravasd ack 83e007c36b997f4ed672fae3a28a18fb --by "RN J. Doe" --disposition confirmed
              extravasd ack 83e007c36b997f4ed672fae3a28a18fb --by "PharmD A. Roe" \\
                --disposition not-extravasation --note "site pale from the dressing, no swelling"
            """
    )

    @Option(
        help:
            "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml, else none: the journal only)."
    )
    var config: String?

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
        let record = try openSharedRecord()
        do {
            try await write(acknowledgement, record: record)
        } catch {
            await record?.close()
            throw error
        }
        await record?.close()
        var recorded = "acknowledged alert \(alertID) by \(by)"
        if let disposition { recorded += ", disposition \(disposition.rawValue)" }
        if let note { recorded += ", note: \(note)" }
        StandardStreams.printLine(recorded)
    }

    /// Checks that the alert exists (in `record` or the journal: 65 naming it if not),
    /// then writes the row to `record` (when there is one) and the journal entry.
    func write(_ acknowledgement: Acknowledgement, record: (any SharedReviewRecord)?) async throws {
        let inStore: Bool
        do {
            inStore = try await record?.alertExists(alertID) ?? false
        } catch {
            StandardStreams.writeError("extravasd ack: cannot read the state store: \(error)\n")
            throw ExitStatus.failure
        }
        let found = inStore ? true : try await Self.alertExists(alertID)
        guard found else {
            let place = record == nil ? "the journal" : "the state store or the journal"
            StandardStreams.writeError("extravasd ack: no alert with id \(alertID) in \(place)\n")
            throw ExitStatus.dataError
        }
        if let record {
            let row = SharedAcknowledgement(
                alertID: alertID, by: by, disposition: disposition?.rawValue, note: note,
                acknowledgedAt: Self.now(), host: Self.hostName(), uid: getuid())
            do {
                _ = try await record.recordAcknowledgement(row)
            } catch {
                StandardStreams.writeError("extravasd ack: cannot write to the state store: \(error)\n")
                throw ExitStatus.failure
            }
        }
        do {
            try SystemdJournal().send(try JournalEntry(validating: acknowledgement.journalFields))
        } catch {
            let stored = record == nil ? "" : " (the state store holds the acknowledgement)"
            StandardStreams.writeError("extravasd ack: cannot write to the journal\(stored): \(error)\n")
            throw ExitStatus.failure
        }
    }

    /// The configuration's shared record (PostgreSQL store), or `nil`: no configuration
    /// named and no default file (quietly: the journal alone), or the SQLite store. A
    /// configuration that cannot be read exits 78; a store that cannot be opened, 1.
    func openSharedRecord() throws -> (any SharedReviewRecord)? {
        let named =
            config
            ?? ProcessInfo.processInfo.environment["EXTRAVASD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        guard named != nil || FileManager.default.fileExists(atPath: ConfigurationLoader.defaultPath) else {
            return nil
        }
        let configuration = try ConfigurationSource.configurationForCommand(option: config)
        do {
            return try StoreOpening.sharedRecord(configuration)
        } catch {
            StandardStreams.writeError("extravasd ack: cannot open the state store: \(error)\n")
            throw ExitStatus.failure
        }
    }

    /// Microseconds since the epoch, now.
    static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// This host's name (`gethostname`), `unknown` when it cannot be read.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
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
