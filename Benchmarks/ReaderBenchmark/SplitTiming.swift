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

/// Measures and prints the reader / prepare / apply split of the replay over `feed`
/// (`messages` messages; the baseline's rate for the ratios), with `time` as the
/// benchmark's clock.
func printSplitTiming(
    feed: [UInt8], messages: Int, baselineRate: Double, rounds: Int, time: (() -> Void) -> Double
) {
    let settings = SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog)
    var readerBest = Double.infinity
    var preparedBest = Double.infinity
    var replayBest = Double.infinity
    var prepared = 0
    var alerts = 0
    for _ in 0..<rounds {
        readerBest = min(readerBest, time { eachMessage(of: feed) { _ in prepared += 1 } })
        preparedBest = min(
            preparedBest,
            time {
                var preparer = MessagePreparer(settings: settings)
                eachMessage(of: feed) { message in
                    let ready = preparer.prepare(message)
                    withExtendedLifetime(ready) { prepared += 1 }
                }
            })
        replayBest = min(
            replayBest,
            time {
                var preparer = MessagePreparer(settings: settings)
                var engine = SurveillanceEngine(settings: settings)
                let renderer = AlertRenderer()
                var output: [UInt8] = []
                alerts = 0
                eachMessage(of: feed) { message in
                    let ready = preparer.prepare(message)
                    for alert in engine.process(ready, source: .file("bench", offset: message.offset)).alerts
                    {
                        alerts += 1
                        output.append(contentsOf: renderer.jsonLine(alert))
                    }
                    if output.count > 1 << 20 { output.removeAll(keepingCapacity: true) }
                }
            })
    }
    func rate(_ seconds: Double) -> String { String(format: "%.0f", Double(messages) / seconds) }
    func share(_ seconds: Double) -> String { String(format: "%4.1f%%", 100 * seconds / replayBest) }
    let prepare = preparedBest - readerBest
    let apply = replayBest - preparedBest
    print("split     (single thread, best of \(rounds) rounds each, \(alerts) alerts)")
    print("          reader:                      \(rate(readerBest)) messages/s  \(share(readerBest))")
    print("          reader + prepare:            \(rate(preparedBest)) messages/s  \(share(preparedBest))")
    print(
        "          reader + prepare + apply:    \(rate(replayBest)) messages/s  100.0%  "
            + "(ratio \(String(format: "%.3f", Double(messages) / replayBest / baselineRate))x)")
    print(
        "          fractions: reader \(share(readerBest)), prepare \(share(prepare)), "
            + "apply + alert lines \(share(apply)); reader + prepare / apply = "
            + String(format: "%.2f", preparedBest / apply))
}
