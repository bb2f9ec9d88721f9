/// Turns coded and free-text site descriptions into ``CanonicalSite`` values.
public struct SiteNormalizer: Sendable {
    /// The words this normalizer knows (parts and synonyms).
    public let vocabulary: SiteVocabulary

    /// A normalizer over `vocabulary` (the built-in one unless configured).
    public init(vocabulary: SiteVocabulary = .standard) {
        self.vocabulary = vocabulary
    }

    /// A coded site (CWE-1 code, CWE-2 text, CWE-3 coding system): maps by table 0163
    /// when CWE-3 names table 0163 ("HL70163", also "0163"/"HL7-0163",
    /// case-insensitively) or CWE-3 is empty and the code is a table 0163 code;
    /// otherwise CWE-2 (else CWE-1) is normalised as free text.
    ///
    /// With an empty CWE-3 the code must be written as the table writes it (upper
    /// case), so a bare "Rt" is read as text, not as `RT` (right thigh). When CWE-2
    /// names no site, CWE-1 is still tried as free text.
    public func site(code: String?, text: String?, codingSystem: String?) -> CanonicalSite? {
        let code = code.map(SiteText.trimmed) ?? ""
        let text = text.map(SiteText.trimmed) ?? ""
        let system = codingSystem.map(SiteText.trimmed) ?? ""
        if !code.isEmpty {
            if system.isEmpty {
                if let site = Table0163.sites[code] { return site }
            } else if Table0163.isNamed(byCodingSystem: system), let site = Table0163.site(code: code) {
                return site
            }
        }
        if !text.isEmpty, let site = site(freeText: text) { return site }
        if !code.isEmpty, let site = site(freeText: code) { return site }
        return nil
    }

    /// Free text: the first known part or synonym in the text, with a side word (L, Lt,
    /// Lt., left, R, Rt, Rt., right; case-insensitive) just before or after it.
    ///
    /// Parts, synonyms and side words match whole words only ("PLT" and "leftover" are
    /// not side words). At one position the longest phrase wins ("dorsum of hand" over
    /// "hand"). A side word before the part wins over one after it; a side word after
    /// the part is not taken when it opens another part ("hand, left foot"). Clause
    /// breaks (`;`, `!`, `?`, `|`, a line break) keep a side word from crossing.
    public func site(freeText: String) -> CanonicalSite? {
        let words = SiteText.words(freeText)
        for index in words.indices {
            guard let match = vocabulary.longestPhrase(in: words, at: index) else { continue }
            return CanonicalSite(
                laterality: side(of: words, partAt: index, length: match.length),
                part: match.part)
        }
        return nil
    }

    /// A table 0163 code ("LACF" -> left-antecubital-fossa), nil when not one.
    public func site(table0163Code: String) -> CanonicalSite? {
        Table0163.site(code: table0163Code)
    }

    /// The side word just before the part at `index`, else just after it (unless that
    /// word opens another part).
    private func side(of words: [SiteWord], partAt index: Int, length: Int) -> Laterality? {
        if index > 0, !words[index].breakBefore, let side = Laterality.sideWords[words[index - 1].text] {
            return side
        }
        let after = index + length
        guard after < words.count, !words[after].breakBefore,
            let side = Laterality.sideWords[words[after].text]
        else { return nil }
        let next = after + 1
        if next < words.count, !words[next].breakBefore,
            vocabulary.longestPhrase(in: words, at: next) != nil
        {
            return nil
        }
        return side
    }
}
