/// The phrases around a sign word that decide whether it counts (DESIGN.md, "Signs"):
/// negations, hypothetical contexts, look-alike phrases and look-alike negations, and
/// the words that end a clause. Configurable as lists (`signs.context_file`; the
/// defaults, English, are `config/sign-context.yaml`); the sign words themselves are
/// not part of it.
///
/// Phrases match whole words, case-insensitively; punctuation between the words of a
/// phrase does not matter ("w/o" is "w o", "non-tender" is "non tender").
public struct SignContext: Sendable, Hashable {
    /// Negations that govern the words after them up to a clause break ("no", "denies",
    /// "without", "negative for").
    public var negationsBefore: [String]
    /// Negations that govern the sign words before them in their comma segment
    /// ("redness resolved", "edema not noted").
    public var negationsAfter: [String]
    /// Negations that work either way ("denied pain", "pain denied").
    public var negationsEitherSide: [String]
    /// Negations of the one word after them ("non-tender").
    public var negationsOfOneWord: [String]
    /// Hypothetical contexts: the sign words after them, up to the next clause break, are
    /// not documented as present ("monitor for", "observe for", "at risk of",
    /// "educated on").
    public var hypotheticalContexts: [String]
    /// Phrases whose sign word means something else ("cold compress", "hard to flush",
    /// "red blood cell", "pale yellow"): their words name no sign.
    public var lookAlikePhrases: [String]
    /// Phrases that look like a negation but negate nothing ("no change in redness",
    /// "no improvement in swelling" are signs).
    public var lookAlikeNegations: [String]
    /// Words that end a clause, as `.`, `;`, `:` and a line break do ("but", "however").
    public var clauseBreakWords: [String]

    /// A context from its lists.
    public init(
        negationsBefore: [String], negationsAfter: [String], negationsEitherSide: [String],
        negationsOfOneWord: [String], hypotheticalContexts: [String], lookAlikePhrases: [String],
        lookAlikeNegations: [String], clauseBreakWords: [String]
    ) {
        self.negationsBefore = negationsBefore
        self.negationsAfter = negationsAfter
        self.negationsEitherSide = negationsEitherSide
        self.negationsOfOneWord = negationsOfOneWord
        self.hypotheticalContexts = hypotheticalContexts
        self.lookAlikePhrases = lookAlikePhrases
        self.lookAlikeNegations = lookAlikeNegations
        self.clauseBreakWords = clauseBreakWords
    }

    /// The built-in (English) lists: the defaults, written out with comments in
    /// `config/sign-context.yaml`.
    public static let standard = SignContext(
        negationsBefore: StandardVocabulary.negationsBefore,
        negationsAfter: StandardVocabulary.negationsAfter,
        negationsEitherSide: StandardVocabulary.negationsBothWays,
        negationsOfOneWord: StandardVocabulary.negationsOfOneWord,
        hypotheticalContexts: StandardVocabulary.hypothetical,
        lookAlikePhrases: StandardVocabulary.exclusions,
        lookAlikeNegations: StandardVocabulary.pseudoNegations,
        clauseBreakWords: StandardVocabulary.clauseBreaks)

    /// `phrase` as the scanner matches it: its lower-cased words joined by one space
    /// ("W/O" -> "w o", "Non-Tender" -> "non tender"); empty when it has no letter or
    /// digit (it could never match). Two phrases with the same form are the same phrase.
    public static func matchedForm(of phrase: String) -> String {
        String(decoding: Array(PhraseTable.words(of: phrase).joined(separator: [0x20])), as: UTF8.self)
    }

    /// Every list with its name as `config/sign-context.yaml` writes it, in file order.
    public var lists: [(key: String, phrases: [String])] {
        [
            ("negations_before", negationsBefore), ("negations_after", negationsAfter),
            ("negations_either_side", negationsEitherSide), ("negations_of_one_word", negationsOfOneWord),
            ("hypothetical_contexts", hypotheticalContexts), ("look_alike_phrases", lookAlikePhrases),
            ("look_alike_negations", lookAlikeNegations), ("clause_break_words", clauseBreakWords),
        ]
    }

    /// The list named `key` (a key of ``lists``); setting an unknown key does nothing.
    public subscript(list key: String) -> [String]? {
        get { lists.first(where: { $0.key == key })?.phrases }
        set {
            let phrases = newValue ?? []
            switch key {
            case "negations_before": negationsBefore = phrases
            case "negations_after": negationsAfter = phrases
            case "negations_either_side": negationsEitherSide = phrases
            case "negations_of_one_word": negationsOfOneWord = phrases
            case "hypothetical_contexts": hypotheticalContexts = phrases
            case "look_alike_phrases": lookAlikePhrases = phrases
            case "look_alike_negations": lookAlikeNegations = phrases
            case "clause_break_words": clauseBreakWords = phrases
            default: break
            }
        }
    }

    /// The phrases of every list, each with what it means to the scanner, in list order.
    var payloads: [(String, VocabularyPayload)] {
        var additions: [(String, VocabularyPayload)] = []
        additions += clauseBreakWords.map { ($0, .clauseBreak) }
        additions += negationsBefore.map { ($0, .negation(.before)) }
        additions += negationsAfter.map { ($0, .negation(.after)) }
        additions += negationsEitherSide.map { ($0, .negation([.before, .after])) }
        additions += negationsOfOneWord.map { ($0, .negation([.before, .singleWord])) }
        additions += hypotheticalContexts.map { ($0, .hypothetical) }
        additions += lookAlikeNegations.map { ($0, .pseudoNegation) }
        additions += lookAlikePhrases.map { ($0, .exclusion) }
        return additions
    }
}
