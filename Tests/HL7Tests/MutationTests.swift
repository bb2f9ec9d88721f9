import FeedGen
import HL7
import Testing

/// Random damage to real messages never crashes the reader: each damaged input is read
/// whole and in small chunks, every part of every message is split and decoded, and
/// the reader still finds the undamaged message that follows.
@Suite("Mutations")
struct MutationTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    enum Mutation: CaseIterable {
        case truncate, flipByte, insertDelimiter, insertNUL, deleteRange, duplicateRange
    }

    static func samples() -> [[UInt8]] {
        var samples: [[UInt8]] = []
        if let corpusDirectory {
            for folder in ["python-hl7", "hapi-hl7v2", "FHIR-Converter"] {
                for file in FileSystem.files(in: corpusDirectory + "/" + folder).prefix(25)
                where !file.contains("LICENSE") {
                    let bytes = FileSystem.bytes(file)
                    if bytes.count < 20_000 { samples.append(bytes) }
                }
            }
        }
        let generated = FeedGenerator.feed(
            options: FeedOptions(seed: 5, terminator: .mixed, alternateDelimitersShare: 0.3), messageCount: 40
        )
        for message in MessageReader.readAll(generated) {
            if case .success(let parsed) = message { samples.append(parsed.bytes) }
        }
        return samples
    }

    static func mutate(_ input: [UInt8], _ mutation: Mutation, _ random: inout Random) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return bytes }
        let at = random.below(bytes.count)
        switch mutation {
        case .truncate: bytes.removeSubrange(at...)
        case .flipByte: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << random.below(8))
        case .insertDelimiter:
            let delimiters: [UInt8] = Array("|^~\\&#\r\n".utf8) + [0x0B, 0x1C]
            bytes.insert(delimiters[random.below(delimiters.count)], at: at)
        case .insertNUL: bytes.insert(contentsOf: [UInt8](repeating: 0, count: 1 + random.below(4)), at: at)
        case .deleteRange: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(12)))
        case .duplicateRange:
            bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 1 + random.below(40))], at: at)
        }
        return bytes
    }

    @Test func randomMutationsOfCorpusMessagesNeverCrashTheReader() {
        var random = Random(state: 20_261_129)
        let sentinel = Array("\rMSH|^~\\&|SENTINEL|||||||SENTINEL-1|P|2.5\rPID|1||1\r".utf8)
        var inputs = 0
        for sample in Self.samples() {
            for _ in 0..<30 {
                var damaged = sample
                for _ in 0...random.below(3) {
                    damaged = Self.mutate(
                        damaged, Mutation.allCases[random.below(Mutation.allCases.count)], &random)
                }
                damaged += sentinel
                inputs += 1
                let whole = MessageReader.readAll(damaged)
                let chunked = readChunked(damaged, chunkSize: 1 + random.below(16))
                #expect(whole.count == chunked.count)
                for case .success(let message) in whole { _ = InspectProbe.touchEverything(message) }
                // The undamaged message after the damage is always read.
                let last = whole.last.flatMap { try? $0.get() }
                #expect(last?.controlID == "SENTINEL-1")
            }
        }
        #expect(inputs >= 1_000)
    }
}
