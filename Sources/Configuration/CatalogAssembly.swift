import Catalog
import InputQuoting

/// Merges the bundled and configured catalogs into one ``DrugCatalog``.
enum CatalogAssembly {
    /// The merged catalog and the problems found while merging.
    ///
    /// Order: `base` (the bundled catalogs), then each configured file in order; an
    /// entry whose id is already present replaces it where it stands. Entries without
    /// their own watch window get `windowHours`. Every `requires_component` must name
    /// `calcium-salt` or an entry of the merged catalog that needs no component itself.
    static func assemble(
        base: [CatalogDraftEntry], files: [[CatalogDraftEntry]], windowHours: Int
    ) -> (catalog: DrugCatalog, issues: [ConfigurationIssue]) {
        var merged: [CatalogDraftEntry] = base
        var position: [String: Int] = [:]
        for (index, draft) in merged.enumerated() { position[draft.entry.id] = index }
        for file in files {
            for draft in file {
                if let index = position[draft.entry.id] {
                    merged[index] = draft
                } else {
                    position[draft.entry.id] = merged.count
                    merged.append(draft)
                }
            }
        }

        var issues: [ConfigurationIssue] = []
        for draft in merged {
            for requirement in draft.requirements where requirement.id != CatalogEntry.calciumSaltRequirement
            {
                let reason: String?
                if let index = position[requirement.id] {
                    reason =
                        merged[index].entry.requiresComponentOf == nil
                        ? nil
                        : "entry \(quoted(draft.entry.id)) requires component \(quoted(requirement.id)), which itself requires a component and so never matches a component"
                } else {
                    reason =
                        "entry \(quoted(draft.entry.id)) requires component \(quoted(requirement.id)), which is neither 'calcium-salt' nor an entry id of the catalog"
                }
                if let reason {
                    issues.append(
                        ConfigurationIssue(
                            file: draft.file, line: requirement.place.line, column: requirement.place.column,
                            reason: reason, code: .unknownReference))
                }
            }
        }

        let entries = merged.map { draft -> CatalogEntry in
            var entry = draft.entry
            if !draft.explicitWatchWindow { entry.watchWindowHours = windowHours }
            return entry
        }
        return (DrugCatalog(entries: entries), issues)
    }
}
