import InputQuoting
import Signs
import Sites

/// Builds the site and sign vocabularies from the built-in ones and the
/// configuration's additions (the only file that calls the Sites and Signs APIs).
enum VocabularyAssembly {
    /// The built-in vocabularies.
    static var standardSites: SiteVocabulary { SiteVocabulary.standard }
    /// The built-in sign vocabulary.
    static var standardSigns: SignVocabulary { SignVocabulary.standard }

    /// `sites.synonyms` added to the built-in site vocabulary; each synonym naming an
    /// unknown part (or with no words) is reported at its place and left out.
    static func sites(
        _ synonyms: [(phrase: String, part: ConfigurationDraft.Placed<String>)], reader: inout YAMLFileReader
    ) -> (vocabulary: SiteVocabulary, accepted: [String: String]) {
        var accepted: [String: String] = [:]
        for synonym in synonyms {
            do {
                _ = try SiteVocabulary.standard.adding(synonyms: [synonym.phrase: synonym.part.value])
                accepted[synonym.phrase] = synonym.part.value
            } catch {
                let reason: String
                switch error {
                case .unknownPart(let phrase, let part):
                    let hint =
                        KeySuggestion.closest(to: part, among: SiteVocabulary.standard.knownParts)
                        .map { "did you mean '\($0)'? " } ?? ""
                    reason =
                        "site synonym \(quoted(phrase)) names unknown part \(quoted(part)); \(hint)known parts: \(SiteVocabulary.standard.knownParts.joined(separator: ", "))"
                case .emptyPhrase:
                    reason = "site synonym \(quoted(synonym.phrase)) has no letters or digits"
                }
                reader.report(.invalidValue, reason, at: synonym.part.place)
            }
        }
        let vocabulary = (try? SiteVocabulary.standard.adding(synonyms: accepted)) ?? SiteVocabulary.standard
        return (vocabulary, accepted)
    }

    /// `signs.*` added to the built-in sign vocabulary, whose negations, contexts and
    /// look-alikes are `context` (`signs.context_file`, else the built-in lists); a word
    /// naming an unknown sign kind is reported at its place and left out.
    static func signs(
        words: [(word: String, kind: ConfigurationDraft.Placed<String>)],
        calcinosisWords: [String], negations: [String], context: SignContext = .standard,
        reader: inout YAMLFileReader
    ) -> (vocabulary: SignVocabulary, words: [String: SignKind]) {
        var accepted: [String: SignKind] = [:]
        for entry in words {
            if let kind = SignKind(rawValue: entry.kind.value) {
                accepted[entry.word] = kind
            } else {
                let known = SignKind.allCases.map(\.rawValue)
                let hint =
                    KeySuggestion.closest(to: entry.kind.value, among: known).map { "did you mean '\($0)'? " }
                    ?? ""
                reader.report(
                    .invalidValue,
                    "sign word \(quoted(entry.word)) names unknown sign kind \(quoted(entry.kind.value)); \(hint)known kinds: \(known.joined(separator: ", "))",
                    at: entry.kind.place)
            }
        }
        let base = context == .standard ? SignVocabulary.standard : SignVocabulary(context: context)
        let vocabulary =
            base
            .adding(signWords: accepted)
            .adding(calcinosisWords: calcinosisWords)
            .adding(negations: negations)
        return (vocabulary, accepted)
    }
}
