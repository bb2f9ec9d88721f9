/// Why synonyms could not be added to a ``SiteVocabulary``.
public enum SiteVocabularyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The synonym's target is not a known canonical part (see ``Anatomy/parts``).
    case unknownPart(phrase: String, part: String)
    /// The synonym has no letters or digits, so it can never match.
    case emptyPhrase(part: String)

    /// A one-line reason, naming the phrase and the part.
    public var description: String {
        switch self {
        case .unknownPart(let phrase, let part):
            return "site synonym \"\(phrase)\" names unknown part \"\(part)\" (known parts: "
                + Anatomy.parts.joined(separator: ", ") + ")"
        case .emptyPhrase(let part):
            return "a site synonym for part \"\(part)\" has no letters or digits"
        }
    }
}
