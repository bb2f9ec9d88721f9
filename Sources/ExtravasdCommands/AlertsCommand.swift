import AlertOutput
import ArgumentParser
import Configuration
import FeedIO
import Foundation
import InputQuoting
import Journal
import Review
import Sites
import Surveillance
import Synchronization

/// `extravasd alerts`: the on-call review of the alerts in the journal.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Review the alerts in the journal and their acknowledgements.",
        discussion: """
            For the nurse or pharmacist on call: the alerts extravasd wrote to the journal, each \
            alert id once (a resend after a failover or a reconciliation is the same alert), newest \
            last, with its latest acknowledgement. It reads the system journal through libsystemd \
            (root, or a member of the systemd-journal group), or with --directory the journal files \
            in a folder (copied from another host, or written by systemd-journal-remote). With \
            'store.kind: postgresql' in the configuration and no --directory, the alerts and \
            acknowledgements come from the store instead: the shared record of every host that \
            uses it (--follow then polls it every half second).

            Filters (every one given must hold):
            --since T and --until T: the time the alert was first written to the journal \
            (__REALTIME_TIMESTAMP), not the time of the observation (observed_at); both inclusive.
            --patient MRN: the patient's MRN. Under 'phi: pseudonymized' it is turned into its \
            pseudonym with the key file (pseudonym.key beside the configuration), as the alerts \
            were written. 'phi: minimal' keeps no patient in alerts: --patient is refused there.
            --site SITE: a canonical site (left-heel), a table 0163 code (LF) or words ("L heel", \
            "left heel"), read with the configured site vocabulary. It matches the catheter's site \
            or the site the sign was seen at; a site without a side (heel) matches either side.
            --severity S: the lowest severity shown (moderate < high < critical).
            --unacked: only alerts with no trusted acknowledgement.
            --include-replay: also the alerts written by 'extravasd replay --journal' \
            (EXTRAVASD_REPLAY=1), left out by default.

            Times T: ISO 8601 (2026-12-06, 2026-12-06T14:30, 2026-12-06 14:30:05, \
            2026-12-06T14:30:00+01:00; without an offset, local time), now, today and yesterday \
            (local midnight), or relative to now: -90s, -30m, -2h, -7d.

            Trusted and untrusted acknowledgements: an acknowledgement counts (the alert is \
            acknowledged and its reminder stops) only when journald's trusted _UID of the process \
            that wrote it is root or a member of review.group (default extravasd-review). Anyone who \
            may write to the journal can write an acknowledgement entry, so any other one is shown \
            marked 'untrusted' and the alert stays UNACKED. 'reminded': the unacknowledged reminder \
            of a critical alert was written.

            --format table (the default, for people): two lines per alert, within 80 columns; times \
            in the local zone; the full alert id on the second line, to paste into \
            'extravasd ack'; severity coloured on a terminal unless NO_COLOR is set; a summary \
            last. --format json (for tools): one object per line with the replay keys, then \
            acknowledged, ack_by, ack_at, disposition, ack_trusted, reminded and written_at.

            --follow prints the alerts found, then keeps following the journal (or the folder): a \
            new alert is printed within a second, and a new acknowledgement or reminder of an alert \
            printed as an update (table: an 'updated' line; json: the alert's object again). \
            Ctrl-C or SIGTERM ends it (exit 0).

            Exit status: 0 success; 64 a bad option (a time that does not parse, an unknown site, \
            --patient under 'phi: minimal'); 66 the --directory folder cannot be read; 78 the \
            configuration or the key file cannot be read; 1 the journal cannot be read.

            Examples:
              extravasd alerts --since -2h
              extravasd alerts --unacked --severity high
              extravasd alerts --patient 4455 --site "L heel" --since yesterday
              extravasd alerts --since 2026-12-01 --until "2026-12-06 08:00" --format json
              extravasd alerts --follow --unacked
              extravasd alerts --directory /srv/journal/icu-host --include-replay
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    /// `--severity`: the severities by name.
    enum SeverityOption: String, ExpressibleByArgument, CaseIterable {
        case moderate, high, critical
        var severity: Severity { Severity(rawValue: rawValue)! }
    }

    @Option(
        help:
            "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml, else built-in defaults)."
    )
    var config: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Alerts written to the journal at or after T (see Times).", valueName: "T"))
    var since: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Alerts written to the journal at or before T.", valueName: "T"))
    var until: String?

    @Option(help: ArgumentHelp("The patient's MRN.", valueName: "MRN"))
    var patient: String?

    @Option(
        help: ArgumentHelp("The catheter or observed site: left-heel, LF, \"L heel\".", valueName: "SITE"))
    var site: String?

    @Option(help: ArgumentHelp("The lowest severity shown.", valueName: "S"))
    var severity: SeverityOption?

    @Flag(help: "Only alerts with no trusted acknowledgement.")
    var unacked = false

    @Flag(help: "Keep following the journal; Ctrl-C ends.")
    var follow = false

    @Option(help: "table for people, json for tools.")
    var format: Format = .table

    @Option(help: ArgumentHelp("Read the journal files in DIR.", valueName: "DIR"))
    var directory: String?

    @Flag(help: "Also show alerts written by 'replay --journal'.")
    var includeReplay = false

    func run() async throws {
        let now = Date()
        let since = try Self.time(self.since, option: "--since", now: now)
        let until = try Self.time(self.until, option: "--until", now: now)
        let configuration = try ConfigurationSource.configurationForCommand(option: config)
        let filter = ReviewFilter(
            since: since, until: until, patient: try journalPatient(configuration),
            site: try canonicalSite(configuration), minimumSeverity: severity?.severity,
            unacknowledgedOnly: unacked, includeReplay: includeReplay)
        let trust = AcknowledgementTrust(group: configuration.review.group)

        let environment = ProcessInfo.processInfo.environment
        let printer = AlertsPrinter(
            table: ReviewTable(zone: .current, colour: isatty(1) == 1 && environment["NO_COLOR"] == nil),
            json: ReviewJSON(zone: TimeZoneRule.make(configuration.timeZone)), format: format)
        if directory == nil, let record = try openSharedRecord(configuration) {
            do {
                try await reviewSharedRecord(record, filter: filter, trust: trust, printer: printer)
            } catch {
                await record.close()
                throw error
            }
            await record.close()
            return
        }
        let source = try journalSource()
        let output = printer.output

        // Following starts before the first read, so nothing written in between is missed
        // (what both see counts once). Signals are taken over from then on.
        let stop = StopRequest()
        var follower: JournalFollower?
        var signalSources: [any DispatchSourceSignal] = []
        defer { for source in signalSources { source.cancel() } }
        if follow {
            signalSources = stop.listen()
            follower = try await open {
                try await JournalFollower(source, matchingAny: ReviewJournal.followMatch(filter))
            }
        }
        defer { follower?.close() }

        let progress = ReadProgress()
        var review = try await open {
            try await ReviewJournal.review(
                from: source, filter: filter, trust: trust, progress: progress.update)
        }
        progress.clear()
        printer.list(review.listing())

        guard let follower else { return }
        Self.standardError("following the journal; Ctrl-C ends")
        // A new alert's first entry is looked up only with --since (a resend of an alert
        // written before it is not new).
        let reader = since == nil ? nil : try await open { try await JournalReader(source) }
        defer { reader?.close() }
        while !stop.requested {
            let entries: [[String: String]]
            do {
                entries = try await follower.next(
                    fields: ReviewJournal.reviewFields, wait: .milliseconds(100))
            } catch let error as SystemdError where error.errno == EINTR {
                continue
            } catch {
                Self.standardError("cannot follow the journal: \(error)")
                throw ExitStatus.failure
            }
            for entry in entries {
                if let since, let reader, let id = review.newAlertID(entry) {
                    let earlier = try await open {
                        try await ReviewJournal.alertsWritten(
                            before: since, among: [id], reader: reader, includeReplay: filter.includeReplay)
                    }
                    if !earlier.isEmpty { review.hide(id) }
                }
                printer.print(review.follow(entry))
            }
            output.flush()
        }
    }

    /// A time option parsed; a bad one is a usage error naming the text.
    static func time(_ text: String?, option: String, now: Date) throws -> Int64? {
        guard let text else { return nil }
        do {
            return try ReviewTime(parsing: text, now: now).microseconds
        } catch {
            throw ValidationError("\(option): \(error)")
        }
    }

    /// `--patient` as the journal holds it under the configured PHI policy: the MRN, its
    /// pseudonym (the key file read: 78 naming it when it cannot be), or a usage error
    /// under `minimal`.
    func journalPatient(_ configuration: ExtravasdConfiguration) throws -> String? {
        guard let patient else { return nil }
        guard !patient.allSatisfy(\.isWhitespace) else { throw ValidationError("--patient: give an MRN.") }
        switch configuration.phi {
        case .identifiers:
            return patient
        case .pseudonymized:
            let key: [UInt8]?
            do {
                key = try PseudonymKey.load(for: configuration)
            } catch {
                ConfigurationSource.report(error)
                throw ExitStatus.configuration
            }
            return PrivacyPolicy(mode: .pseudonymized, key: key).patient(patient)
        case .minimal:
            throw ValidationError(
                "--patient: under 'phi: minimal' alerts carry no patient (no MRN and no pseudonym is "
                    + "written to the journal), so there is nothing to match; filter by --site or --since.")
        }
    }

    /// `--site` as a canonical site: a canonical name, a table 0163 code or words, read
    /// with the configured vocabulary; a usage error naming the text when it names none.
    func canonicalSite(_ configuration: ExtravasdConfiguration) throws -> CanonicalSite? {
        guard let site else { return nil }
        if let canonical = CanonicalSite(name: site) { return canonical }
        let normalizer = SiteNormalizer(vocabulary: configuration.siteVocabulary)
        guard let found = normalizer.site(code: site, text: site, codingSystem: nil) else {
            throw ValidationError(
                "--site: \(quoted(site)) names no known site; write a canonical site (left-heel), "
                    + "a table 0163 code (LF) or words (L heel)")
        }
        return found
    }

    /// The journal to read: the local one, or `--directory` (66 naming it when it is no
    /// readable folder).
    func journalSource() throws -> JournalReader.Source {
        guard let directory else { return .local }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
            isDirectory.boolValue,
            access(directory, R_OK | X_OK) == 0
        else {
            Self.standardError(
                "cannot read the journal folder \(quoted(directory)): no readable folder there")
            throw ExitStatus.noInput
        }
        return .directory(directory)
    }

    /// Runs a journal operation; a failure is said on stderr and exits 66 for
    /// `--directory` (its files cannot be read), else 1.
    func open<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            if let directory {
                Self.standardError("cannot read the journal files in \(quoted(directory)): \(error)")
                throw ExitStatus.noInput
            }
            Self.standardError("cannot read the journal: \(error)")
            throw ExitStatus.failure
        }
    }

    static func standardError(_ line: String) {
        StandardStreams.writeError("extravasd alerts: \(line)\n")
    }
}

/// SIGINT or SIGTERM while following: the loop ends at its next turn (within its wait),
/// and the command exits 0.
final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)

    var requested: Bool { flag.load(ordering: .acquiring) }

    /// Takes SIGINT and SIGTERM over (their default action ignored, dispatch sees them);
    /// the sources returned must be kept while following.
    func listen() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in flag.store(true, ordering: .releasing) }
            source.resume()
            return source
        }
    }
}

/// The count of entries read, on stderr while a long journal is read, only when stderr
/// is a terminal; at most every quarter second; cleared afterwards.
private final class ReadProgress: Sendable {
    private let enabled = isatty(2) == 1
    private let state = Mutex<(last: UInt64, shown: Bool)>((DispatchTime.now().uptimeNanoseconds, false))

    func update(_ count: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let show = state.withLock { state in
            guard now - state.last > 250_000_000 else { return false }
            state = (now, true)
            return true
        }
        if show { StandardStreams.writeError("\rextravasd alerts: \(count) entries read   ") }
    }

    func clear() {
        if state.withLock({ $0.shown }) { StandardStreams.writeError("\r\u{1B}[K") }
    }
}
