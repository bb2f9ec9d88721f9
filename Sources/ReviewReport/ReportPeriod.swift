import ClinicalEvents

/// The period a report covers (`--since`, `--until`), either end open. Clinical times
/// (exposures, assessments, alerts) are compared with it.
public struct ReportPeriod: Sendable, Hashable {
    /// The first moment included, if any.
    public var since: Instant?
    /// The last moment included, if any.
    public var until: Instant?

    /// A period; `nil` ends are open.
    public init(since: Instant? = nil, until: Instant? = nil) {
        self.since = since
        self.until = until
    }

    /// Whether `time` falls in the period (both ends included).
    public func contains(_ time: Instant) -> Bool {
        if let since, time < since { return false }
        if let until, time > until { return false }
        return true
    }

    /// Whether the span from `start` to `end` (`nil`: still running) meets the period.
    public func overlaps(from start: Instant, to end: Instant?) -> Bool {
        if let until, start > until { return false }
        if let since, let end, end < since { return false }
        return true
    }
}
