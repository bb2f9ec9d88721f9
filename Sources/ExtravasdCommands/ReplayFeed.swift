import ClinicalEvents
import FeedIO
import HL7

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
    /// The next message (or unreadable message) and its merge key.
    private(set) var pending: (result: Result<Message, HL7ReadError>, offset: Int, end: Int, key: Int64)?
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
        reader = offset > 0 ? MessageReader(resumingAt: offset, limits: limits) : MessageReader(limits: limits)
        consumedOffset = offset
    }

    func markConsumed(upTo offset: Int) { consumedOffset = offset }

    /// Reads ahead to the next message; `false` when the file is exhausted.
    func advance() throws -> Bool {
        pending = nil
        while true {
            if let result = reader.next() {
                let offset = reader.lastMessageOffset
                // Unreadable messages and unreadable MSH-7 sort first: they are reported at once.
                var key = Int64.min
                if needsMergeKey, case .success(let message) = result, let time = times.instant(message.header[7]) {
                    key = time.seconds
                }
                pending = (result, offset, reader.lastMessageEndOffset, key)
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
struct ReplayMerger {
    private var feeds: [ReplayFeed]

    init(feeds: [ReplayFeed]) throws {
        // A single file is replayed in file order: its messages need no merge key.
        for feed in feeds { feed.needsMergeKey = feeds.count > 1 }
        self.feeds = try feeds.filter { try $0.advance() }
    }

    /// The next message across all feeds, with its feed; `nil` when all are exhausted.
    mutating func next() throws -> (feed: ReplayFeed, result: Result<Message, HL7ReadError>, offset: Int)? {
        guard
            let index = feeds.indices.min(by: { a, b in
                let left = feeds[a]
                let right = feeds[b]
                return (left.pending!.key, left.argumentIndex, left.pending!.offset)
                    < (right.pending!.key, right.argumentIndex, right.pending!.offset)
            })
        else { return nil }
        let feed = feeds[index]
        let pending = feed.pending!
        feed.markConsumed(upTo: pending.end)
        if try !feed.advance() { feeds.remove(at: index) }
        return (feed, pending.result, pending.offset)
    }
}
