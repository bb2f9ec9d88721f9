import Dispatch
import Glibc
import HL7
import Synchronization
import Threads

/// Reads a feed on a thread of its own: framing, parsing and a per-message preparation
/// step run there, ahead of the consumer, which pulls the results in order with
/// ``next()``. On a 2-core machine replay then uses both cores: this thread reads while
/// the engine processes (DESIGN.md section 9).
///
/// The results are those of a ``ParsedMessageStream`` over the same bytes (same messages,
/// unreadable ones, offsets, and the source's error after the messages read before it).
/// The thread hands them over in batches (up to `batchCount` messages or `batchBytes` of
/// input) through a queue of `capacity` batches: it runs ahead by at most that much, so
/// memory stays bounded whatever the feed's size.
///
/// The thread ends at the end of the input, at an error, or soon after ``stop()`` (called
/// when the pipeline goes away): a consumer may stop early at any point.
///
/// `Prepared` is what the preparation step makes of each message (a replay's feed: the
/// message and its merge key). One consumer pulls from a pipeline, on one thread at a
/// time (it is not `Sendable`).
public final class ParsedMessagePipeline<Prepared: Sendable> {
    /// How a batch ends the input.
    private enum Ending: Sendable {
        case finished
        case failed(any Error)
    }

    /// What the thread hands over: messages, and after the last of them how the input ended.
    private struct Delivery: Sendable {
        var messages: [ParsedMessage<Prepared>]
        var ending: Ending?
    }

    /// Hands the source to the reading thread, the only one to use it from then on.
    private final class SourceBox: @unchecked Sendable {
        let source: any ChunkedBytes
        init(_ source: any ChunkedBytes) { self.source = source }
    }

    /// Batches the consumer is done with, handed back for the reading thread to free.
    ///
    /// Their messages were allocated on the reading thread: freed on the consumer's, glibc
    /// would lock the reading thread's arena for most of their blocks, and the two threads
    /// would contend for it on every message.
    private final class SpentBatches: Sendable {
        private struct State {
            var batches: [[ParsedMessage<Prepared>]] = []
            var readingEnded = false
        }
        private let state = Mutex(State())

        /// Hands `batch` back; `false` when the reading thread is gone (the caller frees it).
        func giveBack(_ batch: [ParsedMessage<Prepared>]) -> Bool {
            state.withLock { state in
                guard !state.readingEnded else { return false }
                state.batches.append(batch)
                return true
            }
        }

        /// The batches handed back so far (for the reading thread to free).
        func takeAll() -> [[ParsedMessage<Prepared>]] {
            state.withLock { state in
                defer { state.batches = [] }
                return state.batches
            }
        }

        /// The reading thread's last call: the batches handed back so far; later ones are
        /// refused.
        func readingEnds() -> [[ParsedMessage<Prepared>]] {
            state.withLock { state in
                state.readingEnded = true
                defer { state.batches = [] }
                return state.batches
            }
        }
    }

    // The defaults keep the thread a little ahead, no more: the messages it parsed are
    // still in the caches when the engine reads them (batches of 256 messages, 4 ahead,
    // measured slower: the engine then reads them from memory).
    /// The end of the reading thread's work: when, and the CPU time it took.
    private final class ReadingEnd: Sendable {
        /// Signalled once when the reading thread's work is over.
        let done = DispatchSemaphore(value: 0)
        /// The reading thread's CPU time, set when its work is over.
        let cpuTime = Mutex<Duration?>(nil)

        /// Called last on the reading thread.
        func readingEnds() {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            cpuTime.withLock { $0 = .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec) }
            done.signal()
        }
    }

    /// Messages per batch at most (default).
    public static var defaultBatchCount: Int { 64 }
    /// Bytes of input per batch at most, give or take a message (default).
    public static var defaultBatchBytes: Int { 256 * 1024 }
    /// Batches the thread may run ahead (default).
    public static var defaultCapacity: Int { 2 }

    private let queue: HandOffQueue<Delivery>
    private let spent = SpentBatches()
    private let readingEnd = ReadingEnd()
    // The consumer's side.
    private var batch: [ParsedMessage<Prepared>] = []
    private var position = 0
    private var ending: Ending?

    /// Starts reading `source` on a new thread named `name`; `nil` when no thread can be
    /// started (the source is then untouched: the caller may read it in place).
    ///
    /// - Parameters:
    ///   - source: the bytes; from `offset` of the input on (a recorded message boundary, or 0).
    ///   - limits: the limits each message is parsed with.
    ///   - makePrepare: called once, on the thread, for the preparation step it runs on each
    ///     message (state it keeps is the thread's own).
    public convenience init?(
        source: any ChunkedBytes, limits: ParseLimits, resumingAt offset: Int = 0,
        name: String = "replay-reader",
        batchCount: Int = defaultBatchCount, batchBytes: Int = defaultBatchBytes,
        capacity: Int = defaultCapacity,
        makePrepare: @escaping @Sendable () -> (Message) -> Prepared
    ) {
        self.init(
            source: source, limits: limits, resumingAt: offset, name: name, batchCount: batchCount,
            batchBytes: batchBytes, capacity: capacity, makeAdaptivePrepare: { _ in makePrepare() })
    }

    /// Starts reading `source` on a new thread named `name`, with a preparation step that
    /// may look at how far ahead the thread is (``ReadAhead``) to share the work with the
    /// consumer: e.g. prepare messages further while the consumer is behind, less while it
    /// waits. `nil` when no thread can be started (the source is then untouched).
    ///
    /// - Parameters:
    ///   - source: the bytes; from `offset` of the input on (a recorded message boundary, or 0).
    ///   - limits: the limits each message is parsed with.
    ///   - makeAdaptivePrepare: called once, on the thread, with the thread's ``ReadAhead``,
    ///     for the preparation step it runs on each message.
    public init?(
        source: any ChunkedBytes, limits: ParseLimits, resumingAt offset: Int = 0,
        name: String = "replay-reader",
        batchCount: Int = defaultBatchCount, batchBytes: Int = defaultBatchBytes,
        capacity: Int = defaultCapacity,
        makeAdaptivePrepare: @escaping @Sendable (ReadAhead) -> (Message) -> Prepared
    ) {
        let queue = HandOffQueue<Delivery>(capacity: capacity)
        self.queue = queue
        let readAhead = ReadAhead(capacity: max(1, capacity)) { queue.count }
        let readingEnd = readingEnd
        let spent = spent
        let box = SourceBox(source)
        let batchCount = max(1, batchCount)
        let failure = startDetachedThread {
            defer {
                _ = spent.readingEnds()
                readingEnd.readingEnds()
            }
            SerialThread.nameThisThread(name)
            var stream = ParsedMessageStream(
                source: box.source, limits: limits, resumingAt: offset, keepReading: { !queue.isClosed },
                prepare: makeAdaptivePrepare(readAhead))
            var messages: [ParsedMessage<Prepared>] = []
            messages.reserveCapacity(batchCount)
            var bytes = 0
            do {
                while let message = try stream.next() {
                    bytes += message.endOffset - message.offset
                    messages.append(message)
                    guard messages.count >= batchCount || bytes >= batchBytes else { continue }
                    // (Freed here, on the thread that allocated them.)
                    _ = spent.takeAll()
                    guard queue.send(Delivery(messages: messages, ending: nil)) else { return }
                    messages = []
                    messages.reserveCapacity(batchCount)
                    bytes = 0
                }
                _ = queue.send(Delivery(messages: messages, ending: .finished))
            } catch {
                _ = queue.send(Delivery(messages: messages, ending: .failed(error)))
            }
        }
        if failure != nil { return nil }
    }

    deinit { stop() }

    /// The next message (prepared) or unreadable message, with its offsets; `nil` at the end
    /// of the input, and after ``stop()``. Blocks while the thread has nothing ready.
    ///
    /// - Throws: the source's error, once the messages read before it were all returned
    ///   (again on each later call).
    public func next() throws -> ParsedMessage<Prepared>? {
        while true {
            if position < batch.count {
                defer { position += 1 }
                return batch[position]
            }
            switch ending {
            case .finished?: return nil
            case .failed(let error)?: throw error
            case nil: break
            }
            guard let delivery = queue.receive() else {
                // Stopped.
                batch = []
                position = 0
                ending = .finished
                return nil
            }
            let used = batch
            batch = delivery.messages
            position = 0
            ending = delivery.ending
            if !used.isEmpty { _ = spent.giveBack(used) }
        }
    }

    /// Stops the pipeline: the thread ends at its next hand-off or chunk (it is not waited
    /// for), and ``next()`` returns `nil` from then on. Safe to call more than once.
    public func stop() {
        queue.close()
        batch = []
        position = 0
        ending = .finished
    }

    /// The CPU time the reading thread took (benchmarks: how the work is shared between the
    /// threads); `nil` until its work is over (see ``waitUntilReadingEnded(timeout:)``).
    public var readingCPUTime: Duration? { readingEnd.cpuTime.withLock { $0 } }

    /// Waits until the reading thread's work is over (the end of its input, an error, or
    /// ``stop()``); `false` when `timeout` passed first.
    public func waitUntilReadingEnded(timeout: DispatchTime = .distantFuture) -> Bool {
        guard readingEnd.done.wait(timeout: timeout) == .success else { return false }
        readingEnd.done.signal()
        return true
    }
}
