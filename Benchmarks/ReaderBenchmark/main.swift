// `make bench`: the HL7 reader against a plain C memchr split of the same bytes,
// measured in the same run, and the reader's peak memory on a 1 GB feed file.
//
//   extravasd-bench [--megabytes N] [--file-megabytes N] [--rounds N] [--replay-only] [--cpu-time]
//   (--replay-only: the baseline and replay only, no reader round or memory run)
//   (--split-timing: also the replay's reader / prepare / apply split, see SplitTiming.swift)
//   (--cpu-time: this thread's CPU time; the pipelined replay: the longer of its two threads')
//   extravasd-bench read-file PATH      (child mode: read a file, print counts)

import AlertOutput
import CBaseline
import ClinicalEvents
import Configuration
import FeedGen
import FeedIO
import Foundation
import HL7
import Replay
import Surveillance

struct Counts: Equatable {
    var messages = 0
    var segments = 0
    var decodedBytes = 0
}

/// The reader's work per message: every segment and field boundary located (the
/// parse), MSH-10 and every OBX-5 escape-decoded into one reused byte buffer.
@inline(never)
func consume(_ result: Result<Message, HL7ReadError>, _ counts: inout Counts, _ scratch: inout [UInt8]) {
    counts.messages += 1
    guard case .success(let message) = result else { return }
    counts.segments += message.segments.count
    scratch.removeAll(keepingCapacity: true)
    message.header[10].decodeEscapes(into: &scratch)
    for segment in message.segments where segment.id == "OBX" {
        segment[5].decodeEscapes(into: &scratch)
    }
    counts.decodedBytes += scratch.count
}

func readInMemory(_ feed: [UInt8], chunkSize: Int) -> Counts {
    var reader = MessageReader()
    var counts = Counts()
    var scratch: [UInt8] = []
    scratch.reserveCapacity(64 * 1024)
    feed.withUnsafeBytes { bytes in
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            reader.append(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            while let result = reader.next() { consume(result, &counts, &scratch) }
            start = end
        }
    }
    reader.finish()
    while let result = reader.next() { consume(result, &counts, &scratch) }
    return counts
}

func readFile(_ path: String) throws -> Counts {
    let source = try FileByteSource(path: path)
    var reader = MessageReader()
    var counts = Counts()
    var scratch: [UInt8] = []
    while try source.readChunk({ reader.append($0) }) {
        while let result = reader.next() { consume(result, &counts, &scratch) }
    }
    reader.finish()
    while let result = reader.next() { consume(result, &counts, &scratch) }
    return counts
}

/// `--cpu-time`: this thread's CPU time instead of the wall clock (steadier on a
/// machine shared with other work; `make bench` measures the wall clock).
let cpuTime = CommandLine.arguments.contains("--cpu-time")

func seconds(_ body: () -> Void) -> Double { seconds(threadCPU: cpuTime, body) }

/// The wall clock, or with `threadCPU` this thread's CPU time.
func seconds(threadCPU: Bool, _ body: () -> Void) -> Double {
    func now() -> UInt64 {
        guard threadCPU else { return DispatchTime.now().uptimeNanoseconds }
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
    let start = now()
    body()
    return Double(now() - start) / 1e9
}

func format(_ value: Double) -> String { String(format: "%.0f", value) }

func option(_ name: String, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let parsed = Int(arguments[index + 1])
    else { return value }
    return parsed
}

// MARK: - child mode

if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == "read-file" {
    let counts = try readFile(CommandLine.arguments[2])
    // VmHWM is this process image's own peak (ru_maxrss would include the parent's
    // pages held before exec).
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let peakKB =
        status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }?
        .split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? -1
    print("\(counts.messages) \(peakKB)")
    exit(0)
}

// MARK: - throughput

let megabytes = option("--megabytes", default: 200)
let fileMegabytes = option("--file-megabytes", default: 1024)
let rounds = option("--rounds", default: 5)
let replayOnly = CommandLine.arguments.contains("--replay-only")

FileHandle.standardError.write(
    "generating a \(megabytes) MB feed with feedgen (seed 1)...\n".data(using: .utf8)!)
let feed = FeedGenerator.feed(
    options: FeedOptions(seed: 1, terminator: .cr), minimumBytes: megabytes * 1_000_000)

var baselineBest = Double.infinity
var baselineCounts = cbaseline_counts()
var readerBest = Double.infinity
var readerCounts = Counts()
for _ in 0..<rounds {
    baselineBest = min(
        baselineBest,
        seconds {
            baselineCounts = feed.withUnsafeBufferPointer { cbaseline_split($0.baseAddress, $0.count) }
        })
    if replayOnly { continue }
    readerBest = min(readerBest, seconds { readerCounts = readInMemory(feed, chunkSize: 256 * 1024) })
}
let baselineRate = Double(baselineCounts.messages) / baselineBest
let readerRate = Double(readerCounts.messages) / readerBest
let sizeMB = Double(feed.count) / 1e6

print("extravasd reader benchmark (best of \(rounds) rounds, feed in memory)")
print(
    "feed: \(String(format: "%.1f", sizeMB)) MB, \(baselineCounts.messages) messages, "
        + "\(String(format: "%.2f", Double(feed.count) / Double(baselineCounts.messages) / 1000)) KB/message, "
        + "\(String(format: "%.1f", Double(baselineCounts.segments) / Double(baselineCounts.messages))) segments/message"
)
print(
    "baseline  C memchr split (messages, segments, fields):  \(format(baselineRate)) messages/s  "
        + "(\(format(sizeMB / baselineBest)) MB/s)")
if !replayOnly {
    print(
        "reader    frame + index every field + decode MSH-10/OBX-5: \(format(readerRate)) messages/s  "
            + "(\(format(sizeMB / readerBest)) MB/s)")
    print(
        "ratio     reader / baseline: \(String(format: "%.2f", readerRate / baselineRate))x  (target >= 0.50x)"
    )
}
// Replay end to end: reader + engine (bundled catalog, UTC) + JSON alert lines into a buffer.
// Pipelined as `extravasd replay` runs it (framing and parsing on a reader thread, a
// ParsedMessagePipeline; the engine on this one), and on one thread for reference.
/// This thread's CPU time in seconds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// One replay of the feed: its alerts and, pipelined, the CPU time of the engine's
/// thread (this one) and of the reader's.
func replay(pipelined: Bool) -> (alerts: Int, engineCPU: Double, readerCPU: Double) {
    let settings = SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog)
    var engine = SurveillanceEngine(settings: settings)
    // Paged as `extravasd replay` is: a temporary state file, committed when the cache
    // (the default 8 MiB) is full or 65,536 messages since the last commit went by.
    // (NOPAGE=1 in the environment: no paging, for comparison.)
    let store = try! ReplayStore(path: nil)
    defer { store.close() }
    if ProcessInfo.processInfo.environment["NOPAGE"] == nil { store.page(&engine) }
    var taken = 0
    let renderer = AlertRenderer()
    var output: [UInt8] = []
    var alerts = 0
    func render(_ raised: [Alert]) {
        for alert in raised {
            alerts += 1
            output.append(contentsOf: renderer.jsonLine(alert))
        }
        if output.count > 1 << 20 { output.removeAll(keepingCapacity: true) }
        taken += 1
        if taken % ReplayRun.changesTakenEvery == 0 {
            if engine.pagedState == nil {
                _ = engine.takeChanges()
            } else if taken % ReplayRun.commitEvery == 0 || engine.holdsMoreThan(8 << 20) {
                try! store.commit(&engine, positions: [], cacheBytes: 8 << 20, final: false)
            }
        }
    }
    let source = InMemoryBytes(feed, chunkSize: 256 * 1024)
    guard pipelined else {
        var stream = ParsedMessageStream(source: source, limits: .service) { $0 }
        while let read = try! stream.next() {
            guard case .success(let message) = read.result else { continue }
            render(engine.process(message, source: .file("bench", offset: read.offset)).alerts)
        }
        return (alerts, 0, 0)
    }
    // As `extravasd replay` reads a file ahead: the reading thread also prepares messages
    // for the engine (ReadAheadPreparation).
    let start = threadCPUSeconds()
    guard
        let pipeline = ParsedMessagePipeline(
            source: source, limits: .service,
            makeAdaptivePrepare: ReadAheadPreparation.adaptive(settings: settings))
    else { fatalError("cannot start the reader thread") }
    while let read = try! pipeline.next() {
        guard case .success(let prepared) = read.result else { continue }
        render(engine.process(prepared, source: .file("bench", offset: read.offset)).alerts)
    }
    let engineCPU = threadCPUSeconds() - start
    _ = pipeline.waitUntilReadingEnded()
    let reading = pipeline.readingCPUTime ?? .zero
    let readerCPU = Double(reading.components.seconds) + Double(reading.components.attoseconds) / 1e18
    return (alerts, engineCPU, readerCPU)
}
var replayBest = Double.infinity
var replayAlerts = 0
var pipelinedBest = Double.infinity
var pipelinedAlerts = 0
var pipelinedCPU = (engine: 0.0, reader: 0.0)
// Each pipelined replay's ratio against the baseline run just before it: on a machine
// whose speed drifts (a virtual machine sharing its host), the spread of these says how
// far the best-of-rounds figure can be trusted.
var pairedRatios: [Double] = []
// Each round's ratio with the cache-line round trip between two CPUs just before and
// after it (CoreRoundTrip.swift: the two-thread replay slows when the host runs the two
// CPUs apart).
var roundTrips: [(ratio: Double, before: Double?, after: Double?)] = []
for _ in 0..<rounds {
    replayBest = min(replayBest, seconds { replayAlerts = replay(pipelined: false).alerts })
    let baselineNow = seconds {
        _ = feed.withUnsafeBufferPointer { cbaseline_split($0.baseAddress, $0.count) }
    }
    var run = (alerts: 0, engineCPU: 0.0, readerCPU: 0.0)
    let before = cacheLineRoundTripNanoseconds()
    let wall = seconds(threadCPU: false) { run = replay(pipelined: true) }
    let after = cacheLineRoundTripNanoseconds()
    // --cpu-time: the longer of the two threads' CPU times (the wall clock with a core each).
    let time = cpuTime ? max(run.engineCPU, run.readerCPU) : wall
    pipelinedAlerts = run.alerts
    pairedRatios.append(baselineNow / time)
    roundTrips.append((baselineNow / time, before, after))
    if time < pipelinedBest { (pipelinedBest, pipelinedCPU) = (time, (run.engineCPU, run.readerCPU)) }
}
pairedRatios.sort()
let replayRate = Double(baselineCounts.messages) / replayBest
let pipelinedRate = Double(baselineCounts.messages) / pipelinedBest
print(
    "replay    reader + engine + alert JSON lines, one thread:   \(format(replayRate)) messages/s  "
        + "(\(replayAlerts) alerts)")
print("ratio     replay (one thread) / baseline: \(String(format: "%.3f", replayRate / baselineRate))x")
print(
    "replay    pipelined (reader thread -> engine + alert JSON):  \(format(pipelinedRate)) messages/s  "
        + "(\(pipelinedAlerts) alerts)")
print(
    "ratio     replay (pipelined) / baseline: \(String(format: "%.3f", pipelinedRate / baselineRate))x  "
        + "(target >= 0.25x)")
if !pairedRatios.isEmpty {
    // How steady the machine was: the best figure above may come from its quietest moment.
    print(
        "          each round against the baseline run just before it: median "
            + "\(String(format: "%.3f", pairedRatios[pairedRatios.count / 2]))x, lowest "
            + "\(String(format: "%.3f", pairedRatios.first!))x, highest "
            + "\(String(format: "%.3f", pairedRatios.last!))x")
    func nanoseconds(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "-" }
    print("          each round, with a cache line's round trip between the two CPUs before and after it:")
    print(
        "           "
            + roundTrips.map {
                " \(String(format: "%.3f", $0.ratio))x (\(nanoseconds($0.before)), \(nanoseconds($0.after)) ns)"
            }.joined())
    print(
        "          (under 100 ns: the host runs the two CPUs on cores that share a cache; 350 ns or more: apart,\n"
            + "          and each message's hand-off between the two threads costs more: README, \"Performance\")"
    )
}
print(
    "          its threads' CPU time: engine \(String(format: "%.2f", pipelinedCPU.engine)) s, "
        + "reader \(String(format: "%.2f", pipelinedCPU.reader)) s")
if pipelinedAlerts != replayAlerts {
    print(
        "WARNING: the pipelined replay raised \(pipelinedAlerts) alerts, the single-thread one \(replayAlerts)"
    )
}
if CommandLine.arguments.contains("--split-timing") {
    printSplitTiming(
        feed: feed, messages: Int(baselineCounts.messages), baselineRate: baselineRate, rounds: rounds,
        time: seconds)
}
if !replayOnly && readerCounts.messages != baselineCounts.messages {
    print(
        "WARNING: the reader found \(readerCounts.messages) messages, the baseline \(baselineCounts.messages)"
    )
}

// MARK: - memory on a large file

if fileMegabytes > 0 && !replayOnly {
    let path = NSTemporaryDirectory() + "extravasd-bench-\(getpid()).hl7"
    defer { unlink(path) }
    FileHandle.standardError.write(
        "writing a \(fileMegabytes) MB feed file to \(path)...\n".data(using: .utf8)!)
    guard let output = fopen(path, "w") else { fatalError("cannot write \(path)") }
    var generator = FeedGenerator(options: FeedOptions(seed: 2, terminator: .mixed))
    var buffer: [UInt8] = []
    var written = 0
    while written < fileMegabytes * 1_000_000 {
        buffer.removeAll(keepingCapacity: true)
        while buffer.count < 1 << 20 { generator.appendNextMessage(to: &buffer) }
        fwrite(buffer, 1, buffer.count, output)
        written += buffer.count
    }
    fclose(output)

    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["read-file", path]
    let pipe = Pipe()
    child.standardOutput = pipe
    var elapsed = 0.0
    elapsed = seconds {
        try? child.run()
        child.waitUntilExit()
    }
    let childOutput = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
    let messages = childOutput.first.map(String.init) ?? "?"
    let peakMB = Double(childOutput.last.flatMap { Int($0) } ?? -1) / 1024
    print(
        "memory    reading a \(String(format: "%.0f", Double(written) / 1e6)) MB file from disk: peak resident "
            + "\(String(format: "%.1f", peakMB)) MB (target < 64 MB), \(messages) messages in "
            + "\(String(format: "%.1f", elapsed)) s")
}
