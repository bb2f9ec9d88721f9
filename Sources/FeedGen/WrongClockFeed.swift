/// A feed with messages from a wrong clock inserted: ADT^A08 of unrelated patients dated
/// 2062 and 1990 (a mistyped year, a device with a wrong clock) at seeded random points,
/// and after the last of them a resend (same MSH-3, MSH-4, MSH-10) of the message before
/// the first of them. Used to check that no wrong timestamp changes anybody else's alerts, and
/// that resends are still recognised after them.
public struct WrongClockFeed: Sendable {
    /// The feed with the wrong-clock messages and the resend.
    public var feed: [UInt8]
    /// The same feed without the wrong-clock messages (the resend kept): what the feed
    /// must give.
    public var reference: [UInt8]
    /// How many wrong-clock messages were inserted.
    public var wrongClockMessages: Int
    /// Whether a resend was inserted (a feed whose wrong-clock messages all come before
    /// any applicable message gets none).
    public var hasResend: Bool

    /// Inserts `count` wrong-clock ADT^A08 (alternately 2062 and 1990) into `bytes` at
    /// points drawn with `seed` (message boundaries: `MSH|` at the start or after CR or LF).
    public static func make(from bytes: [UInt8], seed: UInt64, count: Int = 4) -> WrongClockFeed {
        let chunks = messageChunks(bytes)
        var random = SeededRandom(seed: seed)
        // Before which chunk each wrong-clock message goes (chunks.count: at the end).
        let points = (0..<count).map { _ in Int.random(in: 0...chunks.count, using: &random) }.sorted()
        // The resend is of the last message before the first wrong-clock one (which is
        // from 2062): a clock that followed that message would have pruned its identity.
        let resent = (0..<(points.first ?? 0)).last { isApplicable(chunks[$0]) }
        var feed: [UInt8] = []
        var reference: [UInt8] = []
        var inserted = 0
        for index in 0...chunks.count {
            while inserted < points.count && points[inserted] == index {
                terminate(&feed)
                feed += wrongClockMessage(seed: seed, number: inserted)
                if inserted == points.count - 1, let resent {
                    terminate(&feed)
                    terminate(&reference)
                    feed += chunks[resent]
                    reference += chunks[resent]
                }
                inserted += 1
            }
            if index < chunks.count {
                feed += chunks[index]
                reference += chunks[index]
            }
        }
        return WrongClockFeed(
            feed: feed, reference: reference, wrongClockMessages: count, hasResend: resent != nil)
    }

    /// An ADT^A08 of an unrelated patient dated 2062 (even numbers) or 1990 (odd).
    public static func wrongClockMessage(seed: UInt64, number: Int) -> [UInt8] {
        let time = number % 2 == 0 ? "20620101120000" : "19900101120000"
        let text =
            "MSH|^~\\&|BADCLOCK|ELSEWHERE|EXTRAVASD|CHILDRENS|\(time)||ADT^A08^ADT_A01|"
            + "WC\(seed)X\(number)|P|2.5.1\r"
            + "EVN|A08|\(time)\r" + "PID|1||WC\(seed)X\(number)^^^ELSEWHERE^MR||CLOCK^WRONG||19800101|U\r"
            + "PV1|1|I|WARD^1^A\r"
        return Array(text.utf8)
    }

    /// `bytes` cut before each `MSH|` at the start or right after a CR or LF (bytes before
    /// the first message, if any, make a chunk of their own).
    public static func messageChunks(_ bytes: [UInt8]) -> [[UInt8]] {
        var starts: [Int] = []
        var index = 0
        while index + 4 <= bytes.count {
            if (index == 0 || bytes[index - 1] == 0x0D || bytes[index - 1] == 0x0A) && bytes[index] == 0x4D
                && bytes[index + 1] == 0x53 && bytes[index + 2] == 0x48 && bytes[index + 3] == 0x7C
            {
                starts.append(index)
            }
            index += 1
        }
        guard !starts.isEmpty else { return bytes.isEmpty ? [] : [bytes] }
        var chunks: [[UInt8]] = []
        if starts[0] > 0 { chunks.append(Array(bytes[..<starts[0]])) }
        for (position, start) in starts.enumerated() {
            let end = position + 1 < starts.count ? starts[position + 1] : bytes.count
            chunks.append(Array(bytes[start..<end]))
        }
        return chunks
    }

    /// Whether a chunk is one message the engine applies and remembers (ADT, an order, an
    /// observation, with a control id): a resend of it must be recognised.
    static func isApplicable(_ chunk: [UInt8]) -> Bool {
        let line = chunk.prefix { $0 != 0x0D && $0 != 0x0A }
        let fields = line.split(separator: 0x7C, omittingEmptySubsequences: false)
        guard fields.count > 9, !fields[9].isEmpty else { return false }
        let type = String(decoding: fields[8], as: UTF8.self)
        return ["ADT^A01", "ADT^A08", "ORU^R01", "RDE^O11"].contains { type.hasPrefix($0) }
    }

    /// Ends `bytes` with a CR unless it already ends a line (so an `MSH` appended starts one).
    private static func terminate(_ bytes: inout [UInt8]) {
        if let last = bytes.last, last != 0x0D && last != 0x0A { bytes.append(0x0D) }
    }
}
