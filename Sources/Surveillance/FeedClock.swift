import ClinicalEvents

/// The time that drives pruning and watch expiry: robust to wrong timestamps.
///
/// Real feeds carry a mistyped year, a device with a wrong clock, a test message from
/// 2062. The clock therefore moves with the bulk of the messages, not with the latest
/// MSH-7: it is the median of the MSH-7 times of the last ``windowSize`` (101) messages
/// the engine applied (outliers included: a median ignores a few, and a real jump is
/// followed within about 51 messages), starting at the first message's time and never
/// moving backwards. A caller may cap it with a ceiling (the daemon passes its wall clock
/// plus `clock.max_skew`); replay passes none, so it stays deterministic.
///
/// The median is kept incrementally (a sorted copy of the window, binary insertion and
/// removal): recording a time costs a few hundred bytes of moves, whatever the feed.
public struct FeedClock: Sendable, Hashable {
    /// How many recent message times the median is taken over.
    public static let windowSize = 101

    /// The clock: `nil` before the first message.
    public private(set) var time: Instant?
    /// Recent message times (seconds), oldest first: at most ``windowSize``.
    private var recent: [Int64]
    /// The same times, sorted (the median is its middle).
    private var sorted: [Int64]

    /// A clock that has seen no message.
    public init() {
        time = nil
        recent = []
        sorted = []
    }

    /// A clock at `time` with these recent message times (oldest first; only the last
    /// ``windowSize`` are kept). An earlier state's clock, which kept no window, is
    /// continued with `recentTimes: [time]`.
    public init(time: Instant?, recentTimes: [Instant]) {
        self.time = time
        recent = recentTimes.suffix(Self.windowSize).map(\.seconds)
        sorted = recent.sorted()
    }

    /// The recent message times, oldest first.
    public var recentTimes: [Instant] { recent.map(Instant.init(seconds:)) }

    /// The median of the recent message times (the lower of the two middle ones for an
    /// even count); `nil` before the first message.
    public var median: Instant? {
        sorted.isEmpty ? nil : Instant(seconds: sorted[(sorted.count - 1) / 2])
    }

    /// Whether a message time is implausible: more than `maxJumpSeconds` from the
    /// median of recent message times, or beyond `ceiling`. Such a message is still
    /// processed for its own patient; it moves the clock only as the median rule allows.
    public func isImplausible(_ messageTime: Instant, maxJumpSeconds: Int64, ceiling: Instant?) -> Bool {
        if let ceiling, messageTime > ceiling { return true }
        guard let median else { return false }
        let distance = messageTime.seconds.subtractingReportingOverflow(median.seconds)
        return distance.overflow || distance.partialValue > maxJumpSeconds
            || distance.partialValue < -maxJumpSeconds
    }

    /// Records the time of a message the engine applied: the window moves on, and the
    /// clock becomes the median if that is later, never beyond `ceiling`.
    public mutating func record(_ messageTime: Instant, ceiling: Instant?) {
        let seconds = messageTime.seconds
        if recent.count == Self.windowSize {
            let oldest = recent.removeFirst()
            sorted.remove(at: Self.position(of: oldest, in: sorted))
        }
        recent.append(seconds)
        sorted.insert(seconds, at: Self.position(of: seconds, in: sorted))
        var next = Instant(seconds: sorted[(sorted.count - 1) / 2])
        if let time, time > next { next = time }
        if let ceiling, next > ceiling { next = ceiling }
        time = next
    }

    /// The first index of `sorted` whose value is not below `value` (binary search).
    private static func position(of value: Int64, in sorted: [Int64]) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
