// `--split-timing`: where the single-thread replay's time goes, over the same feed as
// the replay: the reader alone, the reader with the engine's preparation
// (`MessagePreparer`, the work that reads no state and may run on the reader's
// thread), and the whole replay (reader, preparation, the engine's apply stage and
// alert JSON lines). Each the best of `rounds`.

import AlertOutput
import Configuration
import Foundation
import HL7
import Surveillance

/// The feed read in 256 KB chunks, each message read handed to `body`.
func eachMessage(of feed: [UInt8], _ body: (Message) -> Void) {
    var reader = MessageReader(limits: .service)
    func drain() {
        while let result = reader.next() {
            guard case .success(let message) = result else { continue }
            body(message)
        }
    }
    feed.withUnsafeBytes { bytes in
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + 256 * 1024)
            reader.append(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            drain()
            start = end
        }
    }
    reader.finish()
    drain()
}

/// The best time of `rounds` replays of `feed` (reader, `prepare`, the engine's apply
/// stage when `applying`, and alert JSON lines), with `time` as the clock.
func bestReplay(
    of feed: [UInt8], rounds: Int, time: (() -> Void) -> Double, applying: Bool,
    prepare: @escaping (inout MessagePreparer, Message) -> PreparedMessage
) -> (seconds: Double, alerts: Int) {
    let settings = SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog)
    var best = Double.infinity
    var alerts = 0
    for _ in 0..<rounds {
        best = min(
            best,
            time {
                var preparer = MessagePreparer(settings: settings)
                var engine = SurveillanceEngine(settings: settings)
                let renderer = AlertRenderer()
                var output: [UInt8] = []
                alerts = 0
                eachMessage(of: feed) { message in
                    let ready = prepare(&preparer, message)
                    guard applying else { return }
                    for alert in engine.process(ready, source: .file("bench", offset: message.offset)).alerts
                    {
                        alerts += 1
                        output.append(contentsOf: renderer.jsonLine(alert))
                    }
                    if output.count > 1 << 20 { output.removeAll(keepingCapacity: true) }
                }
            })
    }
    return (best, alerts)
}

/// Measures and prints the reader / prepare / apply split of the single-thread replay
/// over `feed` (`messages` messages; the baseline's rate for the ratio), with `time` as
/// the benchmark's clock: messages fully prepared (``MessagePreparer/prepare(_:)``)
/// and, for the lightest share of the reader's thread, header only
/// (``MessagePreparer/prepareHeader(_:)``, the engine reads the rest).
func printSplitTiming(
    feed: [UInt8], messages: Int, baselineRate: Double, rounds: Int, time: (() -> Void) -> Double
) {
    var readerBest = Double.infinity
    for _ in 0..<rounds { readerBest = min(readerBest, time { eachMessage(of: feed) { _ in } }) }
    let full: (inout MessagePreparer, Message) -> PreparedMessage = { $0.prepare($1) }
    let header: (inout MessagePreparer, Message) -> PreparedMessage = { $0.prepareHeader($1) }
    let prepared = bestReplay(of: feed, rounds: rounds, time: time, applying: false, prepare: full).seconds
    let headers = bestReplay(of: feed, rounds: rounds, time: time, applying: false, prepare: header).seconds
    let (replay, alerts) = bestReplay(of: feed, rounds: rounds, time: time, applying: true, prepare: full)
    let deferred = bestReplay(of: feed, rounds: rounds, time: time, applying: true, prepare: header).seconds
    func rate(_ seconds: Double) -> String { String(format: "%7.0f messages/s", Double(messages) / seconds) }
    func share(_ seconds: Double, of total: Double) -> String {
        String(format: "%5.1f%%", 100 * seconds / total)
    }
    print("split     single thread, best of \(rounds) rounds each (\(alerts) alerts):")
    print("          reader alone:                        \(rate(readerBest))")
    print("          reader + prepare:                    \(rate(prepared))")
    print("          reader + prepare header only:        \(rate(headers))")
    print(
        "          replay, prepared:                    \(rate(replay))  "
            + String(format: "(ratio %.3fx)", Double(messages) / replay / baselineRate))
    print(
        "          replay, header prepared:             \(rate(deferred))  "
            + String(format: "(ratio %.3fx)", Double(messages) / deferred / baselineRate))
    print(
        "          prepared: reader \(share(readerBest, of: replay)), prepare "
            + "\(share(prepared - readerBest, of: replay)), apply + alert lines "
            + "\(share(replay - prepared, of: replay)); (reader + prepare) / apply = "
            + String(format: "%.2f", prepared / (replay - prepared)))
    print(
        "          header prepared: reader \(share(readerBest, of: deferred)), prepare "
            + "\(share(headers - readerBest, of: deferred)), apply (reading the rest) + alert lines "
            + "\(share(deferred - headers, of: deferred)); (reader + prepare) / apply = "
            + String(format: "%.2f", headers / (deferred - headers)))
    // Two threads, a share `f` of the messages prepared header only: the reader's thread
    // takes (1 - f) * prepared + f * headers, the engine's the rest; even at f*.
    let readerFull = prepared
    let readerHeader = headers
    let engineFull = replay - prepared
    let engineHeader = deferred - headers
    let even = (readerFull - engineFull) / ((readerFull - readerHeader) + (engineHeader - engineFull))
    let share = min(1, max(0, even))
    let slowest = max(
        readerFull + share * (readerHeader - readerFull), engineFull + share * (engineHeader - engineFull))
    print(
        "          two threads (estimate, no hand-off cost): "
            + String(format: "%.0f%% of the messages prepared header only", 100 * share)
            + " shares the work evenly: \(rate(slowest)) "
            + String(format: "(ratio %.3fx)", Double(messages) / slowest / baselineRate))
}
