/// The words that name signs, calcinosis findings and negations, matched
/// case-insensitively as whole words (with an optional plural `s`/`es` for sign and
/// finding words: "red" never matches "reduced").
///
/// `standard` holds the default recognition of DESIGN.md ("Signs"): erythema/redness/
/// red, swelling/swollen/edema/oedema/edematous/puffy, pain/painful/tender/tenderness/
/// pain score, blanching/blanched/pale, cool/cold, leaking/leakage/wet dressing,
/// induration/indurated/hard/firm, blister, necrosis/necrotic/black, a few close
/// variants (erythematous, pallor, bulla, eschar, infiltrated, phlebitis, ...); the
/// calcinosis words nodule, nodular, papule, plaque, white-yellow, chalky,
/// calcinosis, calcified, calcification, calcific, radio-opaque, radiopaque; the
/// negations. Configuration adds to it; a phrase added again takes its new meaning.
/// A phrase may have several words ("wet dressing", "negative for"); punctuation
/// inside it does not matter ("w/o", "white-yellow").
public struct SignVocabulary: Sendable {
    /// The phrases, by first word.
    var table: PhraseTable

    init(table: PhraseTable) {
        self.table = table
    }

    /// The built-in vocabulary.
    public static let standard = SignVocabulary(table: StandardVocabulary.table())

    /// The built-in sign, scale and finding words with the negations, contexts,
    /// look-alikes and clause-break words of `context` in place of the built-in ones.
    public init(context: SignContext) {
        self.init(table: StandardVocabulary.table(context: context))
    }

    /// Whether `phrase`, as a whole, is a sign, scale or calcinosis finding word or
    /// phrase of this vocabulary ("red", "wet dressing", "VIP"; not "red blood").
    public func namesSignOrFinding(phrase: String) -> Bool {
        switch table.payload(of: phrase) {
        case .sign, .scale, .calcinosis: return true
        default: return false
        }
    }

    /// This vocabulary with more sign words or phrases ("inflamed": `.erythema`), each
    /// naming its kind. `.calcinosis` makes the phrase a calcinosis finding word.
    public func adding(signWords: [String: SignKind]) -> SignVocabulary {
        var copy = self
        copy.table.insert(
            signWords.map { phrase, kind in
                (phrase, kind == .calcinosis ? .calcinosis(.unspecified) : .sign(kind, .unspecified))
            })
        return copy
    }

    /// This vocabulary with more calcinosis finding words or phrases ("calcium
    /// deposits", "tophus").
    public func adding(calcinosisWords: [String]) -> SignVocabulary {
        var copy = self
        copy.table.insert(calcinosisWords.map { ($0, .calcinosis(.unspecified)) })
        return copy
    }

    /// This vocabulary with more negations that govern the words after them, up to a
    /// clause break ("no evidence of", "nil").
    public func adding(negations: [String]) -> SignVocabulary {
        var copy = self
        copy.table.insert(negations.map { ($0, .negation(.before)) })
        return copy
    }

    /// This vocabulary with more negations that govern the words before them in their
    /// segment ("redness *not apparent*", "swelling *settled*").
    public func adding(trailingNegations: [String]) -> SignVocabulary {
        var copy = self
        copy.table.insert(trailingNegations.map { ($0, .negation(.after)) })
        return copy
    }

    /// This vocabulary with phrases that contain a sign word but name no sign ("cold
    /// chain", "firm plan"): their words are skipped.
    public func adding(exclusions: [String]) -> SignVocabulary {
        var copy = self
        copy.table.insert(exclusions.map { ($0, .exclusion) })
        return copy
    }
}
