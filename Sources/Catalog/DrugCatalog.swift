import Coding

/// The drugs extravasd watches, and the rules that match an order's drug to them.
///
/// Matching (DESIGN.md section 4, "Catalog"):
/// 1. The give code (RXE-2, RXO-1, RXA-5) matches an entry by code (``CodeRef``) or by
///    a name pattern (``NamePattern``) over its text (CWE-2; CWE-1 when the text is
///    empty). Entries matched by code are preferred to entries matched only by name.
/// 2. An entry with ``CatalogEntry/requiresComponentOf`` (parenteral nutrition) matches
///    only when one of the RXC components matches what it requires (a calcium salt).
/// 3. When several entries match, the highest ``RiskTier`` wins; ties go to the entry
///    listed first.
/// 4. When the give code matches no entry, a calcium salt
///    (``CatalogEntry/isCalciumSalt``) among the components makes the order match that
///    salt's entry (``CatalogMatch/Via/component``), e.g. "D5W 100 mL + calcium
///    gluconate 1 g". An entry matched by the give code always wins over salts found
///    among the components.
public struct DrugCatalog: Sendable {
    /// A catalog entry with its name patterns parsed.
    struct CompiledEntry: Sendable {
        /// The entry.
        var entry: CatalogEntry
        /// Its valid name patterns (an invalid pattern never matches; the
        /// configuration loader reports it before a catalog is built).
        var patterns: [NamePattern]

        /// Parses the entry's patterns.
        init(_ entry: CatalogEntry) {
            self.entry = entry
            self.patterns = entry.namePatterns.compactMap { try? NamePattern($0) }
        }

        /// `true` when one of the entry's codes names this coded value.
        func matchesCode(_ code: String, system: String) -> Bool {
            entry.codes.contains { $0.matches(code: code, system: system) }
        }

        /// `true` when one of the entry's name patterns matches these words.
        func matchesName(_ words: [String]) -> Bool {
            !words.isEmpty && patterns.contains { $0.matches(words: words) }
        }
    }

    /// A coded drug from a message, with its name already cut into words.
    private struct CodedDrug {
        var code: String
        var system: String
        var words: [String]

        init(code: String, text: String, system: String) {
            self.code = code
            self.system = system
            self.words = DrugNameWords.words(in: text.isEmpty ? code : text)
        }
    }

    /// The entries, parsed.
    private var compiled: [CompiledEntry]

    /// Creates a catalog. Entries are kept in the order given (it breaks ties).
    public init(entries: [CatalogEntry]) {
        self.compiled = entries.map(CompiledEntry.init)
    }

    /// The catalog's entries, in order.
    public var entries: [CatalogEntry] {
        get { compiled.map(\.entry) }
        set { compiled = newValue.map(CompiledEntry.init) }
    }

    /// The entry with this id, if any.
    public func entry(id: String) -> CatalogEntry? {
        compiled.first { $0.entry.id == id }?.entry
    }

    /// This catalog with `additions` merged in: an addition whose id is already in the
    /// catalog replaces that entry where it stands; the others are appended in order.
    public func merging(_ additions: [CatalogEntry]) -> DrugCatalog {
        var merged = entries
        var position: [String: Int] = [:]
        for (index, entry) in merged.enumerated() where position[entry.id] == nil {
            position[entry.id] = index
        }
        for addition in additions {
            if let index = position[addition.id] {
                merged[index] = addition
            } else {
                position[addition.id] = merged.count
                merged.append(addition)
            }
        }
        return DrugCatalog(entries: merged)
    }

    /// The catalog entry an order's drug matches, if any.
    ///
    /// - Parameters:
    ///   - giveCode: the give code (RXE-2 / RXO-1 / RXA-5) as code (CWE-1), text
    ///     (CWE-2) and coding system (CWE-3).
    ///   - components: the RXC components of the order (RXC-2 each), in message order.
    /// - Returns: the matched entry and how it was found, or `nil` when the drug is not
    ///   in the catalog.
    public func match(
        giveCode: CodedValue, components: [CodedValue]
    ) -> CatalogMatch? {
        let give = CodedDrug(code: giveCode.code, text: giveCode.text, system: giveCode.system)
        let parts = components.map { CodedDrug(code: $0.code, text: $0.text, system: $0.system) }

        // Entries (by index) that each component matches, computed once.
        let componentMatches: [[Int]] = parts.map { part in
            compiled.indices.filter { index in
                let candidate = compiled[index]
                return candidate.entry.requiresComponentOf == nil
                    && (candidate.matchesCode(part.code, system: part.system)
                        || candidate.matchesName(part.words))
            }
        }

        var byCode: [Int] = []
        var byName: [Int] = []
        for (index, candidate) in compiled.enumerated() {
            let code = candidate.matchesCode(give.code, system: give.system)
            let name = !code && candidate.matchesName(give.words)
            guard code || name else { continue }
            if let required = candidate.entry.requiresComponentOf,
                !componentsSatisfy(required, componentMatches)
            {
                continue
            }
            if code { byCode.append(index) } else { byName.append(index) }
        }
        if let best = highestRisk(byCode.isEmpty ? byName : byCode) {
            return CatalogMatch(entry: compiled[best].entry, via: .giveCode)
        }

        let salts = componentMatches.flatMap { $0 }.filter { compiled[$0].entry.isCalciumSalt }
        if let best = highestRisk(salts) {
            return CatalogMatch(entry: compiled[best].entry, via: .component)
        }
        return nil
    }

    /// `true` when some component matches one of the required entries
    /// (``CatalogEntry/calciumSaltRequirement`` stands for any calcium salt).
    private func componentsSatisfy(_ required: [String], _ componentMatches: [[Int]]) -> Bool {
        componentMatches.contains { matched in
            matched.contains { index in
                let entry = compiled[index].entry
                return required.contains { requirement in
                    requirement == CatalogEntry.calciumSaltRequirement
                        ? entry.isCalciumSalt : requirement == entry.id
                }
            }
        }
    }

    /// The candidate of highest risk; ties go to the first listed.
    private func highestRisk(_ candidates: [Int]) -> Int? {
        var best: Int?
        for index in candidates {
            guard let current = best else {
                best = index
                continue
            }
            if compiled[index].entry.risk > compiled[current].entry.risk {
                best = index
            }
        }
        return best
    }
}
