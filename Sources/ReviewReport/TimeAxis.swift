import ClinicalEvents

/// The time axis of a patient's timelines: the span shown, mapped to x between two pixel
/// positions, and ticks at round local times (hours, days or weeks: as many as fit about
/// one label per 90 pixels).
///
/// A long stretch with nothing in it (no exposure or watch, no assessment, no alert:
/// the weeks between a short infusion and a calcinosis finding) is broken out of the
/// axis: drawn as a narrow break (``breakWidth`` pixels, marked, labelled with its
/// length), so what happened on either side keeps its room instead of collapsing into a
/// few pixels.
struct TimeAxis: Sendable {
    /// A stretch of the axis drawn to scale.
    struct Segment: Sendable, Hashable {
        var start: Instant
        var end: Instant
        var left: Double
        var right: Double
    }

    /// The stretches drawn to scale, in time order; between two of them, a break.
    let segments: [Segment]

    /// The pixels a break takes.
    static let breakWidth = 34.0

    /// The first moment shown.
    var start: Instant { segments[0].start }
    /// The last moment shown.
    var end: Instant { segments[segments.count - 1].end }
    /// The x of ``start``.
    var left: Double { segments[0].left }
    /// The x of ``end``.
    var right: Double { segments[segments.count - 1].right }

    /// An axis over the busy spans (each a start and an end; a moment is a span of its
    /// own) between `left` and `right`, with a margin on each side. A gap longer than a
    /// quarter of the whole and than two days becomes a break.
    init(busy spans: [(start: Instant, end: Instant)], left: Double, right: Double) {
        let first = spans.map(\.start.seconds).min() ?? 0
        let last = max(spans.map(\.end.seconds).max() ?? first, first)
        let whole = max(last - first, 3_600)
        // Moments get room around them; the ends a margin.
        let pad = max(whole * 3 / 100, 600)
        var merged: [(start: Int64, end: Int64)] = []
        for span in spans.map({
            (start: $0.start.seconds - pad, end: max($0.end.seconds, $0.start.seconds) + pad)
        })
        .sorted(by: { $0.start < $1.start }) {
            if let previous = merged.last, span.start <= previous.end + max(whole / 4, 2 * 86_400) {
                merged[merged.count - 1].end = max(previous.end, span.end)
            } else {
                merged.append(span)
            }
        }
        if merged.isEmpty { merged = [(first - pad, first + 3_600 + pad)] }
        let breaks = Double(merged.count - 1) * Self.breakWidth
        let total = Double(merged.reduce(0) { $0 + ($1.end - $1.start) })
        let room = max(right - left - breaks, 1)
        var segments: [Segment] = []
        var x = left
        for span in merged {
            let width = room * Double(span.end - span.start) / total
            segments.append(
                Segment(
                    start: Instant(seconds: span.start), end: Instant(seconds: span.end), left: x,
                    right: x + width))
            x += width + Self.breakWidth
        }
        self.segments = segments
    }

    /// An axis from `first` to `last` without breaks (tests, legends).
    init(from first: Instant, to last: Instant, left: Double, right: Double) {
        self.init(busy: [(first, last)], left: left, right: right)
    }

    /// The x of `instant`, kept within the axis; in a break, in proportion across it (so
    /// a line through the break stays continuous).
    func x(_ instant: Instant) -> Double {
        if instant <= start { return left }
        if instant >= end { return right }
        for (index, segment) in segments.enumerated() {
            if instant <= segment.end {
                if instant >= segment.start {
                    let fraction =
                        Double(instant.seconds - segment.start.seconds)
                        / Double(max(segment.end.seconds - segment.start.seconds, 1))
                    return segment.left + fraction * (segment.right - segment.left)
                }
                let previous = segments[index - 1]
                let fraction =
                    Double(instant.seconds - previous.end.seconds)
                    / Double(max(segment.start.seconds - previous.end.seconds, 1))
                return previous.right + fraction * (segment.left - previous.right)
            }
        }
        return right
    }

    /// Whether `instant` lies after the axis's end.
    func isAfterEnd(_ instant: Instant) -> Bool { instant > end }

    /// The breaks: where each is drawn and how long a stretch it leaves out.
    var breaks: [(left: Double, right: Double, seconds: Int64)] {
        zip(segments, segments.dropFirst()).map { ($0.right, $1.left, $1.start.seconds - $0.end.seconds) }
    }

    /// The tick steps tried, shortest first (seconds).
    static let steps: [Int64] = [
        3_600, 2 * 3_600, 3 * 3_600, 6 * 3_600, 12 * 3_600, 86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400,
        28 * 86_400,
    ]

    /// One tick: where, and its label (a time of day, a date, or both).
    struct Tick: Sendable, Hashable {
        var instant: Instant
        var x: Double
        /// The time of day (`14:00`), for steps under a day.
        var time: String?
        /// The date (`Mar 5`), at the first tick of a stretch and where the day changes.
        var date: String?
    }

    /// The step between ticks: the shortest that leaves about 90 pixels between them.
    var step: Int64 {
        let seconds = segments.reduce(0.0) { $0 + Double($1.end.seconds - $1.start.seconds) }
        let pixels = segments.reduce(0.0) { $0 + ($1.right - $1.left) }
        let wanted = 90 * seconds / max(pixels, 1)
        return Self.steps.first { Double($0) >= wanted } ?? (Int64(wanted) / 86_400 + 1) * 86_400
    }

    /// The ticks, at multiples of the step in local time (days at local midnight), in
    /// each stretch drawn to scale.
    func ticks(_ clock: ReportClock) -> [Tick] {
        let step = self.step
        var ticks: [Tick] = []
        for segment in segments {
            let firstLocal = clock.local(segment.start)
            var local = (firstLocal / step + (firstLocal % step == 0 ? 0 : 1)) * step
            var lastDate: String? = nil
            while true {
                let instant = clock.instant(local: local)
                guard instant <= segment.end else { break }
                if instant >= segment.start {
                    let date = clock.day(instant)
                    ticks.append(
                        Tick(
                            instant: instant, x: x(instant), time: step < 86_400 ? clock.time(instant) : nil,
                            date: date != lastDate ? date : nil))
                    lastDate = date
                }
                local += step
            }
        }
        return ticks
    }
}
