import ClinicalEvents
import FeedIO
import HL7
import Surveillance

/// One feed file being replayed: its messages in file order, read in chunks, with the
/// next one held so files can be merged by MSH-7.
///
/// Read ahead on a thread of its own (a ``ParsedMessagePipeline``: framing, parsing and the
/// merge key there, the engine on the replay's thread), or in place when `readAhead` is
/// off (a replay of many files, see ``ReplayRun/maximumReadAheadFiles``). Reading starts
/// at the first ``advance()``.
final class ReplayFeed {
    /// A message as the reading hands it over: the message and its MSH-7 (`nil`: unreadable,
    /// or not needed because files are not merged).
    struct ReadMessage: Sendable {
        var message: Message
        var time: Instant?
        /// The message prepared for the engine on the reading thread (read ahead only:
        /// see ``ReadAheadPreparation``); `nil` when the engine prepares it.
        var prepared: PreparedMessage?
    }

    /// Where the reading is.
    private enum Reading {
        case notStarted(FileByteSource)
        case inPlace(ParsedMessageStream<ReadMessage>)
        case ahead(ParsedMessagePipeline<ReadMessage>)
        case stopped
    }

    /// The path as given on the command line.
    let path: String
    /// Position on the command line (ties between files go to the earlier one).
    let argumentIndex: Int
    private let limits: ParseLimits
    private let startOffset: Int
    private let readAhead: Bool
    private var reading: Reading
    /// The next message (or unreadable message) and its MSH-7 (`nil`: unreadable, or not
    /// needed because files are not merged).
    private(set) var pending:
        (
            result: Result<Message, HL7ReadError>, prepared: PreparedMessage?, offset: Int, end: Int,
            time: Instant?
        )?
    /// The MSH-7 and offset of ``pending`` (`nil` and 0 without one): read by the merger
    /// without copying the message.
    private(set) var pendingTime: Instant?
    private(set) var pendingOffset = 0
    /// The merge key of the message last handed out from this file (`nil` before the
    /// first): an implausible message is ordered at it.
    var previousKey: Int64?
    private let times: TimeReader
    /// The engine's settings, for preparing messages when read ahead.
    private let settings: SurveillanceSettings
    /// Whether messages need their merge key (MSH-7): only when files are merged. Read when
    /// the reading starts.
    var needsMergeKey = true

    /// Offset just past the last message handed out (where a later replay resumes).
    private(set) var consumedOffset: Int

    init(
        path: String, argumentIndex: Int, limits: ParseLimits, settings: SurveillanceSettings,
        resumeAt offset: Int = 0, readAhead: Bool = true
    ) throws(FeedIOError) {
        self.path = path
        self.argumentIndex = argumentIndex
        self.settings = settings
        times = settings.times
        self.limits = limits
        self.readAhead = readAhead
        reading = .notStarted(try FileByteSource(path: path, startingAt: offset))
        startOffset = offset
        consumedOffset = offset
    }

    func markConsumed(upTo offset: Int) { consumedOffset = offset }

    /// Reads ahead to the next message; `false` when the file is exhausted.
    func advance() throws -> Bool {
        pending = nil
        pendingTime = nil
        pendingOffset = 0
        guard let read = try nextMessage() else { return false }
        switch read.result {
        case .success(let ready):
            pending = (.success(ready.message), ready.prepared, read.offset, read.endOffset, ready.time)
            pendingTime = ready.time
        case .failure(let error):
            pending = (.failure(error), nil, read.offset, read.endOffset, nil)
        }
        pendingOffset = read.offset
        return true
    }

    /// Takes the pending message out (moved, not copied): `nil` from then on until the
    /// next ``advance()``.
    func takePending() -> (
        result: Result<Message, HL7ReadError>, prepared: PreparedMessage?, offset: Int, end: Int,
        time: Instant?
    )? {
        pending.take()
    }

    /// Ends the reading (its thread, when read ahead): no message is read from then on.
    func stopReading() {
        if case .ahead(let pipeline) = reading { pipeline.stop() }
        reading = .stopped
    }

    private func nextMessage() throws -> ParsedMessage<ReadMessage>? {
        switch reading {
        case .notStarted(let source):
            startReading(source)
            return try nextMessage()
        case .inPlace(var stream):
            // (Set aside while it reads: the stream's reader is not copied.)
            reading = .stopped
            defer { reading = .inPlace(stream) }
            return try stream.next()
        case .ahead(let pipeline): return try pipeline.next()
        case .stopped: return nil
        }
    }

    private func startReading(_ source: FileByteSource) {
        let times = times
        let needsMergeKey = needsMergeKey
        let makePrepare: @Sendable () -> (Message) -> ReadMessage = {
            { message in
                ReadMessage(message: message, time: needsMergeKey ? times.instant(message.header[7]) : nil)
            }
        }
        // Read ahead, the reading thread also takes a share of the engine's work.
        let makePreparing = ReadAheadPreparation.adaptive(settings: settings)
        let makeAdaptivePrepare: @Sendable (ReadAhead) -> (Message) -> ReadMessage = { readAhead in
            let prepare = makePreparing(readAhead)
            return { message in
                ReadMessage(
                    message: message, time: needsMergeKey ? times.instant(message.header[7]) : nil,
                    prepared: prepare(message))
            }
        }
        if readAhead,
            let pipeline = ParsedMessagePipeline(
                source: source, limits: limits, resumingAt: startOffset,
                makeAdaptivePrepare: makeAdaptivePrepare)
        {
            reading = .ahead(pipeline)
        } else {
            reading = .inPlace(
                ParsedMessageStream(
                    source: source, limits: limits, resumingAt: startOffset, prepare: makePrepare()))
        }
    }
}
