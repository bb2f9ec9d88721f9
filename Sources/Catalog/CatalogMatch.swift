/// The catalog entry an order or administration matched, and how it was found.
public struct CatalogMatch: Sendable, Hashable {
    /// How the entry was found.
    public enum Via: String, Sendable {
        /// The give code (RXE-2, RXO-1, RXA-5) matched the entry by code or by name.
        /// A parenteral-nutrition entry that needs a calcium component is still
        /// matched `giveCode`: the component only allowed the match.
        case giveCode
        /// The give code matched no entry; a calcium salt among the RXC components did
        /// (a compounded bag such as "D5W 100 mL + calcium gluconate 1 g").
        case component
    }

    /// The matched entry.
    public var entry: CatalogEntry
    /// How the entry was found.
    public var via: Via

    /// Creates a match.
    public init(entry: CatalogEntry, via: Via) {
        self.entry = entry
        self.via = via
    }
}
