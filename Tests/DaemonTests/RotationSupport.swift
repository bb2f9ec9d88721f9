import FeedGen
import Foundation
import Testing

/// What `extravasd replay` makes of the bytes a writer produced: the expected outcome of
/// following them, whatever rotation happened on the way.
struct ReplayExpectation {
    /// The alert ids of replay's JSON lines, in order.
    var alertIDs: [String]
    /// Replay's summary counters (`replay: 1 file, N messages`, `resends N, ..., malformed N`).
    var counters: StatusCounters

    static func + (left: Self, right: Self) -> Self {
        Self(alertIDs: left.alertIDs + right.alertIDs, counters: left.counters + right.counters)
    }
}

/// Feeds for the rotation tests.
enum RotationFeed {
    /// A generated feed that raises many alerts (8 patients, 30 % of site assessments with signs).
    static func generated(seed: UInt64, messages: Int) -> [UInt8] {
        FeedGenerator.feed(
            options: FeedOptions(seed: seed, patients: 8, terminator: .cr, signShare: 0.3),
            messageCount: messages)
    }

    /// The seed case up to the message that raises its alert, with a fresh MRN and control
    /// ids: its alert is new in the journal and in the daemon's state, and, being raised by
    /// the last message, shows that every earlier byte of its file was processed.
    static func sentinel(_ tag: String) -> [UInt8] {
        precondition(tag.count == 4, "control ids keep their length")
        let text = (try? String(contentsOfFile: DaemonTests.seedCase, encoding: .utf8)) ?? ""
        let mrn = tag + String(UInt32.random(in: 0...UInt32.max))
        var bytes = Array(
            text.replacingOccurrences(of: "4455^^^CHILDRENS^MR", with: "\(mrn)^^^CHILDRENS^MR")
                .replacingOccurrences(of: "|SEED000", with: "|\(tag)000").utf8)
        let starts = messageStarts(bytes)
        if starts.count > 5 { bytes.removeSubrange(starts[5]...) }
        return bytes
    }

    /// A batch header longer than a fingerprint (64 bytes): files starting with it have the
    /// same first bytes. Readers skip it.
    static let sameHeader = Array(
        "FHS|^~\\&|ENGINE|HOSP|EXTRAVASD|HOSP|20260101000000||batch-header-longer-than-a-fingerprint\r".utf8)

    /// Offsets where a message starts: `MSH|` at the start or right after a CR or LF.
    static func messageStarts(_ bytes: [UInt8]) -> [Int] {
        var starts: [Int] = []
        let msh = Array("MSH|".utf8)
        var index = 0
        while index + 4 <= bytes.count {
            if (index == 0 || bytes[index - 1] == 0x0D || bytes[index - 1] == 0x0A)
                && bytes[index] == msh[0] && bytes[index + 1] == msh[1] && bytes[index + 2] == msh[2]
                && bytes[index + 3] == msh[3]
            {
                starts.append(index)
            }
            index += 1
        }
        return starts
    }

    /// `bytes` cut into `count` parts of about equal numbers of whole messages.
    static func parts(_ bytes: [UInt8], _ count: Int) -> [[UInt8]] {
        let starts = messageStarts(bytes)
        precondition(starts.count >= count)
        var cuts = (1..<count).map { starts[$0 * starts.count / count] }
        cuts = [0] + cuts + [bytes.count]
        return (0..<count).map { Array(bytes[cuts[$0]..<cuts[$0 + 1]]) }
    }
}

/// Every byte a test's writers produced, in the order they were written: replayed, it
/// gives the expected outcome.
final class WrittenBytes {
    private(set) var bytes: [UInt8] = []

    /// Appends `data` to `path` (open, write, close, as an interface engine does) and records it.
    func append(_ data: [UInt8], to path: String) {
        FileWriting.append(data, to: path)
        bytes += data
    }

    /// Records bytes written some other way (a held writer).
    func record(_ data: [UInt8]) { bytes += data }
}

/// A feed file held open for appending, as a long-running writer holds it.
final class HeldWriter {
    private var descriptor: Int32
    private let log: WrittenBytes

    init(_ path: String, log: WrittenBytes) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot open \(path)")
        self.log = log
    }

    /// Writes `bytes`; `record`: as part of the messages (orphan lines are not).
    func write(_ bytes: [UInt8], record: Bool = true) {
        FileWriting.writeAll(descriptor, bytes)
        if record { log.record(bytes) }
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}

/// Plain file operations of the rotation tests (what writers and logrotate do).
enum FileWriting {
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        var start = 0
        while start < bytes.count {
            let written = bytes[start...].withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress, $0.count)
            }
            precondition(written > 0, "write failed: errno \(errno)")
            start += written
        }
    }

    /// Opens `path` for appending (created if missing), writes, closes.
    static func append(_ bytes: [UInt8], to path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot open \(path)")
        writeAll(descriptor, bytes)
        close(descriptor)
    }

    /// Opens `path` with `O_TRUNC` (created if missing), writes `bytes`, closes.
    static func overwrite(_ path: String, with bytes: [UInt8]) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot open \(path)")
        writeAll(descriptor, bytes)
        close(descriptor)
    }

    /// The whole content of `path`.
    static func contents(_ path: String) -> [UInt8] {
        (FileManager.default.contents(atPath: path)).map { Array($0) } ?? []
    }

    /// The inode of `path` (0 when it cannot be read).
    static func inode(_ path: String) -> UInt64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return UInt64(info.st_ino)
    }

    /// A new file in `folder` that got inode `wanted` (freed just before), else `nil`.
    /// Files made on the way are removed.
    static func fileReusingInode(_ wanted: UInt64, in folder: String) -> String? {
        var others: [String] = []
        defer { others.forEach { unlink($0) } }
        for attempt in 0..<20 {
            let path = folder + "/reuse-\(attempt).tmp"
            overwrite(path, with: [])
            if inode(path) == wanted { return path }
            others.append(path)
        }
        return nil
    }

    /// `/proc/sys/fs/inotify/max_queued_events`: how many events an inotify instance
    /// queues before it overflows.
    static func maximumQueuedInotifyEvents() -> Int? {
        (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

extension DaemonHarness {
    /// The expected outcome of `bytes`: `extravasd replay --format jsonl` of them, written
    /// to `name` in the harness folder (outside the spool).
    func replay(_ bytes: [UInt8], name: String = "expected.hl7") throws -> ReplayExpectation {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["replay", "--config", config, "--format", "jsonl", path]
        let output = Pipe()
        process.standardOutput = output
        // Standard error to a file: a pipe read after standard output would fill (a line
        // per malformed message) and stop replay before its output ends.
        let errorsPath = path + ".stderr"
        FileManager.default.createFile(atPath: errorsPath, contents: nil)
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorsPath))
        process.standardError = errors
        try process.run()
        try errors.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = FileManager.default.contents(atPath: errorsPath) ?? Data()
        let ids = String(decoding: outputData, as: UTF8.self).split(separator: "\n").compactMap {
            line -> String? in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["alert_id"]
                as? String
        }
        let summary = String(decoding: errorData, as: UTF8.self)
        func number(after label: String) -> Int {
            guard let range = summary.range(of: label) else { return -1 }
            return Int(summary[range.upperBound...].prefix { $0.isNumber }) ?? -1
        }
        return ReplayExpectation(
            alertIDs: ids,
            counters: StatusCounters(
                messages: number(after: "1 file, "), resends: number(after: "resends "),
                malformed: number(after: "malformed "), alerts: ids.count))
    }

    /// Alert ids in the journal from this harness's spool, in journal order.
    func journalAlertIDs() throws -> [String] {
        // Not reminders: they carry their alert's id too. A feed generated from a fixed
        // seed raises the ids of earlier runs; reconciliation after a kill -9 counts an
        // alert from its first writing, so its reminder can be due at once.
        try journalAlerts().filter { $0["EXTRAVASD_REMINDER"] == nil }.compactMap { $0["EXTRAVASD_ALERT_ID"] }
    }

    /// Whether the alert raised by the message with control id `controlID` is in the journal.
    func hasAlert(controlID: String) throws -> Bool {
        try journalAlerts().contains { $0["EXTRAVASD_CONTROL_ID"] == controlID }
    }

    /// Waits until every alert of `ids` is in the journal.
    func waitForAlerts(_ ids: [String], timeout: Duration = .seconds(30)) async throws -> Bool {
        let wanted = Set(ids)
        return try await waitFor(timeout: timeout) { try wanted.isSubset(of: Set(journalAlertIDs())) }
    }

    /// Journal entries of extravasd since the harness was made, all fields as text.
    func journalEntries(_ matches: [String]) throws -> [[String: String]] {
        _ = try Self.shell("/usr/bin/journalctl", ["--sync"])
        let output = try Self.shell(
            "/usr/bin/journalctl",
            ["-o", "json", "--all", "--since", "@\(createdAt)", "SYSLOG_IDENTIFIER=extravasd", "--no-pager"]
                + matches)
        return output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.map { object in
            var fields: [String: String] = [:]
            for (key, value) in object { if let text = value as? String { fields[key] = text } }
            return fields
        }
    }

    /// Feed events (`MESSAGE_ID=f91e…`) about `path`, in journal order: `EXTRAVASD_EVENT` values.
    func feedEvents(about path: String) throws -> [String] {
        try journalEntries(["MESSAGE_ID=f91e211ae96a48ccb4061ab8fe7b7dc5", "EXTRAVASD_SOURCE=file:\(path)"])
            .compactMap { $0["EXTRAVASD_EVENT"] }
    }

    /// Waits until a feed event `event` about `path` is in the journal.
    func waitForFeedEvent(_ event: String, about path: String, timeout: Duration = .seconds(30)) async throws
        -> Bool
    {
        try await waitFor(timeout: timeout) { try feedEvents(about: path).contains(event) }
    }

    /// Polls `condition` every 100 ms until it holds; `false` after `timeout`. It sleeps
    /// without holding a thread of Swift's cooperative pool (on 2 cores it has 2: test
    /// suites blocking them would stall every async test of the process).
    func waitFor(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async throws -> Bool {
        try await eventually(timeout: timeout, every: .milliseconds(100)) { try condition() ? true : nil }
            ?? false
    }

    /// Starts the daemon and waits for its `READY=1`.
    func startAndWaitUntilReady(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let started = ContinuousClock.now
        try start()
        let ready = try await waitFor(timeout: .seconds(20)) {
            receivedNotifications().contains { $0.at >= started && $0.text.contains("READY=1") }
        }
        #expect(ready, "READY=1", sourceLocation: sourceLocation)
    }

    /// Stops the daemon (SIGTERM; it must exit 0) and returns that run's final counters.
    func stopAndCount(sourceLocation: SourceLocation = #_sourceLocation) async throws -> StatusCounters {
        if let process {
            kill(process.processIdentifier, SIGTERM)
            _ = try await waitFor(timeout: .seconds(20)) { !process.isRunning }
        }
        #expect(stop() == 0, "exit status", sourceLocation: sourceLocation)
        let counters = lastStatusCounters()
        #expect(counters != nil, "a final STATUS= with counters", sourceLocation: sourceLocation)
        return counters ?? StatusCounters(messages: 0, resends: 0, malformed: 0, alerts: 0)
    }

    /// The daemon lost and repeated nothing: the journal holds exactly replay's alerts, each
    /// once, and the counters of the runs add up to replay's messages, resends and malformed.
    func expectSameAsReplay(
        _ expected: ReplayExpectation, counted: StatusCounters,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(
            expected.counters.messages > 0, "replay read the expected file", sourceLocation: sourceLocation)
        let ids = try journalAlertIDs()
        #expect(
            ids.sorted() == expected.alertIDs.sorted(), "each alert of the replay once",
            sourceLocation: sourceLocation)
        #expect(Set(ids).count == ids.count, "no alert twice", sourceLocation: sourceLocation)
        #expect(
            counted.messages == expected.counters.messages, "messages (fewer: lost)",
            sourceLocation: sourceLocation)
        #expect(
            counted.resends == expected.counters.resends, "resends (more: read twice)",
            sourceLocation: sourceLocation)
        #expect(counted.malformed == expected.counters.malformed, "malformed", sourceLocation: sourceLocation)
        #expect(counted.alerts == expected.counters.alerts, "alerts", sourceLocation: sourceLocation)
    }
}
