/// One word of a site text: lower-cased letters and digits, and whether a clause break
/// (`;`, `!`, `?`, `|`, `~`, `^`, a line break) separates it from the word before.
struct SiteWord: Sendable, Hashable {
    /// The lower-cased word.
    var text: String
    /// Whether a clause break comes between this word and the one before it.
    var breakBefore: Bool
}

/// Text helpers shared by the vocabulary and the normalizer (no Foundation).
enum SiteText {
    /// `text` without leading and trailing whitespace.
    static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// The words of `text`: runs of letters and digits, lower-cased. Anything else
    /// separates words; a clause break also stops a side word or a phrase from reaching
    /// across it.
    static func words(_ text: String) -> [SiteWord] {
        var words: [SiteWord] = []
        var current = ""
        var pendingBreak = false
        func flush() {
            guard !current.isEmpty else { return }
            words.append(SiteWord(text: current, breakBefore: pendingBreak))
            current = ""
            pendingBreak = false
        }
        for character in text {
            if character.isLetter || character.isNumber {
                if character.isASCII {
                    current.append(character.isUppercase ? Character(character.lowercased()) : character)
                } else {
                    current += character.lowercased()
                }
            } else {
                flush()
                if isClauseBreak(character) { pendingBreak = true }
            }
        }
        flush()
        return words
    }

    /// The phrase key of `text`: its words joined by single spaces ("Cubital-Fossa" ->
    /// "cubital fossa").
    static func phraseKey(_ text: String) -> String {
        words(text).map(\.text).joined(separator: " ")
    }

    private static func isClauseBreak(_ character: Character) -> Bool {
        switch character {
        case ";", "!", "?", "|", "~", "^", "\n", "\r", "\r\n": return true
        default: return false
        }
    }
}
