import AlertOutput
import ArgumentParser
import ClinicalEvents
import Configuration
import Daemon
import FeedIO
import Foundation
import HL7
import Journal
import Replay
import Surveillance

/// `extravasd replay`: run the surveillance rules over historical feeds.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Process historical feed files and print the alerts they raise.",
        discussion: """
            For clinical informatics: validate rules and tune the catalog on past feeds. The \
            messages' own timestamps are the clock: within a file, messages are processed in file \
            order (even where MSH-7 goes backwards); across files, the next message is the pending \
            one with the earliest MSH-7 (ties: argument order, then offset). Ages, windows and \
            infusion_active use each observation's own time (OBX-14, else OBR-7, else MSH-7).

            Pruning follows the median of the last 101 message times, so a wrong timestamp (a \
            mistyped year) changes no other patient's alerts. A message more than clock.max_jump \
            (default 7d) from that median is implausible: it is processed for its own patient, \
            merged at the time of the message before it in its file, said once per file on \
            stderr and counted in the summary.

            Alerts go to stdout (--format text for people, --format jsonl for tools: one JSON \
            object per alert with fixed keys); a summary goes to stderr. --journal also sends \
            them to journald with EXTRAVASD_REPLAY=1 (so reviewers can tell them from live \
            alerts). The same input and configuration give the same output, byte for byte. Malformed messages are reported with \
            their file and offset, counted and skipped.

            Records are paged: the engine holds about limits.state_cache_bytes of patient records \
            and message identities and keeps the rest in a state file (the daemon's SQLite \
            schema), so memory does not grow with the feed. Without --state that file is \
            temporary (in TMPDIR, removed at the end) and nothing persists. With --state PATH, \
            replay continues from that file (each feed file from just past the last message \
            replayed from it; the engine's patients, exposures and episodes as they were) and \
            commits to it when the cache is full, at least every 65,536 messages, and at the end. A JSON state file of an earlier \
            version is read, kept as PATH.json-v1, and PATH rewritten in the current format.

            Examples:
              extravasd replay examples/feeds/seed-case.hl7
              extravasd replay --format jsonl --config tuned.yaml /archive/2026-03/*.hl7 > alerts.jsonl
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    @Option(
        help:
            "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml, else built-in defaults)."
    )
    var config: String?

    @Option(help: "Output format: text for people, jsonl for tools.")
    var format: Format = .text

    @Option(help: "State file (SQLite) to continue from and commit to.")
    var state: String?

    @Flag(help: "Also send the alerts to journald, marked EXTRAVASD_REPLAY=1.")
    var journal = false

    @Option(help: .hidden)
    var maxMessages: Int?

    @Argument(help: "Feed files to replay.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one feed file.") }
    }

    func run() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        // The --state file holds PHI: private from the moment it exists.
        umask(0o077)
        let (configuration, key) = try ConfigurationSource.loadForCommand(option: config)
        let settings = EngineSetup.settings(configuration, identityKey: key)
        let renderer = EngineSetup.renderer(configuration, identityKey: key)
        let limits = ParseLimits(
            maximumMessageBytes: configuration.limits.maxMessageBytes,
            maximumSegments: configuration.limits.maxSegments,
            maximumFieldBytes: configuration.limits.maxFieldBytes)

        let store = try openStore()
        defer { store.close() }
        var replay: ReplayRun
        do {
            replay = try ReplayRun(files: files, settings: settings, limits: limits, continuing: store.loaded)
            replay.page(through: store, cacheBytes: configuration.limits.stateCacheBytes)
        } catch {
            StandardStreams.writeError("extravasd replay: \(error)\n")
            throw ExitStatus.noInput
        }
        let journalDestination: (any AlertDestination)? = journal ? JournaldDestination.detect() : nil
        let output = OutputSink()
        let progress = ProgressLine()
        // Options read once: each read of a parsed option goes through its property wrapper.
        let format = format
        try replay.run(
            maxMessages: maxMessages, progress: progress.update,
            implausibleTime: { path, offset in
                progress.clear()
                StandardStreams.writeError(ReplaySummary.implausibleTimeLine(path, offset))
            }
        ) { alert in
            if let journalDestination {
                do {
                    try journalDestination.send(
                        AlertJournalFields.fields(alert, renderer: renderer, replay: true))
                } catch {
                    StandardStreams.writeError("extravasd replay: journal: \(error)\n")
                    throw ExitStatus.failure
                }
            }
            switch format {
            case .jsonl: output.write(renderer.jsonLine(alert))
            case .text: output.write(renderer.textLine(alert))
            }
        }
        output.flush()
        progress.clear()
        var summary = replay.summary
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        StandardStreams.writeError(summary.text)
    }

    /// The state file (`--state`), or a temporary one: records are paged from it.
    private func openStore() throws -> ReplayStore {
        do {
            return try ReplayStore(path: state)
        } catch {
            StandardStreams.writeError(
                "extravasd replay: cannot open state \(state ?? "(temporary)"): \(error)\n")
            throw ExitStatus.failure
        }
    }
}

/// A one-line progress report on stderr, only when stderr is a terminal, at most once a second.
final class ProgressLine {
    private let enabled = isatty(2) == 1
    private var last = DispatchTime.now().uptimeNanoseconds
    private var shown = false

    func update(_ summary: ReplaySummary) {
        guard enabled, summary.messages % 1024 == 0 else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - last > 1_000_000_000 else { return }
        last = now
        shown = true
        StandardStreams.writeError(
            ("\rreplay: \(summary.messages) messages, \(summary.alerts) alerts, "
                + "\(summary.malformed) malformed   "))
    }

    func clear() {
        if shown { StandardStreams.writeError("\r\u{1B}[K") }
    }
}
