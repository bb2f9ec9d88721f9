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
/// The median is kept incrementally (a sorted copy of the window, binary search, the
/// oldest time replaced by the new one in a single shift): recording a time costs a few
/// hundred bytes of moves at most, whatever the feed. The window itself is a ring (its
/// oldest time overwritten in place): two clocks with the same time and the same recent
/// times, oldest first, are equal wherever their rings start.
public struct FeedClock: Sendable, Hashable {
    /// How many recent message times the median is taken over.
    public static let windowSize = 101

    /// The clock: `nil` before the first message.
    public private(set) var time: Instant?
    /// Recent message times (seconds), at most ``windowSize``: oldest first until the
    /// window is full, then a ring whose oldest time is at `head`.
    private var recent: [Int64]
    /// Where the oldest time is in `recent` once it is full (0 until then).
    private var head = 0
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
    public var recentTimes: [Instant] {
        (recent[head...] + recent[..<head]).map(Instant.init(seconds:))
    }

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
            let oldest = recent[head]
            recent[head] = seconds
            head = head + 1 == Self.windowSize ? 0 : head + 1
            Self.replace(oldest, with: seconds, in: &sorted)
        } else {
            recent.append(seconds)
            sorted.insert(seconds, at: Self.position(of: seconds, in: sorted))
        }
        var next = Instant(seconds: sorted[(sorted.count - 1) / 2])
        if let time, time > next { next = time }
        if let ceiling, next > ceiling { next = ceiling }
        time = next
    }

    /// Replaces one `old` of `sorted` with `new`, keeping it sorted: the values between
    /// the two places move by one, in one shift (what removing `old` and inserting `new`
    /// would leave).
    private static func replace(_ old: Int64, with new: Int64, in sorted: inout [Int64]) {
        let removed = position(of: old, in: sorted)
        sorted.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            if new > old {
                // The values after `removed` and below `new` move down by one.
                var low = removed + 1
                var high = buffer.count
                while low < high {
                    let middle = (low + high) / 2
                    if buffer[middle] < new { low = middle + 1 } else { high = middle }
                }
                (base + removed).update(from: base + removed + 1, count: low - removed - 1)
                buffer[low - 1] = new
            } else if new < old {
                // The values before `removed` and not below `new` move up by one.
                var low = 0
                var high = removed
                while low < high {
                    let middle = (low + high) / 2
                    if buffer[middle] < new { low = middle + 1 } else { high = middle }
                }
                (base + low + 1).update(from: base + low, count: removed - low)
                buffer[low] = new
            } else {
                buffer[removed] = new
            }
        }
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

extension FeedClock {
    /// Equal when the times and the recent times (oldest first) are.
    public static func == (lhs: FeedClock, rhs: FeedClock) -> Bool {
        guard lhs.time == rhs.time && lhs.recent.count == rhs.recent.count else { return false }
        let count = lhs.recent.count
        for offset in 0..<count
        where lhs.recent[(lhs.head + offset) % count] != rhs.recent[(rhs.head + offset) % count] {
            return false
        }
        return true
    }

    /// Hashes the time and the recent times, oldest first.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(time)
        hasher.combine(recent.count)
        let count = recent.count
        for offset in 0..<count { hasher.combine(recent[(head + offset) % count]) }
    }
}
