import Dispatch
import FeedGen
import Glibc
import HL7
import Synchronization
import Testing

@testable import Replay

/// The pipeline hands over what reading in place reads (messages, unreadable ones, offsets,
/// the source's error where it happened), whatever the chunk and batch sizes, and its
/// thread ends however the consumer stops.
@Suite("Parsed message pipeline")
struct ParsedMessagePipelineTests {
    /// What one read comes to, comparable: the control id (MSH-10) or the error, and the offsets.
    struct Read: Equatable, CustomStringConvertible {
        var outcome: Result<String, HL7ReadError>
        var offset: Int
        var end: Int
        var description: String { "\(outcome) @\(offset)..<\(end)" }

        init(_ read: ParsedMessage<String>) {
            outcome = read.result
            offset = read.offset
            end = read.endOffset
        }
    }

    /// Limits small enough that some generated messages are unreadable (too large, too many
    /// segments, a field too long).
    static let tightLimits = ParseLimits(
        maximumMessageBytes: 3000, maximumSegments: 12, maximumFieldBytes: 300)

    /// A generated feed with junk between messages and truncated headers.
    static let feed: [UInt8] = {
        var bytes = FeedGenerator.feed(
            options: FeedOptions(seed: 11, patients: 5, terminator: .mixed, signShare: 0.3), messageCount: 300
        )
        bytes.insert(contentsOf: Array("junk before a message\r\n".utf8), at: 0)
        bytes += Array("MSH|\rMSH\rnot a message\r".utf8)
        bytes += FeedGenerator.feed(options: FeedOptions(seed: 12, terminator: .cr), messageCount: 50)
        bytes += Array("MSH|^~\\&|A|H|||20260302120000||ADT^A01|TAIL|P|2.5\rPID|1".utf8)
        return bytes
    }()

    static let controlID: @Sendable () -> (Message) -> String = { { $0.header[10].string } }

    /// Every read of `bytes` by a `MessageReader` fed all at once (and told the input
    /// ended, unless `finished` is false): the reference.
    static func reference(_ bytes: some Collection<UInt8>, limits: ParseLimits, finished: Bool = true)
        -> [Read]
    {
        var reader = MessageReader(limits: limits)
        reader.append(contentsOf: bytes)
        if finished { reader.finish() }
        var reads: [Read] = []
        while let result = reader.next() {
            reads.append(
                Read(
                    ParsedMessage(
                        result: result.map { $0.header[10].string }, offset: reader.lastMessageOffset,
                        endOffset: reader.lastMessageEndOffset)))
        }
        return reads
    }

    static func drain(_ pipeline: ParsedMessagePipeline<String>) throws -> [Read] {
        var reads: [Read] = []
        while let read = try pipeline.next() { reads.append(Read(read)) }
        return reads
    }

    @Test(arguments: [(1, 1, 1), (7, 3, 1), (4096, 256, 4), (1 << 20, 2, 2)])
    func thePipelineReadsWhatAReaderReadsWhateverTheChunksAndBatches(
        chunkSize: Int, batchCount: Int, capacity: Int
    ) throws {
        let expected = Self.reference(Self.feed, limits: Self.tightLimits)
        #expect(expected.contains { (try? $0.outcome.get()) != nil })
        #expect(expected.contains { (try? $0.outcome.get()) == nil })
        let pipeline = try #require(
            ParsedMessagePipeline(
                source: InMemoryBytes(Self.feed, chunkSize: chunkSize), limits: Self.tightLimits,
                batchCount: batchCount, capacity: capacity, makePrepare: Self.controlID))
        #expect(try Self.drain(pipeline) == expected)
        #expect(try pipeline.next() == nil)
        #expect(pipeline.waitUntilReadingEnded(timeout: .now() + 10))

        var stream = ParsedMessageStream(
            source: InMemoryBytes(Self.feed, chunkSize: chunkSize), limits: Self.tightLimits,
            prepare: Self.controlID())
        var inPlace: [Read] = []
        while let read = try stream.next() { inPlace.append(Read(read)) }
        #expect(inPlace == expected)
    }

    @Test func aPipelineResumingAtAnOffsetReportsTheInputsOffsets() throws {
        let whole = Self.reference(Self.feed, limits: .service)
        let resume = whole[40].offset
        let pipeline = try #require(
            ParsedMessagePipeline(
                source: InMemoryBytes(Array(Self.feed[resume...]), chunkSize: 999), limits: .service,
                resumingAt: resume, makePrepare: Self.controlID))
        #expect(try Self.drain(pipeline) == Array(whole[40...]))
    }

    /// Hands out a feed in chunks, then fails instead of the chunk `failingChunk`.
    final class FailingBytes: ChunkedBytes {
        struct Failure: Error, Equatable {}
        let inner: InMemoryBytes
        let failingChunk: Int
        var chunks = 0
        init(_ bytes: [UInt8], chunkSize: Int, failingChunk: Int) {
            inner = InMemoryBytes(bytes, chunkSize: chunkSize)
            self.failingChunk = failingChunk
        }
        func readChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
            defer { chunks += 1 }
            if chunks == failingChunk { throw Failure() }
            return try inner.readChunk(body)
        }
    }

    @Test func aReadErrorComesAfterTheMessagesReadBeforeIt() throws {
        let chunkSize = 10_000
        let failingChunk = 20
        // What a reader yields from the chunks read before the error (the input not finished).
        let expected = Self.reference(
            Self.feed[..<(chunkSize * failingChunk)], limits: .service, finished: false)
        var stream = ParsedMessageStream(
            source: FailingBytes(Self.feed, chunkSize: chunkSize, failingChunk: failingChunk),
            limits: .service, prepare: Self.controlID())
        var inPlace: [Read] = []
        #expect(throws: FailingBytes.Failure.self) {
            while let read = try stream.next() { inPlace.append(Read(read)) }
        }
        #expect(!inPlace.isEmpty)
        #expect(inPlace == expected)

        let pipeline = try #require(
            ParsedMessagePipeline(
                source: FailingBytes(Self.feed, chunkSize: chunkSize, failingChunk: failingChunk),
                limits: .service, batchCount: 5, capacity: 1, makePrepare: Self.controlID))
        var piped: [Read] = []
        #expect(throws: FailingBytes.Failure.self) {
            while let read = try pipeline.next() { piped.append(Read(read)) }
        }
        #expect(piped == inPlace)
        // Again on the next call.
        #expect(throws: FailingBytes.Failure.self) { try pipeline.next() }
        #expect(pipeline.waitUntilReadingEnded(timeout: .now() + 10))
    }

    /// A feed that never ends (the same messages over and over); signals `released` when
    /// it goes away (the reading thread let go of it).
    final class EndlessBytes: ChunkedBytes {
        let bytes = Array(message("E1", at: "20260302120000").utf8)
        let released: DispatchSemaphore
        init(released: DispatchSemaphore) { self.released = released }
        deinit { released.signal() }
        func readChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
            try bytes.withUnsafeBytes { try body($0) }
            return true
        }
    }

    @Test func stoppingEndsTheThreadEvenOnAnEndlessFeed() throws {
        let released = DispatchSemaphore(value: 0)
        let pipeline = try #require(
            ParsedMessagePipeline(
                source: EndlessBytes(released: released), limits: .service, batchCount: 8, capacity: 2,
                makePrepare: Self.controlID))
        for _ in 0..<100 { #expect(try pipeline.next()?.result.get() == "E1") }
        pipeline.stop()
        #expect(try pipeline.next() == nil)
        #expect(pipeline.waitUntilReadingEnded(timeout: .now() + 10))
        #expect(released.wait(timeout: .now() + 10) == .success)
    }

    @Test func aPipelineLetGoOfEndsItsThread() throws {
        let released = DispatchSemaphore(value: 0)
        do {
            let pipeline = try #require(
                ParsedMessagePipeline(
                    source: EndlessBytes(released: released), limits: .service, batchCount: 4, capacity: 1,
                    makePrepare: Self.controlID))
            #expect(try pipeline.next()?.result.get() == "E1")
        }
        #expect(released.wait(timeout: .now() + 10) == .success)
    }

    @Test func aPipelineStoppedBeforeItsFirstMessageEndsItsThread() throws {
        let released = DispatchSemaphore(value: 0)
        let pipeline = try #require(
            ParsedMessagePipeline(
                source: EndlessBytes(released: released), limits: .service, makePrepare: Self.controlID))
        pipeline.stop()
        #expect(pipeline.waitUntilReadingEnded(timeout: .now() + 10))
        #expect(released.wait(timeout: .now() + 10) == .success)
    }

    @Test func thePreparationStepRunsOnTheReadingThreadWithItsOwnState() throws {
        let consumerThread = pthread_self()
        let makePrepare: @Sendable () -> (Message) -> Int = {
            var count = 0
            return { _ in
                count += 1
                return pthread_equal(pthread_self(), consumerThread) == 0 ? count : -1
            }
        }
        let pipeline = try #require(
            ParsedMessagePipeline(
                source: InMemoryBytes(Self.feed, chunkSize: 5000), limits: .service, makePrepare: makePrepare)
        )
        var counts: [Int] = []
        while let read = try pipeline.next() {
            if case .success(let count) = read.result { counts.append(count) }
        }
        #expect(counts == Array(1...counts.count))
    }

    /// What the reading thread saw, kept for the test to read.
    final class Depths: Sendable {
        let values = Mutex<[Int]>([])
    }

    @Test func anAdaptivePreparationSeesHowFarTheThreadIsAhead() throws {
        let seen = Depths()
        let makePrepare: @Sendable (ReadAhead) -> (Message) -> String = { ahead in
            { message in
                seen.values.withLock { $0.append(ahead.waitingBatches) }
                return message.header[10].string
            }
        }
        let pipeline = try #require(
            ParsedMessagePipeline(
                source: InMemoryBytes(Self.feed, chunkSize: 5000), limits: .service, batchCount: 1,
                capacity: 2, makeAdaptivePrepare: makePrepare))
        var reads = [try #require(try pipeline.next())].map(Read.init)
        // The thread fills the queue while the consumer is away.
        usleep(200_000)
        while let read = try pipeline.next() { reads.append(Read(read)) }
        #expect(reads == Self.reference(Self.feed, limits: .service))
        let depths = seen.values.withLock { $0 }
        #expect(depths.allSatisfy { (0...2).contains($0) })
        #expect(depths.contains(2))
    }
}
