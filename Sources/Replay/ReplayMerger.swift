import ClinicalEvents
import HL7
import Surveillance

/// Merges feeds: within a file, file order (even where MSH-7 goes backwards); across
/// files, the pending message with the earliest MSH-7 (ties: argument order, then offset).
///
/// A message whose MSH-7 is implausible (``FeedClock/isImplausible(_:maxJumpSeconds:ceiling:)``
/// against the engine's clock at that point) is ordered at the time of the message
/// before it in its own file, so one wrong timestamp neither holds back nor pulls forward
/// the rest of its file (a file's first message has no such time: its own is used).
/// Unreadable messages and unreadable MSH-7 sort first: they are reported at once.
struct ReplayMerger {
    private var feeds: [ReplayFeed]

    init(feeds: [ReplayFeed]) throws {
        // A single file is replayed in file order: its messages need no merge key.
        for feed in feeds { feed.needsMergeKey = feeds.count > 1 }
        self.feeds = try feeds.filter { try $0.advance() }
    }

    /// The next message across all feeds, with its feed; `nil` when all are exhausted.
    /// `clock` and `maxJumpSeconds` tell implausible message times (the engine's).
    mutating func next(clock: FeedClock = FeedClock(), maxJumpSeconds: Int64 = .max) throws -> (
        feed: ReplayFeed, result: Result<Message, HL7ReadError>, prepared: PreparedMessage?, offset: Int
    )? {
        func key(_ feed: ReplayFeed) -> Int64 {
            guard let time = feed.pendingTime else { return .min }
            if let previous = feed.previousKey,
                clock.isImplausible(time, maxJumpSeconds: maxJumpSeconds, ceiling: nil)
            {
                return previous
            }
            return time.seconds
        }
        var best: (index: Int, key: Int64)? = nil
        for index in feeds.indices {
            let candidate = key(feeds[index])
            if let chosen = best {
                let left = feeds[index]
                let right = feeds[chosen.index]
                guard
                    (candidate, left.argumentIndex, left.pendingOffset)
                        < (chosen.key, right.argumentIndex, right.pendingOffset)
                else { continue }
            }
            best = (index, candidate)
        }
        guard let (index, chosenKey) = best else { return nil }
        let feed = feeds[index]
        // Moved out (the feed reads its next message into `pending` right after).
        let pending = feed.takePending()!
        feed.markConsumed(upTo: pending.end)
        if chosenKey != .min { feed.previousKey = chosenKey }
        if try !feed.advance() { feeds.remove(at: index) }
        return (feed, pending.result, pending.prepared, pending.offset)
    }
}
