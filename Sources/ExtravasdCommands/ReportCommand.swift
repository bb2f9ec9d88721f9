import AlertOutput
import ArgumentParser
import ClinicalEvents
import Configuration
import FeedIO
import Foundation
import HL7
import Journal
import Replay
import Review
import ReviewReport
import Surveillance

/// `extravasd report --html FILE`: the on-call review page (DESIGN.md section 5).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Write a self-contained HTML timeline of exposures, assessments, alerts and acknowledgements.",
        discussion: """
            For the monthly review and the on-call hand-over. Per patient and catheter site, a \
            timeline: exposures (a bar per drug and order, the watch hatched after it, the late \
            calcinosis watch dotted), assessments (an open circle: normal; a filled triangle: \
            signs; a cross: the line removed), alerts (a diamond lettered C, H or M by severity, numbered A1, A2, ...) and \
            acknowledgements (a ticked square). Then the review figures: alerts by kind and \
            severity, time to acknowledgement (median, 90th percentile), dispositions, alerts per \
            site, the alerts never acknowledged, and journal alerts the feeds did not raise. One \
            file: inline CSS and SVG, no script, nothing fetched; it prints in black and white.

            Exposures and assessments come from replaying the feed files in memory (the state \
            store prunes them): --feeds, else the files matching the configured feeds.files. \
            The replay's alerts have the ids the daemon gave them: each is joined with its \
            journal entry (the system journal, or the journal files in --directory) and its \
            latest acknowledgement. Only acknowledgements by root or review.group count. Time \
            to acknowledgement is the acknowledgement's journal time minus the alert's; alerts \
            without a journal entry (not in the journal) or without an acknowledgement that \
            counts are left out of it and listed as never acknowledged. With 'store.kind: \
            postgresql' (and no --directory), the alerts and acknowledgements come from the \
            store, the shared record of every host that uses it, instead of this host's journal.

            --since and --until (ISO 8601, today, yesterday, -2h, -7d; without an offset, in \
            the configured timezone) bound the clinical times shown; without them the report \
            covers the span of the replayed feeds. --patient takes the MRN (under phi: \
            pseudonymized it is turned into its pseudonym with the key; phi: minimal shows no \
            MRN and refuses it). Under phi: minimal the page shows no MRN, visit or order \
            number: patients are numbered in the report and shown with their location.

            Examples:
              extravasd report --html review.html
              extravasd report --html march.html --since 2026-03-01 --until 2026-04-01 \\
                --feeds /archive/2026-03/*.hl7
              extravasd report --html bed12.html --patient 4455 --since -7d
              extravasd report --html test.html --config config/extravasd.dev.yaml \\
                --directory /var/log/journal/remote
            """
    )

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "FILE"))
    var html: String

    @Option(
        help:
            "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml, else built-in defaults)."
    )
    var config: String?

    @Option(
        help: ArgumentHelp(
            "Show what happened from this time on (ISO 8601, today, yesterday, -7d).", valueName: "T"))
    var since: String?

    @Option(help: ArgumentHelp("Show what happened until this time.", valueName: "T"))
    var until: String?

    @Option(help: ArgumentHelp("Only this patient (the MRN).", valueName: "ID"))
    var patient: String?

    @Option(
        help: ArgumentHelp(
            "Read the journal files in this folder instead of the system journal.", valueName: "DIR"))
    var directory: String?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Feed files to replay (default: the files matching feeds.files).", valueName: "FILE"))
    var feeds: [String] = []

    func run() async throws {
        let started = Date()
        let (configuration, key) = try ConfigurationSource.loadForCommand(option: config)
        let origin = Self.configurationOrigin(option: config)
        let period = try Self.period(since: since, until: until, zone: configuration.timeZone, now: started)
        let renderer = EngineSetup.renderer(configuration, identityKey: key)
        let privacy = renderer.privacy
        if patient != nil && privacy.mode == .minimal {
            throw ValidationError(
                "--patient cannot be used under phi: minimal: the report shows no MRN there, so it cannot "
                    + "select a patient by one (use phi: identifiers or pseudonymized, or leave --patient out)"
            )
        }
        let selection = PatientSelection(identifier: patient, privacy: privacy)

        // The feeds: as named, or the configured patterns expanded.
        var files = feeds
        if files.isEmpty {
            files = Self.expand(configuration.feeds.files)
            if files.isEmpty {
                Self.warn(
                    "no file matches feeds.files (\(configuration.feeds.files.joined(separator: ", "))): "
                        + "no timeline; alerts from the journal only (name files with --feeds)")
            }
        }

        // The journal's alerts, acknowledgements and reminders.
        let source: JournalReader.Source
        let journalName: String
        if let directory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
                isDirectory.boolValue,
                FileManager.default.isReadableFile(atPath: directory)
            else {
                Self.warn("cannot read the journal folder \(directory): not a readable folder")
                throw ExitStatus.noInput
            }
            source = .directory(directory)
            journalName = "journal files in \(directory)"
        } else if configuration.store.kind == .postgresql {
            source = .local
            journalName = "the PostgreSQL state store"
        } else {
            source = .local
            journalName = "the system journal"
        }
        // The feeds replayed in memory (records paged through a temporary state file, as
        // `extravasd replay` does: memory does not grow with the feeds).
        let settings = EngineSetup.settings(configuration, identityKey: key)
        var builder = ReportBuilder(
            privacy: privacy, selection: selection, period: period, lateWatchDays: settings.lateWatchDays)
        let limits = ParseLimits(
            maximumMessageBytes: configuration.limits.maxMessageBytes,
            maximumSegments: configuration.limits.maxSegments,
            maximumFieldBytes: configuration.limits.maxFieldBytes)
        // The temporary state file holds PHI: private from the moment it exists.
        umask(0o077)
        let store: ReplayStore
        do {
            store = try ReplayStore(path: nil)
        } catch {
            Self.warn("cannot open a temporary state file: \(error)")
            throw ExitStatus.failure
        }
        defer { store.close() }
        var replay: ReplayRun
        do {
            replay = try ReplayRun(files: files, settings: settings, limits: limits)
        } catch {
            Self.warn("\(error)")
            throw ExitStatus.noInput
        }
        replay.page(through: store, cacheBytes: configuration.limits.stateCacheBytes)
        let replayProgress = ProgressLine()
        do {
            try replay.run(
                progress: replayProgress.update, timeline: { builder.add($0) }, alert: { builder.add($0) })
        } catch let error as FeedIOError {
            replayProgress.clear()
            Self.warn("\(error)")
            throw ExitStatus.noInput
        } catch {
            replayProgress.clear()
            Self.warn("replay: \(error)")
            throw ExitStatus.failure
        }
        replayProgress.clear()

        // The journal, read after the replay: from the first moment the report covers.
        let journal: [AlertLedger.Row]
        let trust = AcknowledgementTrust(group: configuration.review.group)
        do {
            if directory == nil, let record = try StoreOpening.sharedRecord(configuration) {
                do {
                    journal = try await Self.sharedLedger(
                        record, trust: trust, since: builder.coveredFrom, patient: selection.journalValue)
                } catch {
                    await record.close()
                    throw error
                }
                await record.close()
            } else {
                journal = try await Self.ledger(
                    from: source, trust: trust, since: builder.coveredFrom, patient: selection.journalValue)
            }
        } catch {
            Self.warn("cannot read \(journalName): \(error)")
            throw directory == nil ? ExitStatus.failure : ExitStatus.noInput
        }

        let header = ReportHeader(
            period: period, feeds: files, journal: journalName, configuration: origin,
            generatedAt: Instant(seconds: Int64(started.timeIntervalSince1970)),
            zoneName: Self.zoneName(configuration.timeZone), privacy: privacy.mode,
            messages: replay.summary.messages,
            patient: patient.flatMap {
                privacy.mode == .pseudonymized && $0.hasPrefix("p-") ? $0 : privacy.patient($0)
            })
        let report = builder.build(journal: journal, header: header)
        let page = ReportRenderer(zone: TimeZoneRule.make(configuration.timeZone)).html(report)
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
        } catch {
            Self.warn("cannot write \(html): \(error.localizedDescription)")
            throw ExitStatus.failure
        }
        let figures = report.figures
        StandardStreams.printLine(
            "report: \(figures.alerts) alert\(figures.alerts == 1 ? "" : "s") "
                + "(\(figures.neverAcknowledged.count) unacknowledged) for \(report.patients.count) "
                + "patient\(report.patients.count == 1 ? "" : "s"), \(report.siteCount) "
                + "site\(report.siteCount == 1 ? "" : "s"), from \(files.count) feed\(files.count == 1 ? "" : "s") "
                + "-> \(html)")
    }

    /// The journal's alerts with their acknowledgements and reminders, read page by page
    /// with only the fields review needs (`ReviewJournal.review`, as `extravasd alerts`
    /// reads): the alerts written from `since` on (an alert observed in the period is
    /// written after it was observed), the patient's only when one is asked for, live
    /// alerts only. Progress on a terminal.
    static func ledger(
        from source: JournalReader.Source, trust: AcknowledgementTrust, since: Instant?, patient: String?
    ) async throws -> [AlertLedger.Row] {
        let progress = JournalProgress()
        defer { progress.clear() }
        let filter = ReviewFilter(since: since.map { $0.seconds * 1_000_000 }, patient: patient)
        let review = try await ReviewJournal.review(
            from: source, filter: filter, trust: trust, progress: progress.update)
        return review.ledger.all
    }

    /// Where the configuration came from, as ``ConfigurationSource`` finds it.
    static func configurationOrigin(option: String?) -> String {
        if let path = option
            ?? ProcessInfo.processInfo.environment["EXTRAVASD_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 })
        {
            return path
        }
        let path = ConfigurationLoader.defaultPath
        return FileManager.default.fileExists(atPath: path) ? path : "built-in defaults"
    }

    /// `--since` and `--until` as a period; a time that does not parse is a usage error (64)
    /// naming the option and the text.
    static func period(since: String?, until: String?, zone: TimeZone, now: Date) throws -> ReportPeriod {
        func instant(_ text: String?, option: String) throws -> Instant? {
            guard let text else { return nil }
            do {
                let time = try ReviewTime(parsing: text, now: now, zone: zone)
                return Instant(seconds: Int64((Double(time.microseconds) / 1_000_000).rounded(.down)))
            } catch {
                throw ValidationError("\(option): \(error)")
            }
        }
        let period = ReportPeriod(
            since: try instant(since, option: "--since"), until: try instant(until, option: "--until"))
        if let from = period.since, let to = period.until, to < from {
            throw ValidationError("--until (\(until ?? "")) is before --since (\(since ?? ""))")
        }
        return period
    }

    /// The regular files the patterns match (glob(3), as written: relative to the
    /// working folder), each once, in pattern then name order.
    static func expand(_ patterns: [String]) -> [String] {
        var seen = Set<String>()
        var files: [String] = []
        for pattern in patterns {
            var result = glob_t()
            defer { globfree(&result) }
            guard glob(pattern, 0, nil, &result) == 0 else { continue }
            for index in 0..<Int(result.gl_pathc) {
                guard let entry = result.gl_pathv[index] else { continue }
                let path = String(cString: entry)
                var info = stat()
                guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                if seen.insert(path).inserted { files.append(path) }
            }
        }
        return files
    }

    /// The zone's name as configured (Foundation names UTC `GMT`).
    static func zoneName(_ zone: TimeZone) -> String {
        zone.identifier == "GMT" && zone.secondsFromGMT() == 0 ? "UTC" : zone.identifier
    }

    static func warn(_ text: String) {
        StandardStreams.writeError("extravasd report: \(text)\n")
    }
}

/// A one-line count of the journal entries read, on stderr, only when stderr is a terminal.
final class JournalProgress: Sendable {
    private let enabled = isatty(2) == 1

    func update(_ count: Int) {
        guard enabled else { return }
        StandardStreams.writeError("\rreport: reading the journal: \(count) entries   ")
    }

    func clear() {
        if enabled { StandardStreams.writeError("\r\u{1B}[K") }
    }
}
