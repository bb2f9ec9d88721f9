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
