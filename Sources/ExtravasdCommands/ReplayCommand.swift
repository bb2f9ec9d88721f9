import AlertOutput
import ArgumentParser
import ClinicalEvents
import Configuration
import Daemon
import FeedIO
import Foundation
import HL7
import Journal
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

            Without --state nothing persists. With --state PATH, replay continues from that state \
            (each file from just past the last message replayed from it; the engine's patients, \
            exposures and episodes as they were) and saves it at the end.

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

    @Option(help: "State file to continue from and save to.")
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

        var saved = try loadState()
        var feeds: [ReplayFeed] = []
        for (index, file) in files.enumerated() {
            do {
                let feed = try ReplayFeed(
                    path: file, argumentIndex: index, limits: limits, times: settings.times,
                    resumeAt: saved.files[file] ?? 0)
                feed.previousKey = saved.mergeKeys?[file]
                feeds.append(feed)
            } catch {
                FileHandle.standardError.write(Data("extravasd replay: \(error)\n".utf8))
                throw ExitStatus.noInput
            }
        }
        var engine = SurveillanceEngine(settings: settings, state: saved.engine)
        let journalDestination: (any AlertDestination)? = journal ? JournaldDestination.detect() : nil
        let output = OutputSink()
        var summary = ReplaySummary(files: files.count)
        let progress = ProgressLine()
        var merger = try ReplayMerger(feeds: feeds)
        var taken = 0
        var implausibleFiles: Set<String> = []
        // Options read once: each read of a parsed option goes through its property wrapper.
        let format = format
        let maxMessages = maxMessages
        while let (feed, result, offset) = try merger.next(
            clock: engine.state.clock, maxJumpSeconds: settings.clockMaxJumpSeconds)
        {
            taken += 1
            summary.messages += 1
            progress.update(summary)
            let source = MessageSource.file(feed.path, offset: offset)
            switch result {
            case .failure(let error):
                summary.noteMalformed("\(feed.path):\(offset): \(error)")
            case .success(let message):
                summary.countType(message)
                switch engine.process(message, source: source) {
                case .processed(let alerts):
                    for alert in alerts {
                        summary.count(alert)
                        if let journalDestination {
                            do {
                                try journalDestination.send(
                                    AlertJournalFields.fields(alert, renderer: renderer, replay: true))
                            } catch {
                                FileHandle.standardError.write(
                                    Data("extravasd replay: journal: \(error)\n".utf8))
                                throw ExitStatus.failure
                            }
                        }
                        switch format {
                        case .jsonl: output.write(renderer.jsonLine(alert))
                        case .text: output.write(renderer.textLine(alert))
                        }
                    }
                case .duplicate: summary.duplicates += 1
                case .ignored: summary.ignored += 1
                case .rejected(let rejection):
                    summary.noteMalformed("\(feed.path):\(offset): \(rejection)")
                }
                if engine.lastMessageTimeImplausible {
                    summary.implausibleTimes += 1
                    if implausibleFiles.insert(feed.path).inserted {
                        progress.clear()
                        let line = ReplaySummary.implausibleTimeLine(feed.path, offset)
                        FileHandle.standardError.write(Data(line.utf8))
                    }
                }
            }
            if let maxMessages, taken >= maxMessages { break }
        }
        output.flush()
        progress.clear()
        if let state {
            saved.engine = engine.state
            for feed in feeds {
                saved.files[feed.path] = feed.consumedOffset
                if let key = feed.previousKey {
                    saved.mergeKeys = (saved.mergeKeys ?? [:]).merging([feed.path: key]) { $1 }
                }
            }
            do {
                try saved.save(state)
            } catch {
                FileHandle.standardError.write(
                    Data("extravasd replay: cannot save state \(state): \(error)\n".utf8))
                throw ExitStatus.failure
            }
        }
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        summary.openEpisodes = engine.state.openEpisodeCount
        FileHandle.standardError.write(Data(summary.text.utf8))
    }

    private func loadState() throws -> ReplayState {
        guard let state else { return ReplayState() }
        do {
            return try ReplayState.load(state)
        } catch {
            FileHandle.standardError.write(
                Data("extravasd replay: cannot read state \(state): \(error)\n".utf8))
            throw ExitStatus.failure
        }
    }
}

/// Counts for the summary replay prints on stderr.
struct ReplaySummary {
    var files: Int
    var messages = 0
    var duplicates = 0
    var ignored = 0
    /// Messages by MSH-9.1 and MSH-9.2 (joined as `ORU^R01` only for the text, not per message).
    var byType: [MessageTypeKey: Int] = [:]
    /// Malformed messages: how many, and the first ``shownMalformed`` of them as lines.
    private(set) var malformed = 0
    private(set) var malformedLines: [String] = []
    /// How many malformed messages the summary lists (the others are only counted).
    static let shownMalformed = 20
    /// Messages with an implausible MSH-7 (processed for their own patient only).
    var implausibleTimes = 0
    var alertsByKind: [String: Int] = [:]
    var alertsBySeverity: [String: Int] = [:]
    var alerts = 0
    var seconds = 0.0
    var openEpisodes = 0

    /// MSH-9.1 and MSH-9.2 as sent.
    struct MessageTypeKey: Hashable {
        var code: String
        var event: String
    }

    /// Counts a malformed message, keeping its line only while fewer than
    /// ``shownMalformed`` are kept (memory stays bounded on any input).
    mutating func noteMalformed(_ line: @autoclosure () -> String) {
        malformed += 1
        if malformedLines.count < Self.shownMalformed { malformedLines.append(line()) }
    }

    /// Counts by the raw bytes of MSH-9 (with no escape character in them) and the
    /// message's delimiters, which decide how they read: a feed has a few types, and
    /// telling them by their bytes makes no String per message. Folded into ``byType``
    /// by ``countsByTypeName``; at most ``maximumRawTypes`` (others go to ``byType``).
    fileprivate(set) var rawTypes: [RawType] = []
    typealias RawType = (bytes: [UInt8], delimiters: Delimiters, key: MessageTypeKey, count: Int)
    private static let maximumRawTypes = 64

    mutating func countType(_ message: Message) {
        let range = message.header.fieldRange(9)
        let bytes = message.bytes
        let delimiters = message.delimiters
        let plain = delimiters.escape.map { escape in !bytes[range].contains(escape) } ?? true
        if plain {
            for index in rawTypes.indices
            where rawTypes[index].delimiters == delimiters
                && rawTypes[index].bytes.elementsEqual(bytes[range])
            {
                rawTypes[index].count += 1
                return
            }
        }
        let type = message.messageType
        let key = MessageTypeKey(code: type.code, event: type.event)
        if plain && rawTypes.count < Self.maximumRawTypes {
            rawTypes.append((Array(bytes[range]), delimiters, key, 1))
        } else {
            byType[key, default: 0] += 1
        }
    }

    /// Counts by `code^event` (pairs that read the same once joined are added up).
    var countsByTypeName: [String: Int] {
        var counts: [String: Int] = [:]
        for (type, count) in byType { counts["\(type.code)^\(type.event)", default: 0] += count }
        for raw in rawTypes { counts["\(raw.key.code)^\(raw.key.event)", default: 0] += raw.count }
        return counts
    }

    mutating func count(_ alert: Alert) {
        alerts += 1
        alertsByKind[alert.kind.rawValue, default: 0] += 1
        alertsBySeverity[alert.severity.rawValue, default: 0] += 1
    }

    /// The stderr line for the first message of `path` with an implausible MSH-7.
    static func implausibleTimeLine(_ path: String, _ offset: Int) -> String {
        "extravasd replay: \(path):\(offset): implausible message time (MSH-7 more than clock.max_jump "
            + "from the recent messages' median); processed for its own patient only; "
            + "further ones in this file are counted\n"
    }

    var text: String {
        var lines: [String] = []
        let rate = seconds > 0 ? Int(Double(messages) / seconds) : messages
        lines.append(
            "replay: \(files) file\(files == 1 ? "" : "s"), \(messages) messages in \(String(format: "%.2f", seconds)) s "
                + "(\(rate) messages/s)")
        if !byType.isEmpty || !rawTypes.isEmpty {
            lines.append(
                "  by type: "
                    + countsByTypeName.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "))
        }
        lines.append("  resends \(duplicates), not used \(ignored), malformed \(malformed)")
        for line in malformedLines { lines.append("    \(line)") }
        if malformed > malformedLines.count {
            lines.append("    ... and \(malformed - malformedLines.count) more")
        }
        if implausibleTimes > 0 {
            lines.append(
                "  implausible message times \(implausibleTimes) "
                    + "(processed for their own patient; the clock did not follow)")
        }
        var alertLine = "  alerts: \(alerts)"
        if alerts > 0 {
            alertLine +=
                " ("
                + alertsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", ")
            alertLine +=
                "; "
                + ["critical", "high", "moderate"].compactMap { severity in
                    alertsBySeverity[severity].map { "\(severity) \($0)" }
                }.joined(separator: ", ") + ")"
        }
        lines.append(alertLine)
        lines.append("  open episodes at the end: \(openEpisodes)")
        return lines.joined(separator: "\n") + "\n"
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
        FileHandle.standardError.write(
            Data(
                ("\rreplay: \(summary.messages) messages, \(summary.alerts) alerts, "
                    + "\(summary.malformed) malformed   ").utf8))
    }

    func clear() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
