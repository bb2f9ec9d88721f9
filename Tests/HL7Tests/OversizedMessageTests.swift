import HL7
import Testing

/// DESIGN.md section 7, "Memory is bounded on any input": a message over the size limit
/// is skipped while it streams (its first 64 KiB and its length kept), never held whole;
/// the next message is read, and a checkpoint taken in the middle of the skip resumes
/// without losing or repeating a message.
@Suite("Oversized messages")
struct OversizedMessageTests {
    static let limit = 1_000

    /// A message of `bodyBytes` segment bytes after its MSH, with no MSH inside.
    static func giant(bodyBytes: Int, terminator: UInt8 = 0x0D) -> [UInt8] {
        var bytes = Array("MSH|^~\\&|BIG|X|||20260305140000||ORU^R01|G1|P|2.5.1\r".utf8)
        var line = 0
        while bytes.count < bodyBytes {
            line += 1
            bytes +=
                Array("NTE|\(line)||".utf8) + [UInt8](repeating: 0x61 + UInt8(line % 26), count: 97) + [
                    terminator
                ]
        }
        return bytes
    }

    static let before = Array("MSH|^~\\&|A\rPID|1\r".utf8)
    static let after = Array("MSH|^~\\&|C\rPID|3\r".utf8)

    /// What a reader yields, as text: `offset:ok:MSH-3` or `offset:code:length:prefix-count`.
    static func describe(_ result: Result<Message, HL7ReadError>) -> String {
        switch result {
        case .success(let message): return "\(message.offset):ok:\(message["MSH-3"] ?? "")"
        case .failure(let error):
            return "\(error.offset):\(error.code):\(error.messageLength ?? -1):\(error.retainedPrefix.count)"
        }
    }

    /// Reads `bytes` from `start` in chunks of `chunkSize`, checking after each chunk that
    /// the framer holds at most the limit, one chunk and 64 KiB; returns the results and,
    /// after each chunk, the checkpoint and how many results came before it.
    static func read(
        _ bytes: [UInt8], from start: Int = 0, chunkSize: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> (results: [Result<Message, HL7ReadError>], checkpoints: [(offset: Int, yielded: Int)]) {
        let limits = ParseLimits(maximumMessageBytes: limit, maximumSegments: .max, maximumFieldBytes: .max)
        var reader =
            start == 0 ? MessageReader(limits: limits) : MessageReader(resumingAt: start, limits: limits)
        var results: [Result<Message, HL7ReadError>] = []
        var checkpoints: [(offset: Int, yielded: Int)] = []
        var largest = 0
        var position = start
        while position < bytes.count {
            let end = min(bytes.count, position + chunkSize)
            reader.append(contentsOf: bytes[position..<end])
            while let result = reader.next() { results.append(result) }
            largest = max(largest, reader.framer.bufferedByteCount)
            checkpoints.append((reader.framer.consumedOffset, results.count))
            position = end
        }
        reader.finish()
        while let result = reader.next() { results.append(result) }
        #expect(
            largest <= limit + chunkSize + MessageFramer.oversizedPrefixBytes,
            "the framer held \(largest) bytes", sourceLocation: sourceLocation)
        return (results, checkpoints)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1_000, 4_096, 65_536, 1 << 20])
    func anOversizedMessageIsSkippedWhileItStreamsAndTheNextIsRead(chunkSize: Int) {
        let giant = Self.giant(bodyBytes: 200_000)
        let input = Self.before + giant + Self.after
        let (results, _) = Self.read(input, chunkSize: chunkSize)
        let giantOffset = Self.before.count
        #expect(
            results.map(Self.describe) == [
                "0:ok:A", "\(giantOffset):message_too_large:\(giant.count):65536",
                "\(giantOffset + giant.count):ok:C",
            ])
        guard results.count == 3, case .failure(let error) = results[1] else { return }
        let exactPrefix = error.retainedPrefix == Array(giant.prefix(65_536))  // no diff of 64 KiB arrays
        #expect(exactPrefix, "its first 64 KiB, as they were (\(error.retainedPrefix.count) bytes kept)")
        #expect(error.description.contains("message of \(giant.count) bytes exceeds the limit of 1000"))
        #expect(!error.description.contains("NTE"), "never the message text")
    }

    @Test(arguments: [1, 5, 997, 4_096, 70_000])
    func resumingAtAnyCheckpointLosesAndRepeatsNoMessage(chunkSize: Int) {
        let giant = Self.giant(bodyBytes: 150_000)
        let input = Self.before + giant + Self.after + Self.giant(bodyBytes: 3_000) + Self.after
        let (results, checkpoints) = Self.read(input, chunkSize: chunkSize)
        let expected = results.map(Self.describe)
        #expect(expected.count == 5)
        // Every checkpoint in the middle of a skip stands at the skipped message's MSH.
        let skipping = checkpoints.filter { $0.yielded == 1 }
        #expect(skipping.allSatisfy { $0.offset == Self.before.count })
        // Resume at a sample of the checkpoints (all with small chunks would take long).
        let step = max(1, checkpoints.count / 40)
        for (offset, yielded) in stride(from: 0, to: checkpoints.count, by: step).map({ checkpoints[$0] }) {
            let resumed = Self.read(input, from: offset, chunkSize: chunkSize).results.map(Self.describe)
            #expect(resumed == Array(expected[yielded...]), "resumed at \(offset)")
        }
    }

    @Test func anOversizedMessageWholeInOneChunkReadsAsOneThatStreamed() {
        let giant = Self.giant(bodyBytes: 90_000)
        let input = Self.before + giant + Self.after
        let whole = Self.read(input, chunkSize: input.count).results
        let streamed = Self.read(input, chunkSize: 100).results
        #expect(whole.map(Self.describe) == streamed.map(Self.describe))
        if case .failure(let a) = whole[1], case .failure(let b) = streamed[1] {
            let same = a == b  // not inside #expect: no diff of 64 KiB prefixes
            #expect(same, "the same error, the same first bytes")
        }
    }

    @Test func aMessageOfExactlyTheLimitIsRead() {
        var exact = Array("MSH|^~\\&|B\rNTE|1||".utf8)
        exact += [UInt8](repeating: 0x62, count: Self.limit - exact.count - 1) + [0x0D]
        #expect(exact.count == Self.limit)
        for chunkSize in [1, 3, 999, 1_000, 1_001] {
            let results = Self.read(Self.before + exact + Self.after, chunkSize: chunkSize).results
            #expect(
                results.map(Self.describe) == ["0:ok:A", "17:ok:B", "\(17 + Self.limit):ok:C"],
                "chunk \(chunkSize)")
        }
    }

    @Test func anOversizedMessageEndsAtFrameEndAtEndOfInputAndWhenSettled() {
        let giant = Self.giant(bodyBytes: 80_000)
        // MLLP: 0x0B before, 0x1C 0x0D after.
        let framed = [0x0B] + giant + [0x1C, 0x0D] + [0x0B] + Self.after + [0x1C, 0x0D]
        #expect(
            Self.read(framed, chunkSize: 333).results.map(Self.describe) == [
                "1:message_too_large:\(giant.count):65536", "\(giant.count + 4):ok:C",
            ])
        // The last message of the input.
        #expect(
            Self.read(Self.before + giant, chunkSize: 4_096).results.map(Self.describe) == [
                "0:ok:A", "17:message_too_large:\(giant.count):65536",
            ])
        // A follower's settle time: completed while its last byte is a terminator.
        let limits = ParseLimits(
            maximumMessageBytes: Self.limit, maximumSegments: .max, maximumFieldBytes: .max)
        var reader = MessageReader(limits: limits)
        var position = 0
        while position < giant.count {
            reader.append(contentsOf: giant[position..<min(giant.count, position + 4_096)])
            #expect(reader.next() == nil)
            position += 4_096
        }
        #expect(reader.framer.isSkippingOversizedMessage)
        #expect(reader.framer.consumedOffset == 0)
        let settled = reader.completePending()
        #expect(settled.map(Self.describe) == "0:message_too_large:\(giant.count):65536")
        #expect(reader.lastMessageEndOffset == giant.count)
        #expect(!reader.framer.isSkippingOversizedMessage)
        reader.append(contentsOf: Self.after)
        reader.finish()
        #expect(reader.next().map(Self.describe) == "\(giant.count):ok:C")
    }

    @Test func withoutALimitTheParserCeilingStillApplies() {
        // `inspect` reads without limits; the framer still skips past what the parser can
        // index (Int32.max bytes), rather than holding a longer message whole.
        #expect(MessageReader().framer.maximumMessageBytes == Int(Int32.max) - 1)
        #expect(MessageFramer(maximumMessageBytes: 10).maximumMessageBytes == 10)
    }
}
