/// The grammatical class of a sign or finding word, for lists: a negation carries
/// across a comma only to a word of the same class ("without swelling, redness or
/// edema" is one list of nouns; in "no redness, swollen" the adjective starts a new
/// statement).
enum WordClass: UInt8, Sendable, Hashable {
    case noun, adjective, unspecified

    /// Whether words of these classes can stand in one list.
    func canListWith(_ other: WordClass) -> Bool {
        self == other || self == .unspecified || other == .unspecified
    }
}

/// How a negation phrase governs the words around it.
struct NegationRole: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    /// Negates the words after it, up to a clause break ("no", "denies", "without").
    static let before = NegationRole(rawValue: 1)
    /// Negates the words before it in its segment ("redness resolved", "pain free").
    static let after = NegationRole(rawValue: 2)
    /// Governs only the one word after it ("non-tender").
    static let singleWord = NegationRole(rawValue: 4)
}

/// What a vocabulary phrase means to the text scanner.
enum VocabularyPayload: Sendable, Hashable {
    /// A word naming an acute sign.
    case sign(SignKind, WordClass)
    /// A scale that measures a sign ("VIP", "FLACC"): in a text it asserts the sign
    /// only through a score that follows; in an identifier it names the sign.
    case scale(SignKind)
    /// A calcinosis finding word.
    case calcinosis(WordClass)
    /// A negation.
    case negation(NegationRole)
    /// A hypothetical context ("monitor for", "if"): governs like a negation that
    /// comes before, but does not state the site normal.
    case hypothetical
    /// A phrase that looks like a negation but is not ("no change", "not only").
    case pseudoNegation
    /// A phrase containing a sign word that is not a sign ("cold compress", "hard to
    /// flush", "red blood cells").
    case exclusion
    /// A word that ends a clause ("but", "however", "although").
    case clauseBreak
    /// A word joining list items ("and", "or").
    case connector
    /// A statement that the site is normal ("WNL", "clean, dry and intact").
    case normal
    /// A word stating presence or degree ("present", "mild", "noted"), used when the
    /// identifier names the sign ("Erythema at IV site: mild").
    case presence

    /// Whether the phrase's words also match with a plural `s` or `es`.
    var allowsPlural: Bool {
        switch self {
        case .sign, .scale, .calcinosis, .exclusion: return true
        default: return false
        }
    }
}

/// A phrase of the vocabulary, filed under its first word.
struct PhraseEntry: Sendable {
    /// The lower-cased words after the first.
    var rest: [[UInt8]]
    /// What the phrase means.
    var payload: VocabularyPayload
}
