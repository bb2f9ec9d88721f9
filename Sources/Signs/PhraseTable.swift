/// Phrases of one or more words, found in a tokenised text by longest match.
///
/// Words match whole and case-insensitively; sign, scale, finding and exclusion words
/// also match with a plural `s` or `es` ("blisters", "wet dressings"). The words of a
/// phrase may be separated by spaces, hyphens or a slash ("white-yellow", "w/o"), never
/// by a comma or a stronger break.
///
/// Phrases are kept by first word for editing, and compiled into flat arrays for
/// matching (no allocation or reference counting per word).
struct PhraseTable: Sendable {
    /// First word -> the phrases that start with it (the editable form).
    private var phrases: [[UInt8]: [PhraseEntry]] = [:]
    /// The compiled form, shared by copies.
    private(set) var compiled = CompiledPhrases(phrases: [:])

    /// The words of `phrase` as the tokenizer sees them ("W/O" -> ["w", "o"]).
    static func words(of phrase: String) -> [[UInt8]] {
        let text = TokenizedText(phrase)
        return text.tokens.map { Array(text.bytes[$0.start..<$0.end]) }
    }

    /// What `phrase`, as a whole, means; nil when it is not a phrase of the table.
    func payload(of phrase: String) -> VocabularyPayload? {
        let words = PhraseTable.words(of: phrase)
        guard let first = words.first else { return nil }
        let rest = Array(words.dropFirst())
        return phrases[first]?.first(where: { $0.rest == rest })?.payload
    }

    /// Adds phrases with their payloads, replacing the meaning of a phrase already
    /// there. A phrase without words is ignored.
    mutating func insert(_ additions: [(String, VocabularyPayload)]) {
        for (phrase, payload) in additions {
            let words = PhraseTable.words(of: phrase)
            guard let first = words.first else { continue }
            let rest = Array(words.dropFirst())
            var list = phrases[first] ?? []
            if let found = list.firstIndex(where: { $0.rest == rest }) {
                list[found].payload = payload
            } else {
                list.append(PhraseEntry(rest: rest, payload: payload))
            }
            phrases[first] = list
        }
        compiled = CompiledPhrases(phrases: phrases)
    }
}

/// Phrases compiled into flat arrays for matching.
final class CompiledPhrases: Sendable {
    /// A phrase as compiled: its payload and where its words after the first are.
    private struct Compiled: Sendable {
        var payload: VocabularyPayload
        /// Index of the first following word in `restOffsets`/`restLengths`.
        var restStart: Int32
        /// The number of following words.
        var restCount: Int32
    }

    /// First word -> `start << 16 | count` in `compiled`, longest phrases first.
    private let index: WordTable<UInt32>
    private let compiled: [Compiled]
    private let restOffsets: [Int32]
    private let restLengths: [Int32]
    private let restBytes: [UInt8]

    init(phrases: [[UInt8]: [PhraseEntry]]) {
        var index = WordTable<UInt32>(filler: 0)
        var compiled: [Compiled] = []
        var restOffsets: [Int32] = []
        var restLengths: [Int32] = []
        var restBytes: [UInt8] = []
        for (first, list) in phrases.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let ordered = list.sorted { lhs, rhs in
                lhs.rest.count != rhs.rest.count
                    ? lhs.rest.count > rhs.rest.count
                    : lhs.rest.lexicographicallyPrecedes(rhs.rest) { $0.lexicographicallyPrecedes($1) }
            }
            let start = compiled.count
            for entry in ordered {
                compiled.append(
                    Compiled(
                        payload: entry.payload, restStart: Int32(restOffsets.count),
                        restCount: Int32(entry.rest.count)))
                for word in entry.rest {
                    restOffsets.append(Int32(restBytes.count))
                    restLengths.append(Int32(word.count))
                    restBytes.append(contentsOf: word)
                }
            }
            index.set(first, UInt32(start) << 16 | UInt32(ordered.count))
        }
        self.index = index
        self.compiled = compiled
        self.restOffsets = restOffsets
        self.restLengths = restLengths
        self.restBytes = restBytes
    }

    /// The longest phrase starting at token `at` of a text (its lower-cased `bytes` and
    /// `tokens`), and the index of the token after it.
    func match(
        bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<TextToken>, at position: Int
    ) -> (payload: VocabularyPayload, end: Int)? {
        let token = tokens[position]
        let start = token.start
        let count = token.end - token.start
        // Hashes of the word without "es", without "s", and whole, in one pass.
        typealias Table = WordTable<UInt32>
        var hash = Table.emptyHash
        let stemEnd = token.end - min(count, 2)
        var cursor = start
        while cursor < stemEnd {
            hash = Table.extend(hash, bytes[cursor])
            cursor += 1
        }
        let withoutEs = hash
        if count >= 2 { hash = Table.extend(hash, bytes[token.end - 2]) }
        let withoutS = hash
        hash = Table.extend(hash, bytes[token.end - 1])

        if let range = index.value(hash: hash, bytes: bytes, start: start, length: count),
            let found = firstMatch(range, bytes: bytes, tokens: tokens, at: position, pluralFirst: false)
        {
            return found
        }
        guard count > 2, bytes[token.end - 1] == 0x73 else { return nil }
        if let range = index.value(hash: withoutS, bytes: bytes, start: start, length: count - 1),
            let found = firstMatch(range, bytes: bytes, tokens: tokens, at: position, pluralFirst: true)
        {
            return found
        }
        if count > 3, bytes[token.end - 2] == 0x65,
            let range = index.value(hash: withoutEs, bytes: bytes, start: start, length: count - 2),
            let found = firstMatch(range, bytes: bytes, tokens: tokens, at: position, pluralFirst: true)
        {
            return found
        }
        return nil
    }

    private func firstMatch(
        _ range: UInt32, bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<TextToken>,
        at position: Int, pluralFirst: Bool
    ) -> (payload: VocabularyPayload, end: Int)? {
        let first = Int(range >> 16)
        candidates: for entryIndex in first..<first + Int(range & 0xFFFF) {
            let entry = compiled[entryIndex]
            let plural = entry.payload.allowsPlural
            if pluralFirst && !plural { continue }
            var next = position + 1
            for word in Int(entry.restStart)..<Int(entry.restStart + entry.restCount) {
                guard next < tokens.count, tokens[next].separator <= .slash,
                    restWord(word, matches: tokens[next], in: bytes, plural: plural)
                else { continue candidates }
                next += 1
            }
            return (entry.payload, next)
        }
        return nil
    }

    /// Whether `token` is following word `word`, or (when `plural`) that word + "s" or
    /// + "es".
    @inline(__always)
    private func restWord(
        _ word: Int, matches token: TextToken, in bytes: UnsafeBufferPointer<UInt8>, plural: Bool
    ) -> Bool {
        let offset = Int(restOffsets[word])
        let length = Int(restLengths[word])
        var tokenLength = token.end - token.start
        if tokenLength != length {
            guard plural, bytes[token.end - 1] == 0x73 else { return false }
            if tokenLength == length + 1 {
                tokenLength = length
            } else if tokenLength == length + 2, bytes[token.end - 2] == 0x65 {
                tokenLength = length
            } else {
                return false
            }
        }
        for position in 0..<length where restBytes[offset + position] != bytes[token.start + position] {
            return false
        }
        return true
    }
}
