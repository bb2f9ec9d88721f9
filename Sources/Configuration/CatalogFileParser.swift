import Catalog
import InputQuoting
import Yams

/// Reads a catalog file (`entries:` list; see `config/catalog-calcium.yaml`),
/// reporting every broken entry with the file's name, line and column.
struct CatalogFileParser {
    /// Keys of a catalog file.
    static let fileKeys = ["entries"]
    /// Keys of an entry.
    static let entryKeys = [
        "id", "name", "risk", "watch_window_hours", "calcium_entry", "calcium_salt", "codes", "names",
        "requires_component",
    ]
    /// Keys of a code.
    static let codeKeys = ["system", "code"]

    /// The reader of the catalog file (it holds the issues).
    var reader: YAMLFileReader
    /// The entries read (broken ones are left out).
    private(set) var entries: [CatalogDraftEntry] = []

    /// A parser of the file named `file`.
    init(file: String) {
        self.reader = YAMLFileReader(file: file)
    }

    /// Parses a catalog file's text.
    mutating func parse(_ text: String) {
        let (root, valid) = reader.compose(text)
        guard valid else { return }
        guard let root, !YAMLFileReader.isNull(root) else {
            reader.report(
                .missingKey, "a catalog file needs an 'entries:' list", at: SourcePlace(line: 1, column: 1))
            return
        }
        let before = reader.issues.count
        guard
            let top = reader.fields(
                root, path: "", allowed: CatalogFileParser.fileKeys, elsewhere: CatalogFileParser.misplaced)
        else {
            return
        }
        guard let entriesNode = top["entries"]?.value else {
            // A misspelt `entries` is already reported as an unknown key.
            if reader.issues.count == before {
                reader.report(.missingKey, "a catalog file needs an 'entries:' list", at: root)
            }
            return
        }
        if YAMLFileReader.isNull(entriesNode) { return }
        guard let items = reader.list(entriesNode, path: "entries") else { return }
        var seen: [String: SourcePlace] = [:]
        for item in items {
            guard let draft = parseEntry(item) else { continue }
            if let first = seen[draft.entry.id] {
                reader.report(
                    .duplicateID,
                    "duplicate entry id \(quoted(draft.entry.id)) (first at line \(first.line))",
                    at: item.mapping?["id"] ?? item)
                continue
            }
            seen[draft.entry.id] = SourcePlace(item)
            entries.append(draft)
        }
    }

    /// Entry keys written at the top of the file (a forgotten `entries:`).
    private static let misplaced: [String: String] = Dictionary(
        uniqueKeysWithValues: entryKeys.map { ($0, "entries") })

    /// One entry; `nil` (reported) when it is broken.
    private mutating func parseEntry(_ node: Node) -> CatalogDraftEntry? {
        guard node.mapping != nil else {
            reader.report(
                .wrongType,
                "a catalog entry must be a mapping (id, name, risk, ...), not \(YAMLFileReader.describe(node))",
                at: node)
            return nil
        }
        let before = reader.issues.count
        guard let fields = reader.fields(node, path: "entries", allowed: CatalogFileParser.entryKeys) else {
            return nil
        }

        var id: String?
        if let field = fields["id"] {
            if let value = reader.string(field.value, path: "id") {
                if !CatalogFileParser.isValidID(value) {
                    reader.report(
                        .invalidValue,
                        "entry id \(quoted(value)) must be kebab-case: lower-case letters and digits joined by single '-' (e.g. calcium-gluconate)",
                        at: field.value)
                } else if value == CatalogEntry.calciumSaltRequirement {
                    reader.report(
                        .invalidValue,
                        "\(quoted(value)) is reserved for requires_component and cannot be an entry id",
                        at: field.value)
                } else {
                    id = value
                }
            }
        } else {
            reader.report(.missingKey, "catalog entry is missing 'id'", at: node)
        }
        let label = id.map { "entry \(quoted($0))" } ?? "catalog entry"

        var name: String?
        if let field = fields["name"] {
            name = reader.string(field.value, path: "name")
        } else {
            reader.report(.missingKey, "\(label) is missing 'name'", at: node)
        }

        var risk: RiskTier?
        if let field = fields["risk"] {
            if let text = reader.string(field.value, path: "risk") {
                risk = RiskTier(rawValue: text)
                if risk == nil {
                    let known = RiskTier.allCases.map(\.rawValue)
                    let hint =
                        KeySuggestion.closest(to: text, among: known).map { "; did you mean '\($0)'?" } ?? ""
                    reader.report(
                        .invalidValue,
                        "unknown risk \(quoted(text)) in \(label); use high, moderate or low\(hint)",
                        at: field.value)
                }
            }
        } else {
            reader.report(.missingKey, "\(label) is missing 'risk' (high, moderate or low)", at: node)
        }

        var window: Int?
        if let field = fields["watch_window_hours"] {
            window = reader.int(field.value, path: "watch_window_hours", range: 1...8760, unit: "hours")
        }
        var calciumEntry = false
        if let field = fields["calcium_entry"] {
            calciumEntry = reader.bool(field.value, path: "calcium_entry") ?? false
        }
        var calciumSalt = false
        if let field = fields["calcium_salt"] {
            calciumSalt = reader.bool(field.value, path: "calcium_salt") ?? false
        }

        var codes: [CodeRef] = []
        if let field = fields["codes"], !YAMLFileReader.isNull(field.value),
            let items = reader.list(field.value, path: "codes")
        {
            for item in items {
                if let code = parseCode(item) { codes.append(code) }
            }
        }

        var patterns: [String] = []
        if let field = fields["names"], !YAMLFileReader.isNull(field.value),
            let items = reader.strings(field.value, path: "names")
        {
            for item in items {
                do {
                    _ = try NamePattern(item.text)
                    patterns.append(item.text)
                } catch {
                    reader.report(
                        .badPattern, "bad name pattern \(quoted(error.pattern)): \(error.reason) in \(label)",
                        at: item.node)
                }
            }
        }

        var requirements: [(id: String, place: SourcePlace)]?
        if let field = fields["requires_component"] {
            if let items = reader.strings(field.value, path: "requires_component") {
                requirements = items.map { ($0.text, SourcePlace($0.node)) }
                if items.isEmpty {
                    reader.report(
                        .invalidValue,
                        "'requires_component' must name at least one entry id or 'calcium-salt'",
                        at: field.value)
                }
            }
        }

        if codes.isEmpty && patterns.isEmpty && reader.issues.count == before {
            reader.report(
                .missingKey, "\(label) has neither 'codes' nor 'names', so nothing can match it", at: node)
        }

        guard reader.issues.count == before, let id, let name, let risk else { return nil }
        let entry = CatalogEntry(
            id: id, displayName: name, risk: risk,
            watchWindowHours: window ?? CatalogEntry.defaultWatchWindowHours,
            calciumEntry: calciumEntry, isCalciumSalt: calciumSalt, codes: codes, namePatterns: patterns,
            requiresComponentOf: requirements.map { $0.map(\.id) })
        return CatalogDraftEntry(
            entry: entry, explicitWatchWindow: window != nil, file: reader.file,
            requirements: requirements ?? [])
    }

    /// One `{system, code}`; `nil` (reported) when broken.
    private mutating func parseCode(_ node: Node) -> CodeRef? {
        guard node.mapping != nil else {
            reader.report(
                .wrongType, "a code must be a mapping {system, code}, not \(YAMLFileReader.describe(node))",
                at: node)
            return nil
        }
        guard let fields = reader.fields(node, path: "codes", allowed: CatalogFileParser.codeKeys) else {
            return nil
        }
        guard let systemField = fields["system"], let codeField = fields["code"] else {
            reader.report(.missingKey, "a code needs both 'system' and 'code'", at: node)
            return nil
        }
        guard let system = reader.string(systemField.value, path: "system"),
            let code = reader.string(codeField.value, path: "code")
        else { return nil }
        return CodeRef(system: system, code: code)
    }

    /// Lower-case letters and digits joined by single hyphens.
    static func isValidID(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        return !parts.isEmpty
            && parts.allSatisfy { part in
                !part.isEmpty
                    && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            }
    }
}
