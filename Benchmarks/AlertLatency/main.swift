// `make bench`, live part: alert latency of the real daemon.
//
// Starts `extravasd run` on a scratch spool folder, gives it N patients on a calcium
// gluconate infusion, then N times appends one nursing assessment with signs at the
// catheter site to the followed file (open, write, close, as an interface engine does)
// and times how long until that alert is readable in the journal (sd_journal_wait on an
// open journal, matched by the patient's identifier). Baseline, same run: the journal's
// own round trip, from sd_journal_sendv of an entry to that entry being readable.
//
// Then (with --episodes N) start-up: the daemon is given N more patients, each with an
// open episode, stopped, and started again: the time from launch to READY (state loaded,
// feeds watched) and the resident memory then. Then catch-up: the daemon is stopped, a
// backlog is written while it is down (two normal assessments of each of those patients,
// every patient's first one before any second one, so the records cache never holds the
// next patient; and last, one patient whose alert marks the end), and the daemon is
// started again: messages/s from launch to that alert, and its peak resident memory.
//
// With --store-url, the daemon's store is that PostgreSQL database (an empty one: the
// schema is created at the first start; TLS off, the password from --store-password-file)
// instead of the SQLite file in its state directory: `make bench` runs it both ways.
//
//   extravasd-latency [--alerts N] [--episodes N] [--binary PATH] [--settle-ms N] [--keep]
//                     [--store-url postgresql://USER@HOST:PORT/DATABASE [--store-password-file F]]
//   (--keep: the run's folder is kept, e.g. to profile a start with its state)

import Foundation
import Journal

struct Options {
    var alerts = 1000
    var binary = ".build/release/extravasd"
    var settleMilliseconds = 200
    var episodes = 0
    /// Keep the run's folder (config, spool, state) for a later look, e.g. profiling a start.
    var keep = false
    /// The PostgreSQL store's URL (`nil`: the SQLite file).
    var storeURL: String?
    var storePasswordFile: String?

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--alerts": alerts = iterator.next().flatMap(Int.init) ?? alerts
            case "--binary": binary = iterator.next() ?? binary
            case "--settle-ms": settleMilliseconds = iterator.next().flatMap(Int.init) ?? settleMilliseconds
            case "--episodes": episodes = iterator.next().flatMap(Int.init) ?? episodes
            case "--keep": keep = true
            case "--store-url": storeURL = iterator.next()
            case "--store-password-file": storePasswordFile = iterator.next()
            case "-h", "--help":
                print(
                    "usage: extravasd-latency [--alerts N] [--episodes N] [--binary PATH] [--settle-ms N] [--keep]"
                        + " [--store-url URL [--store-password-file FILE]]"
                )
                exit(0)
            default:
                FileHandle.standardError.write(Data("extravasd-latency: unknown argument \(argument)\n".utf8))
                exit(64)
            }
        }
    }
}

/// HL7 messages of patient `index` (its own MRN, order number and control ids).
enum Messages {
    static func mrn(_ run: String, _ index: Int) -> String { "LAT\(run)\(index)" }

    static func header(_ app: String, _ time: String, _ type: String, _ control: String) -> String {
        "MSH|^~\\&|\(app)|CHILDRENS|EXTRAVASD|CHILDRENS|\(time)||\(type)|\(control)|P|2.5.1\r"
    }

    static func patient(_ mrn: String) -> String {
        "PID|1||\(mrn)^^^CHILDRENS^MR||DOE^JANE^^^^^L||20241005|F\r"
            + "PV1|1|I|PICU^12^A||||1234^ATTENDING^ANNA|||PED|||||||||V\(mrn)^^^CHILDRENS^VN\r"
    }

    /// Admission and the infusion order (not timed).
    static func setup(run: String, index: Int) -> String {
        let mrn = mrn(run, index)
        return header("ADT", "20260302080000", "ADT^A01^ADT_A01", "A\(run)-\(index)")
            + "EVN|A01|20260302080000\r" + patient(mrn)
            + header("PHARMACY", "20260302113000", "RDE^O11^RDE_O11", "O\(run)-\(index)") + patient(mrn)
            + "ORC|NW|\(9000 + index)^PHARMACY|\(9000 + index)^PHARMACY||IP||^^^20260302120000||20260302113000\r"
            + "TQ1|1||||||20260302120000\r"
            + "RXE|^^^20260302120000|1736854^Calcium Gluconate 10% inj^RXNORM|100||mg/kg\r"
            + "RXR|IV^Intravenous^HL70162|^L heel\r"
    }

    /// A normal assessment of the site (no sign: raises nothing), at `time`.
    static func normalAssessment(run: String, index: Int, time: String, control: String) -> String {
        header("NURSING", time, "ORU^R01^ORU_R01", control) + patient(mrn(run, index))
            + "OBR|1|\(control)||IVASSESS^Peripheral IV site assessment^L|||\(time)\r"
            + "OBX|1|CWE|IVSITELOC^IV site location^L|1|^Left heel||||||F|||\(time)\r"
            + "OBX|2|CWE|ERYTHEMA^Erythema at IV site^L|1|N^No^HL70136||||||F|||\(time)\r"
    }

    /// The assessment that raises the alert (timed).
    static func assessment(run: String, index: Int) -> String {
        header("NURSING", "20260302160500", "ORU^R01^ORU_R01", "N\(run)-\(index)") + patient(mrn(run, index))
            + "OBR|1|N\(index)||IVASSESS^Peripheral IV site assessment^L|||20260302160000\r"
            + "OBX|1|CWE|IVSITELOC^IV site location^L|1|^Left heel||||||F|||20260302160000\r"
            + "OBX|2|CWE|ERYTHEMA^Erythema at IV site^L|1|Y^Yes^HL70136||||||F|||20260302160000\r"
            + "OBX|3|CWE|SWELLING^Swelling at IV site^L|1|Y^Yes^HL70136||||||F|||20260302160000\r"
    }
}

func append(_ text: String, to path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    precondition(descriptor >= 0, "cannot open \(path)")
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { buffer in
        var written = 0
        while written < buffer.count {
            let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            precondition(count > 0, "write failed")
            written += count
        }
    }
    close(descriptor)
}

struct Percentiles {
    var p50: Double
    var p99: Double
    var max: Double

    init(_ samples: [Duration]) {
        let milliseconds = samples.map {
            Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15
        }
        .sorted()
        func at(_ fraction: Double) -> Double {
            milliseconds[
                min(milliseconds.count - 1, Int((Double(milliseconds.count) * fraction).rounded(.up)) - 1)]
        }
        p50 = at(0.50)
        p99 = at(0.99)
        max = milliseconds.last ?? 0
    }

    var text: String { String(format: "p50 %.1f ms, p99 %.1f ms, max %.1f ms", p50, p99, max) }
}

/// The daemon, once started (stopped on failure too).
nonisolated(unsafe) var daemonProcess: Process?

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("extravasd-latency: \(text)\n".utf8))
    if let daemonProcess, daemonProcess.isRunning { kill(daemonProcess.processIdentifier, SIGKILL) }
    exit(1)
}

let options = Options(arguments: CommandLine.arguments)
guard JournalSocket.isAvailable() else { fail("no journald listening (run scripts/ensure-journald)") }
guard FileManager.default.isExecutableFile(atPath: options.binary) else {
    fail("no daemon binary at \(options.binary)")
}

let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
let directory = NSTemporaryDirectory() + "extravasd-latency-" + run
try FileManager.default.createDirectory(atPath: directory + "/spool", withIntermediateDirectories: true)
defer {
    if options.keep {
        FileHandle.standardError.write(Data("kept \(directory)\n".utf8))
    } else {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
let feed = directory + "/spool/feed.hl7"
try """
feeds:
  files: ["\(directory)/spool/*.hl7"]
  settle_ms: \(options.settleMilliseconds)
state_directory: \(directory)/state

""".write(toFile: directory + "/extravasd.yaml", atomically: true, encoding: .utf8)
if let url = options.storeURL {
    var section = "store:\n  kind: postgresql\n  url: \"\(url)\"\n  tls: disable\n"
    if let file = options.storePasswordFile { section += "  password_file: \(file)\n" }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/extravasd.yaml"))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(section.utf8))
    try handle.close()
}
let storeName = options.storeURL == nil ? "SQLite (state directory)" : "PostgreSQL"

let reader = try await JournalReader()

// Baseline: the journal's own round trip.
let journal = SystemdJournal()
var baseline: [Duration] = []
for index in 0..<options.alerts {
    var entry = JournalEntry()
    let marker = "\(run)-\(index)"
    try entry.append("MESSAGE", "extravasd-latency baseline \(marker)")
    try entry.append("PRIORITY", "7")
    try entry.append("SYSLOG_IDENTIFIER", "extravasd-latency")
    try entry.append("EXTRAVASD_LATENCY_MARKER", marker)
    let start = ContinuousClock.now
    try journal.send(entry)
    guard
        try await reader.firstEntry(matching: ["EXTRAVASD_LATENCY_MARKER": marker], timeout: .seconds(10))
            != nil
    else { fail("baseline entry \(marker) never became readable") }
    baseline.append(start.duration(to: .now))
}

/// Starts the daemon and waits until its `ready` entry is readable; returns it and how long that took.
func startDaemon(readyWithin timeout: Duration = .seconds(30)) async throws -> (Process, Duration) {
    let daemon = Process()
    daemon.executableURL = URL(fileURLWithPath: options.binary)
    daemon.arguments = ["run", "--config", directory + "/extravasd.yaml"]
    daemon.standardError = FileHandle.nullDevice
    let launched = ContinuousClock.now
    try daemon.run()
    daemonProcess = daemon
    // The command line names this run's folder: an entry of an earlier process that had
    // the same PID cannot match.
    let match = [
        "_PID": String(daemon.processIdentifier), "EXTRAVASD_EVENT": "ready",
        "_CMDLINE": ([daemon.executableURL?.path ?? options.binary] + (daemon.arguments ?? [])).joined(
            separator: " "),
    ]
    guard try await reader.firstEntry(matching: match, timeout: timeout) != nil
    else { fail("the daemon did not become ready") }
    return (daemon, launched.duration(to: .now))
}

func stopDaemon(_ daemon: Process) {
    kill(daemon.processIdentifier, SIGTERM)
    daemon.waitUntilExit()
}

/// A field of `/proc/PID/status` in kB (`VmHWM`, `RssAnon`...), or `nil`.
func statusKilobytes(_ field: String, of pid: Int32) -> Int? {
    ((try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? "")
        .split(separator: "\n").first { $0.hasPrefix(field + ":") }
        .flatMap { Int($0.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first ?? "") }
}

/// The largest private (anonymous) resident memory of `pid`, in kB, seen every 50 ms
/// while `body` runs (the kernel keeps no peak of it). The resident peak (`VmHWM`) also
/// counts file pages the process maps: the journal files sd_journal reads alerts back
/// from, shared with journald, are most of it.
func peakPrivateKilobytes<T>(of pid: Int32, during body: () async throws -> T) async rethrows -> (T, Int) {
    let sampler = Task {
        var peak = 0
        while !Task.isCancelled {
            peak = max(peak, statusKilobytes("RssAnon", of: pid) ?? 0)
            try? await Task.sleep(for: .milliseconds(50))
        }
        return max(peak, statusKilobytes("RssAnon", of: pid) ?? 0)
    }
    let result = try await body()
    sampler.cancel()
    return (result, await sampler.value)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

// The daemon.
var (daemon, _) = try await startDaemon()
let pid = String(daemon.processIdentifier)

// Every patient admitted and on the infusion (one write), then one sentinel alert to
// know all of it was processed.
append(
    (1...options.alerts).map { Messages.setup(run: run, index: $0) }.joined()
        + Messages.setup(run: run, index: 0), to: feed)
append(Messages.assessment(run: run, index: 0), to: feed)
guard
    try await reader.firstEntry(
        matching: ["EXTRAVASD_PATIENT": Messages.mrn(run, 0), "_PID": pid], timeout: .seconds(60)) != nil
else { fail("the sentinel alert never came") }

var latencies: [Duration] = []
let started = ContinuousClock.now
for index in 1...options.alerts {
    let text = Messages.assessment(run: run, index: index)
    let start = ContinuousClock.now
    append(text, to: feed)
    guard
        try await reader.firstEntry(
            matching: ["EXTRAVASD_PATIENT": Messages.mrn(run, index), "_PID": pid], timeout: .seconds(10))
            != nil
    else { fail("alert \(index) never became readable") }
    latencies.append(start.duration(to: .now))
    if index % 100 == 0 {
        FileHandle.standardError.write(Data("\ralerts: \(index)/\(options.alerts)".utf8))
    }
}
FileHandle.standardError.write(Data("\r".utf8))
let total = started.duration(to: .now)

// Start-up with many open episodes.
var startup: String?
if options.episodes > 0 {
    let tag = run + "E"
    let loadStarted = ContinuousClock.now
    var index = 1
    while index <= options.episodes {
        let last = min(options.episodes, index + 4999)
        append(
            (index...last).map {
                Messages.setup(run: tag, index: $0) + Messages.assessment(run: tag, index: $0)
            }.joined(), to: feed)
        index = last + 1
    }
    guard
        try await reader.firstEntry(
            matching: ["EXTRAVASD_PATIENT": Messages.mrn(tag, options.episodes), "_PID": pid],
            timeout: .seconds(3600))
            != nil
    else { fail("the last of \(options.episodes) episodes never alerted") }
    let loading = seconds(loadStarted.duration(to: .now))
    stopDaemon(daemon)
    let (restarted, ready) = try await startDaemon(readyWithin: .seconds(600))
    daemon = restarted
    let resident = statusKilobytes("VmRSS", of: restarted.processIdentifier).map { "\($0) kB" } ?? "?"
    let residentPrivate = statusKilobytes("RssAnon", of: restarted.processIdentifier) ?? 0
    startup = String(
        format:
            "start-up with %d more open episodes (%d messages fed in %.1f s): READY after %.2f s (target < 1 s: %@), resident %@ (private %d kB)",
        options.episodes, options.episodes * 3, loading, seconds(ready),
        seconds(ready) < 1 ? "met" : "NOT met", resident, residentPrivate)

    // Catch-up: a backlog written while the daemon is down.
    stopDaemon(daemon)
    var backlog = 0
    for (round, time) in ["20260303080000", "20260303160000"].enumerated() {
        var start = 1
        while start <= options.episodes {
            let last = min(options.episodes, start + 4999)
            append(
                (start...last).map {
                    Messages.normalAssessment(
                        run: tag, index: $0, time: time, control: "B\(tag)-\(round)-\($0)")
                }.joined(), to: feed)
            backlog += last - start + 1
            start = last + 1
        }
    }
    let endTag = run + "C"
    append(Messages.setup(run: endTag, index: 1) + Messages.assessment(run: endTag, index: 1), to: feed)
    backlog += 3
    let catchUpStarted = ContinuousClock.now
    let (catchingUp, _) = try await startDaemon(readyWithin: .seconds(600))
    daemon = catchingUp
    let (lastAlert, peakPrivate) = try await peakPrivateKilobytes(of: catchingUp.processIdentifier) {
        try await reader.firstEntry(
            matching: [
                "EXTRAVASD_PATIENT": Messages.mrn(endTag, 1), "_PID": String(catchingUp.processIdentifier),
            ],
            timeout: .seconds(3600))
    }
    guard lastAlert != nil else { fail("the backlog's last alert never came") }
    let drained = seconds(catchUpStarted.duration(to: .now))
    let peak = statusKilobytes("VmHWM", of: catchingUp.processIdentifier).map { "\($0) kB" } ?? "?"
    let rate = Double(backlog) / drained
    startup! += String(
        format:
            "\ncatch-up with %d patient records: a backlog of %d messages drained in %.2f s from launch: %.0f messages/s (target >= 20,000: %@), peak resident %@ (private %d kB; the rest mapped files, mostly the journal's)",
        options.episodes, backlog, drained, rate, rate >= 20_000 ? "met" : "NOT met", peak, peakPrivate)
}
stopDaemon(daemon)
reader.close()

let live = Percentiles(latencies)
let journalRoundTrip = Percentiles(baseline)
print(
    "store: \(storeName)\nalert latency, \(options.alerts) alerts (append + close -> alert readable in the journal), settle_ms \(options.settleMilliseconds):"
)
print("  daemon:   \(live.text)")
print("  baseline: \(journalRoundTrip.text) (sd_journal_sendv -> readable, same journal, same run)")
print(
    String(
        format: "  ratio p99 daemon / baseline: %.1fx; target p99 < 100 ms: %@",
        live.p99 / max(journalRoundTrip.p99, 0.001), live.p99 < 100 ? "met" : "NOT met"))
print(String(format: "  %.0f alerts/s end to end", Double(options.alerts) / seconds(total)))
if let startup { print(startup) }
