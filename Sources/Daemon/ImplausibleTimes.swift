import AlertOutput
import ClinicalEvents
import Foundation
import Synchronization

/// Feed files that carried a message with an implausible MSH-7 (DESIGN.md section 7:
/// the clock is robust to wrong timestamps): each is reported once per daemon run, as a
/// feed event `implausible_time` (PRIORITY 4) naming only the file: never the time, the
/// message or anything clinical.
final class ImplausibleTimes: Sendable {
    private let reported = Mutex(Set<String>())

    /// Whether `path` is reported for the first time (then it is remembered).
    func isFirst(_ path: String) -> Bool {
        reported.withLock { $0.insert(path).inserted }
    }
}

extension DaemonSettings {
    /// The latest the engine's clock may be now: the wall clock plus `clock.max_skew`.
    func clockCeiling(now: Date = Date()) -> Instant {
        Instant(seconds: Int64(now.timeIntervalSince1970.rounded(.down)) + clockMaxSkewSeconds)
    }
}

extension SurveillanceService {
    /// The `implausible_time` feed event for `path`, once per file and daemon run.
    func reportImplausibleTime(_ path: String, reports: ImplausibleTimes) {
        guard reports.isFirst(path) else { return }
        try? destination.send(
            DaemonEvent.fields(
                "Feed \(path): implausible message time (MSH-7 far from the recent messages' times or "
                    + "ahead of the wall clock); processed for its own patient only, "
                    + "the clock did not follow it",
                id: AlertJournalFields.feedEventMessageID, priority: .warning,
                [("EXTRAVASD_EVENT", "implausible_time"), ("EXTRAVASD_SOURCE", "file:\(path)")]))
    }
}
