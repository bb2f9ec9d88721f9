/// Site words: table 0163 codes, part names, synonyms/abbreviations; extendable by
/// configuration.
///
/// Every canonical part is known by its own words ("antecubital fossa", "lower
/// forearm"); synonyms add other phrases for a part ("AC", "cubital fossa", "UVC",
/// "back of hand"). Phrases match whole words, case-insensitively; punctuation between
/// words does not matter ("Cubital-fossa" is "cubital fossa").
public struct SiteVocabulary: Sendable {
    /// A phrase of one or more words that names a part.
    struct Phrase: Sendable, Hashable {
        /// The lower-cased words of the phrase.
        var words: [String]
        /// The canonical part it names.
        var part: String
    }

    /// Phrase key (words joined by one space) -> canonical part.
    private var phraseParts: [String: String]
    /// First word -> the phrases that start with it, longest first.
    private var phrasesByFirstWord: [String: [Phrase]]

    private init(phraseParts: [String: String]) {
        self.phraseParts = phraseParts
        var index: [String: [Phrase]] = [:]
        for (key, part) in phraseParts {
            let words = key.split(separator: " ").map(String.init)
            guard let first = words.first else { continue }
            index[first, default: []].append(Phrase(words: words, part: part))
        }
        for (first, phrases) in index {
            index[first] = phrases.sorted {
                $0.words.count != $1.words.count
                    ? $0.words.count > $1.words.count
                    : $0.words.lexicographicallyPrecedes($1.words)
            }
        }
        self.phrasesByFirstWord = index
    }

    /// The built-in vocabulary: every part by its own name, plus common synonyms and
    /// abbreviations from nursing documentation.
    public static let standard: SiteVocabulary = {
        var phrases: [String: String] = [:]
        for part in Anatomy.parts {
            phrases[SiteText.phraseKey(part)] = part
        }
        for (phrase, part) in standardSynonyms {
            phrases[SiteText.phraseKey(phrase)] = part
        }
        return SiteVocabulary(phraseParts: phrases)
    }()

    /// Synonyms and abbreviations known without configuration.
    static let standardSynonyms: [String: String] = [
        // Antecubital fossa.
        "AC": "antecubital-fossa",
        "ACF": "antecubital-fossa",
        "antecubital": "antecubital-fossa",
        "cubital fossa": "antecubital-fossa",
        "antecubital space": "antecubital-fossa",
        // Dorsum of hand and foot.
        "dorsum of the hand": "dorsum-of-hand",
        "dorsum hand": "dorsum-of-hand",
        "dorsal hand": "dorsum-of-hand",
        "back of hand": "dorsum-of-hand",
        "back of the hand": "dorsum-of-hand",
        "dorsum of the foot": "dorsum-of-foot",
        "dorsum foot": "dorsum-of-foot",
        "dorsal foot": "dorsum-of-foot",
        "top of foot": "dorsum-of-foot",
        "top of the foot": "dorsum-of-foot",
        // Umbilical lines.
        "umbilicus": "umbilical",
        "UVC": "umbilical",
        "UAC": "umbilical",
        // Forearm.
        "fore arm": "forearm",
        "lower arm": "forearm",
        "distal forearm": "lower-forearm",
        "mid forearm": "mid-forearm",
        "midforearm": "mid-forearm",
        "middle forearm": "mid-forearm",
        "proximal forearm": "upper-forearm",
        // Leg.
        "calf": "lower-leg",
        "shin": "lower-leg",
        // Central veins.
        "EJ": "external-jugular",
        "ext jugular": "external-jugular",
        "IJ": "internal-jugular",
        "int jugular": "internal-jugular",
        "subclav": "subclavian",
        // Veins, by the part they run in (DESIGN.md, "Sites").
        "cephalic": "forearm",
        "basilic": "forearm",
        "median cubital": "antecubital-fossa",
        "metacarpal": "dorsum-of-hand",
        "metacarpals": "dorsum-of-hand",
        "dorsal metacarpal": "dorsum-of-hand",
        "great saphenous": "ankle",
        "saphenous": "ankle",
        "dorsal venous arch": "dorsum-of-foot",
        "scalp vein": "scalp",
        // Plurals.
        "arms": "arm",
        "hands": "hand",
        "wrists": "wrist",
        "legs": "leg",
        "thighs": "thigh",
        "ankles": "ankle",
        "feet": "foot",
        "heels": "heel",
        "ears": "ear",
        "eyes": "eye",
        "buttocks": "buttock",
        // Other table 0163 sites.
        "nares": "naris",
        "nare": "naris",
        "nostril": "naris",
        "abdominal": "abdomen",
        "abd": "abdomen",
        "lower abd quadrant": "lower-abdominal-quadrant",
        "upper abd quadrant": "upper-abdominal-quadrant",
        "ventro gluteal": "ventrogluteal",
        "perineum": "perineal",
        "peri anal": "perianal",
    ]

    /// Adds synonyms: phrase (case-insensitive, e.g. "AC", "cubital fossa", "UVC") ->
    /// canonical part name. A phrase already known is remapped. The part may be written
    /// in any case and with spaces for hyphens ("Antecubital Fossa").
    /// - Throws: ``SiteVocabularyError/unknownPart(phrase:part:)`` naming the first
    ///   (in phrase order) synonym whose part is not known, or
    ///   ``SiteVocabularyError/emptyPhrase(part:)`` for a phrase with no words.
    public func adding(synonyms: [String: String]) throws(SiteVocabularyError) -> SiteVocabulary {
        var phrases = phraseParts
        for (phrase, target) in synonyms.sorted(by: { $0.key < $1.key }) {
            let part = SiteText.phraseKey(target).replacingSpacesWithHyphens()
            guard Anatomy.isKnown(part) else {
                throw .unknownPart(phrase: phrase, part: target)
            }
            let key = SiteText.phraseKey(phrase)
            guard !key.isEmpty else { throw .emptyPhrase(part: target) }
            phrases[key] = part
        }
        return SiteVocabulary(phraseParts: phrases)
    }

    /// Every known canonical part name (``Anatomy/parts``).
    public var knownParts: [String] { Anatomy.parts }

    /// The canonical part a whole phrase names ("AC" -> antecubital-fossa), nil when the
    /// phrase is not known.
    public func part(forPhrase phrase: String) -> String? {
        phraseParts[SiteText.phraseKey(phrase)]
    }

    /// The longest phrase that starts at `words[index]` and does not reach across a
    /// clause break: its part and its length in words.
    func longestPhrase(in words: [SiteWord], at index: Int) -> (part: String, length: Int)? {
        guard let candidates = phrasesByFirstWord[words[index].text] else { return nil }
        candidates: for phrase in candidates {
            let count = phrase.words.count
            guard index + count <= words.count else { continue }
            for offset in 1..<max(count, 1) {
                let word = words[index + offset]
                if word.breakBefore || word.text != phrase.words[offset] { continue candidates }
            }
            return (phrase.part, count)
        }
        return nil
    }
}

extension String {
    /// "antecubital fossa" -> "antecubital-fossa".
    fileprivate func replacingSpacesWithHyphens() -> String {
        String(map { $0 == " " ? "-" : $0 })
    }
}
