import ClinicalEvents
import FeedIO
import HL7
import Surveillance

/// One feed file being replayed: its messages in file order, read in chunks, with the
/// next one held so files can be merged by MSH-7.
final class ReplayFeed {
    /// The path as given on the command line.
    let path: String
    /// Position on the command line (ties between files go to the earlier one).
    let argumentIndex: Int
    private let source: FileByteSource
    private var reader: MessageReader
    private var exhausted = false
    /// The next message (or unreadable message) and its MSH-7 (`nil`: unreadable, or not
    /// needed because files are not merged).
    private(set) var pending: (result: Result<Message, HL7ReadError>, offset: Int, end: Int, time: Instant?)?
    /// The merge key of the message last handed out from this file (`nil` before the
    /// first): an implausible message is ordered at it.
    var previousKey: Int64?
    private let times: TimeReader
    /// Whether messages need their merge key (MSH-7): only when files are merged.
    var needsMergeKey = true

    /// Offset just past the last message handed out (where a later replay resumes).
    private(set) var consumedOffset: Int

    init(path: String, argumentIndex: Int, limits: ParseLimits, times: TimeReader, resumeAt offset: Int = 0)
        throws(FeedIOError)
    {
        self.path = path
        self.argumentIndex = argumentIndex
        self.times = times
        source = try FileByteSource(path: path, startingAt: offset)
        reader =
            offset > 0 ? MessageReader(resumingAt: offset, limits: limits) : MessageReader(limits: limits)
        consumedOffset = offset
    }

    func markConsumed(upTo offset: Int) { consumedOffset = offset }

    /// Reads ahead to the next message; `false` when the file is exhausted.
    func advance() throws -> Bool {
        pending = nil
        while true {
            if let result = reader.next() {
                let offset = reader.lastMessageOffset
                var time: Instant? = nil
                if needsMergeKey, case .success(let message) = result {
                    time = times.instant(message.header[7])
                }
                pending = (result, offset, reader.lastMessageEndOffset, time)
                return true
            }
            if exhausted { return false }
            if try !source.readChunk({ reader.append($0) }) {
                reader.finish()
                exhausted = true
            }
        }
    }
}

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
        feed: ReplayFeed, result: Result<Message, HL7ReadError>, offset: Int
    )? {
        func key(_ feed: ReplayFeed) -> Int64 {
            guard let time = feed.pending!.time else { return .min }
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
                    (candidate, left.argumentIndex, left.pending!.offset)
                        < (chosen.key, right.argumentIndex, right.pending!.offset)
                else { continue }
            }
            best = (index, candidate)
        }
        guard let (index, chosenKey) = best else { return nil }
        let feed = feeds[index]
        let pending = feed.pending!
        feed.markConsumed(upTo: pending.end)
        if chosenKey != .min { feed.previousKey = chosenKey }
        if try !feed.advance() { feeds.remove(at: index) }
        return (feed, pending.result, pending.offset)
    }
}
