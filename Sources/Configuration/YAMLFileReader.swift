import InputQuoting
import Yams

/// Reads one YAML file through Yams' node API, collecting every problem with the
/// file's name, line and column instead of stopping at the first.
struct YAMLFileReader {
    /// A mapping's entries by key, with the key's own node (for places).
    typealias Fields = [String: (key: Node, value: Node)]

    /// The file's name as issues show it.
    let file: String
    /// The problems found so far.
    private(set) var issues: [ConfigurationIssue] = []

    /// A reader for the file named `file`.
    init(file: String) {
        self.file = file
    }

    // MARK: Reporting

    /// Records a problem at a place.
    mutating func report(_ code: ConfigurationIssue.Code, _ reason: String, at place: SourcePlace) {
        issues.append(
            ConfigurationIssue(file: file, line: place.line, column: place.column, reason: reason, code: code)
        )
    }

    /// Records a problem at a node.
    mutating func report(_ code: ConfigurationIssue.Code, _ reason: String, at node: Node?) {
        report(code, reason, at: SourcePlace(node))
    }

    // MARK: Documents

    /// The document's root node: `nil` for an empty document (only comments) or after
    /// a syntax error, which is reported with its line and column.
    mutating func compose(_ text: String) -> (root: Node?, valid: Bool) {
        do {
            return (try Yams.compose(yaml: text), true)
        } catch let error as YamlError {
            reportSyntax(error, in: text)
        } catch {
            report(.syntax, "invalid YAML: \(quoted("\(error)"))", at: SourcePlace(line: 1, column: 1))
        }
        return (nil, false)
    }

    /// Reports a Yams error at the place it names.
    private mutating func reportSyntax(_ error: YamlError, in text: String) {
        func context(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            return " (\(quoted(context.text)) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
            .composer(let ctx, let problem, let mark, _):
            report(
                .syntax, "invalid YAML: \(quoted(problem))\(context(ctx))",
                at: SourcePlace(line: mark.line, column: mark.column))
        case .reader(let problem, let offset, _, _):
            report(
                .syntax, "invalid YAML: \(quoted(problem))",
                at: YAMLFileReader.place(ofCharacterOffset: offset ?? 0, in: text))
        case .duplicatedKeysInMapping(let duplicates, let ctx):
            let keys = duplicates.map { quoted($0) }.joined(separator: ", ")
            let plural = duplicates.count == 1 ? "key" : "keys"
            report(
                .syntax, "duplicate \(plural) \(keys) in one mapping; each key may appear once",
                at: SourcePlace(line: ctx.mark.line, column: ctx.mark.column))
        default:
            report(.syntax, "invalid YAML: \(quoted("\(error)"))", at: SourcePlace(line: 1, column: 1))
        }
    }

    /// Line and column (from 1) of the character at `offset`.
    static func place(ofCharacterOffset offset: Int, in text: String) -> SourcePlace {
        var line = 1, column = 1
        for (index, character) in text.enumerated() {
            if index >= offset { break }
            if character == "\n" || character == "\r\n" || character == "\r" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourcePlace(line: line, column: column)
    }

    // MARK: Values

    /// The resolved tag of a node (`int`, `bool`, `null`, `str`, ...).
    static func tag(of node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    /// `true` for an empty value (`key:` with nothing after it, `~`, `null`).
    static func isNull(_ node: Node) -> Bool {
        if case .scalar = node, YAMLFileReader.tag(of: node) == .null { return true }
        return false
    }

    /// A short description of what a node holds, for "must be X, not Y" messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch YAMLFileReader.tag(of: node) {
            case .null: return "an empty value"
            case .bool: return "the boolean \(quoted(scalar.string))"
            case .int, .float: return "the number \(quoted(scalar.string))"
            default: return "the text \(quoted(scalar.string))"
            }
        }
    }

    /// The entries of a mapping whose keys must be among `allowed` (in this order in
    /// messages). An empty value counts as an empty mapping. Unknown keys are reported
    /// with a suggestion; `nil` (reported) when the node is not a mapping.
    mutating func fields(
        _ node: Node, path: String, allowed: [String], elsewhere: [String: String] = [:]
    ) -> Fields? {
        if YAMLFileReader.isNull(node) { return [:] }
        guard let mapping = node.mapping else {
            let what = path.isEmpty ? "the file" : "'\(path)'"
            report(
                .wrongType, "\(what) must be a mapping of keys, not \(YAMLFileReader.describe(node))",
                at: node)
            return nil
        }
        var fields: Fields = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(.wrongType, "a key must be plain text, not \(YAMLFileReader.describe(key))", at: key)
                continue
            }
            let name = scalar.string
            if allowed.contains(name) {
                fields[name] = (key, value)
            } else {
                report(
                    .unknownKey,
                    YAMLFileReader.unknownKeyReason(name, path: path, allowed: allowed, elsewhere: elsewhere),
                    at: key)
            }
        }
        return fields
    }

    /// "unknown key 'feed'; did you mean 'feeds'?" and its variants.
    static func unknownKeyReason(_ name: String, path: String, allowed: [String], elsewhere: [String: String])
        -> String
    {
        let place = path.isEmpty ? "" : " in '\(path)'"
        if let suggestion = KeySuggestion.closest(to: name, among: allowed) {
            return "unknown key \(quoted(name))\(place); did you mean '\(suggestion)'?"
        }
        if let home = elsewhere[name] {
            let belongs = home == "the top level" ? "at the top level" : "under '\(home)'"
            return "unknown key \(quoted(name))\(place); it belongs \(belongs)"
        }
        return "unknown key \(quoted(name))\(place) (known keys: \(allowed.joined(separator: ", ")))"
    }

    /// A key written into a path (`sites.synonyms.KEY`): at most ``quotedInputLimit``
    /// characters of it, then `…`.
    static func shortened(_ key: String) -> String {
        key.count <= quotedInputLimit ? key : String(key.prefix(quotedInputLimit)) + "…"
    }

    /// An integer in `range`; `nil` (reported) otherwise.
    mutating func int(_ node: Node, path: String, range: ClosedRange<Int>, unit: String = "") -> Int? {
        let suffix = unit.isEmpty ? "" : " (\(unit))"
        guard case .scalar = node, YAMLFileReader.tag(of: node) == .int, let value = node.int else {
            report(
                .wrongType, "'\(path)' must be a whole number\(suffix), not \(YAMLFileReader.describe(node))",
                at: node)
            return nil
        }
        guard range.contains(value) else {
            report(
                .invalidValue,
                "'\(path)' must be between \(range.lowerBound) and \(range.upperBound)\(suffix), not \(value)",
                at: node)
            return nil
        }
        return value
    }

    /// `true` or `false`; `nil` (reported) otherwise.
    /// A number, whole or with a fraction (`10`, `0.1`), within `range`.
    mutating func decimal(_ node: Node, path: String, range: ClosedRange<Double>, unit: String = "")
        -> Double?
    {
        let suffix = unit.isEmpty ? "" : " (\(unit))"
        let tag = YAMLFileReader.tag(of: node)
        guard case .scalar = node, tag == .int || tag == .float, let value = node.float, value.isFinite else {
            report(
                .wrongType, "'\(path)' must be a number\(suffix), not \(YAMLFileReader.describe(node))",
                at: node)
            return nil
        }
        guard range.contains(value) else {
            report(
                .invalidValue,
                "'\(path)' must be between \(Self.plain(range.lowerBound)) and \(Self.plain(range.upperBound))"
                    + "\(suffix), not \(Self.plain(value))",
                at: node)
            return nil
        }
        return value
    }

    /// `10` for 10.0, `0.1` for 0.1.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    mutating func bool(_ node: Node, path: String) -> Bool? {
        guard case .scalar = node, YAMLFileReader.tag(of: node) == .bool, let value = node.bool else {
            report(
                .wrongType, "'\(path)' must be true or false, not \(YAMLFileReader.describe(node))", at: node)
            return nil
        }
        return value
    }

    /// The text of a scalar (any scalar: `no` and `2575` are text too); `nil`
    /// (reported) for a mapping, a list, or an empty value, and for blank text unless
    /// `allowBlank`.
    mutating func string(_ node: Node, path: String, allowBlank: Bool = false) -> String? {
        guard case .scalar(let scalar) = node, YAMLFileReader.tag(of: node) != .null else {
            report(.wrongType, "'\(path)' must be text, not \(YAMLFileReader.describe(node))", at: node)
            return nil
        }
        if !allowBlank, scalar.string.allSatisfy(\.isWhitespace) {
            report(.invalidValue, "'\(path)' must not be blank", at: node)
            return nil
        }
        return scalar.string
    }

    /// The items of a list, each with its node; `nil` (reported) when not a list.
    mutating func list(_ node: Node, path: String) -> [Node]? {
        guard let sequence = node.sequence else {
            report(.wrongType, "'\(path)' must be a list, not \(YAMLFileReader.describe(node))", at: node)
            return nil
        }
        return Array(sequence)
    }

    /// A list of non-blank texts, each with its node; bad items are reported and left out.
    mutating func strings(_ node: Node, path: String) -> [(text: String, node: Node)]? {
        guard let items = list(node, path: path) else { return nil }
        var result: [(text: String, node: Node)] = []
        for item in items {
            if let text = string(item, path: "\(path)[]") { result.append((text, item)) }
        }
        return result
    }

    /// A mapping of text to text (e.g. synonyms), in file order; bad pairs are
    /// reported and left out. An empty value counts as an empty mapping.
    mutating func stringMap(_ node: Node, path: String) -> [(
        key: String, keyNode: Node, value: String, valueNode: Node
    )]? {
        if YAMLFileReader.isNull(node) { return [] }
        guard let mapping = node.mapping else {
            report(.wrongType, "'\(path)' must be a mapping, not \(YAMLFileReader.describe(node))", at: node)
            return nil
        }
        var result: [(key: String, keyNode: Node, value: String, valueNode: Node)] = []
        for (key, value) in mapping {
            guard let name = string(key, path: "a key of '\(path)'"),
                let text = string(value, path: "\(path).\(YAMLFileReader.shortened(key.string ?? ""))")
            else { continue }
            result.append((name, key, text, value))
        }
        return result
    }
}
