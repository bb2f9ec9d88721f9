import InputQuoting
import Signs
import Yams

/// Reads a sign context file (`signs.context_file`; the defaults are
/// `config/sign-context.yaml`): lists of negations, hypothetical contexts, look-alike
/// phrases and negations, and clause-break words. Each list written replaces its
/// default; a list left out keeps it. Every problem is reported with the file's name,
/// line and column.
struct SignContextFileParser {
    /// The keys of a sign context file, in file order.
    static let keys = SignContext.standard.lists.map(\.key)

    /// The reader of the file (it holds the issues).
    var reader: YAMLFileReader
    /// The context read: the defaults, with each list the file writes in its place.
    private(set) var context = SignContext.standard

    /// A parser of the file named `file`.
    init(file: String) {
        reader = YAMLFileReader(file: file)
    }

    /// Parses the file's text. An empty file (only comments) keeps every default.
    mutating func parse(_ text: String) {
        let (root, valid) = reader.compose(text)
        guard valid, let root, !YAMLFileReader.isNull(root) else { return }
        guard let top = reader.fields(root, path: "", allowed: Self.keys) else { return }
        // Where each phrase of the file stands, by its matched form.
        var placed: [String: (list: String, place: SourcePlace)] = [:]
        for key in Self.keys {
            guard let node = top[key]?.value else { continue }
            if YAMLFileReader.isNull(node) {
                context[list: key] = []
                continue
            }
            guard let items = reader.strings(node, path: key) else { continue }
            var phrases: [String] = []
            for item in items {
                let form = SignContext.matchedForm(of: item.text)
                let place = SourcePlace(item.node)
                if form.isEmpty {
                    reader.report(
                        .invalidValue,
                        "\(quoted(item.text)) in '\(key)' has no letters or digits: it never matches",
                        at: place)
                    continue
                }
                if let first = placed[form] {
                    let which = first.list == key ? "already listed" : "already listed in '\(first.list)'"
                    reader.report(
                        .conflict,
                        "\(quoted(item.text)) in '\(key)' is \(which) (line \(first.place.line)); "
                            + "a phrase may have one meaning only",
                        at: place)
                    continue
                }
                if SignVocabulary.standard.namesSignOrFinding(phrase: item.text) {
                    reader.report(
                        .invalidValue,
                        "\(quoted(item.text)) in '\(key)' is a sign or finding word; list the phrase that changes "
                            + "its meaning (e.g. \"cold compress\", not \"cold\")",
                        at: place)
                    continue
                }
                placed[form] = (key, place)
                phrases.append(item.text)
            }
            context[list: key] = phrases
        }
        // A phrase of the file that a default list, left as it is, also holds.
        for (key, phrases) in context.lists where top[key] == nil {
            for phrase in phrases {
                guard let mine = placed[SignContext.matchedForm(of: phrase)] else { continue }
                reader.report(
                    .conflict,
                    "\(quoted(phrase)) in '\(mine.list)' is also in the default '\(key)' list; "
                        + "write '\(key)' in this file without it",
                    at: mine.place)
            }
        }
    }
}
