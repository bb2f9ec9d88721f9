import MLLP
import Testing

/// `MLLPFrameDecoder`: frames, bytes outside them, oversized and cut-short frames, over
/// any split of the stream.
@Suite("MLLP frame decoder")
struct FrameDecoderTests {
    static let first = Array("MSH|^~\\&|A|B|C|D|20240101000000||ADT^A01|1|P|2.5\rPID|1\r".utf8)
    static let second = Array("MSH|^~\\&|A|B|C|D|20240101000001||ADT^A08|2|P|2.5\r".utf8)

    /// Garbage before, between and after two frames, a stray `0x1C` and `0x0D` between them.
    static var stream: [UInt8] {
        Array("junk".utf8) + MLLPFrameEncoder.frame(first)! + [0x0A, 0x1C, 0x41, 0x0D]
            + MLLPFrameEncoder.frame(second)! + Array("tail".utf8)
    }

    static let expected: [MLLPFrameEvent] = [
        .discarded(MLLPDiscard(byteCount: 4, reason: .outsideFrame)), .frame(first),
        .discarded(MLLPDiscard(byteCount: 4, reason: .outsideFrame)), .frame(second),
        .discarded(MLLPDiscard(byteCount: 4, reason: .outsideFrame)),
    ]

    @Test("garbage before, between and after frames is counted, the frames decode")
    func garbageIsCounted() {
        var decoder = MLLPFrameDecoder(maximumFrameBytes: 1024)
        let events = decoder.append(contentsOf: Self.stream) + decoder.finish()
        #expect(events == Self.expected)
        #expect(decoder.discardedByteCount == 12)
    }

    @Test("every split of a stream into two or three chunks gives the same events")
    func everySplit() {
        let stream = Self.stream
        for cut in 0...stream.count {
            var decoder = MLLPFrameDecoder(maximumFrameBytes: 1024)
            let events =
                decoder.append(contentsOf: Array(stream[..<cut]))
                + decoder.append(contentsOf: Array(stream[cut...]))
                + decoder.finish()
            #expect(events == Self.expected, "split at \(cut)")
            for second in stride(from: cut, through: stream.count, by: 7) {
                var decoder = MLLPFrameDecoder(maximumFrameBytes: 1024)
                let events =
                    decoder.append(contentsOf: Array(stream[..<cut]))
                    + decoder.append(contentsOf: Array(stream[cut..<second]))
                    + decoder.append(contentsOf: Array(stream[second...])) + decoder.finish()
                #expect(events == Self.expected, "split at \(cut) and \(second)")
            }
        }
    }

    @Test("a stream fed one byte at a time gives the same events")
    func byteByByte() {
        var decoder = MLLPFrameDecoder(maximumFrameBytes: 1024)
        var events: [MLLPFrameEvent] = []
        for byte in Self.stream { events += decoder.append(contentsOf: [byte]) }
        events += decoder.finish()
        #expect(events == Self.expected)
    }

    @Test("an oversized frame is reported once, never held past the limit, and the next frame decodes")
    func oversizedFrame() {
        let limit = 100
        let big = Self.first + [UInt8](repeating: 0x41, count: 10_000)
        let stream = MLLPFrameEncoder.frame(big)! + MLLPFrameEncoder.frame(Self.second)!
        for chunkSize in [1, 3, 64, 4096, stream.count] {
            var decoder = MLLPFrameDecoder(maximumFrameBytes: limit)
            var events: [MLLPFrameEvent] = []
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + chunkSize)
                events += decoder.append(contentsOf: Array(stream[start..<end]))
                #expect(decoder.bufferedByteCount <= limit)
                start = end
            }
            events += decoder.finish()
            #expect(
                events == [
                    .oversizedFrame(MLLPOversizedFrame(length: big.count, head: Array(big.prefix(limit)))),
                    .frame(Self.second),
                ], "chunks of \(chunkSize)")
        }
    }

    @Test("a frame of exactly the limit is handed out whole")
    func frameAtTheLimit() {
        var decoder = MLLPFrameDecoder(maximumFrameBytes: Self.first.count)
        #expect(decoder.append(contentsOf: MLLPFrameEncoder.frame(Self.first)!) == [.frame(Self.first)])
    }

    @Test("an oversized frame keeps only its first 4096 bytes under a large limit")
    func oversizedHead() {
        let big = [UInt8](repeating: 0x42, count: 20_000)
        var decoder = MLLPFrameDecoder(maximumFrameBytes: 10_000)
        let events = decoder.append(contentsOf: MLLPFrameEncoder.frame(big)!)
        #expect(
            events == [
                .oversizedFrame(
                    MLLPOversizedFrame(
                        length: 20_000, head: Array(big.prefix(MLLPFrameDecoder.oversizedHeadBytes))))
            ])
    }

    @Test("a new start before the end: the cut-short frame is discarded, the new one decodes")
    func cutShortFrame() {
        let partial = Array("MSH|^~\\&|A|B".utf8)
        let stream = [0x0B] + partial + MLLPFrameEncoder.frame(Self.second)!
        for cut in 0...stream.count {
            var decoder = MLLPFrameDecoder(maximumFrameBytes: 1024)
            let events =
                decoder.append(contentsOf: Array(stream[..<cut]))
                + decoder.append(contentsOf: Array(stream[cut...]))
                + decoder.finish()
            #expect(
                events == [
                    .discarded(MLLPDiscard(byteCount: partial.count + 1, reason: .cutShort)),
                    .frame(Self.second),
                ], "split at \(cut)")
        }
    }

    @Test("a 0x1C not followed by 0x0D discards the frame; a start right after it begins the next")
    func endBlockWithoutCarriageReturn() {
        let stream = [0x0B] + Self.first + [0x1C] + MLLPFrameEncoder.frame(Self.second)!
        var decoder = MLLPFrameDecoder(maximumFrameBytes: 1024)
        let events = decoder.append(contentsOf: stream) + decoder.finish()
        #expect(
            events == [
                .discarded(
                    MLLPDiscard(byteCount: Self.first.count + 2, reason: .endBlockWithoutCarriageReturn)),
                .frame(Self.second),
            ])
        var other = MLLPFrameDecoder(maximumFrameBytes: 1024)
        let more = other.append(contentsOf: [0x0B, 0x41, 0x1C, 0x42, 0x43]) + other.finish()
        #expect(
            more == [
                .discarded(MLLPDiscard(byteCount: 3, reason: .endBlockWithoutCarriageReturn)),
                .discarded(MLLPDiscard(byteCount: 2, reason: .outsideFrame)),
            ])
        #expect(other.discardedByteCount == 5)
    }

    @Test("a frame still open when the stream ends is reported, with its end block when seen")
    func unfinishedAtEnd() {
        var decoder = MLLPFrameDecoder(maximumFrameBytes: 1024)
        #expect(decoder.append(contentsOf: [0x0B, 0x41, 0x42]).isEmpty)
        #expect(decoder.isInsideFrame)
        #expect(decoder.finish() == [.discarded(MLLPDiscard(byteCount: 3, reason: .unfinishedAtEnd))])
        #expect(decoder.append(contentsOf: [0x0B, 0x41, 0x1C]).isEmpty)
        #expect(decoder.finish() == [.discarded(MLLPDiscard(byteCount: 3, reason: .unfinishedAtEnd))])
        #expect(decoder.append(contentsOf: MLLPFrameEncoder.frame([0x41])!) == [.frame([0x41])])
    }

    @Test("an empty frame is a frame; a message with 0x0B or 0x1C cannot be framed")
    func emptyAndUnframeable() {
        var decoder = MLLPFrameDecoder(maximumFrameBytes: 0)
        #expect(decoder.append(contentsOf: [0x0B, 0x1C, 0x0D]) == [.frame([])])
        #expect(MLLPFrameEncoder.frame([0x41, 0x1C]) == nil)
        #expect(MLLPFrameEncoder.frame([0x0B]) == nil)
        #expect(MLLPFrameEncoder.frame([0x41]) == [0x0B, 0x41, 0x1C, 0x0D])
    }
}
