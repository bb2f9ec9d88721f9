import InputQuoting
import Yams

extension ConfigurationFileParser {
    /// `store.kind`, `store.url`, `store.password_file`, `store.tls`, `store.retention_days`
    /// (1-3650 days): `url` is required
    /// with `postgresql` and refused with `sqlite`; the password file must be an absolute
    /// path (it is read when the store opens, so that a daemon started before the file
    /// exists says so then).
    mutating func parseStore(_ store: YAMLFileReader.Fields, at sectionNode: Node) {
        if let node = store["kind"]?.value, let value = reader.string(node, path: "store.kind") {
            if let kind = ExtravasdConfiguration.Store.Kind(rawValue: value) {
                draft.store.kind = kind
            } else {
                report(
                    invalid: value, of: "store.kind", among: ExtravasdConfiguration.Store.Kind.allCases,
                    at: node)
            }
        }
        if let node = store["url"]?.value, let value = reader.string(node, path: "store.url") {
            if ExtravasdConfiguration.Store.isValidURL(value) {
                draft.store.url = value
            } else {
                // Never quote the URL: a password written into it must not reach a log.
                reader.report(
                    .invalidValue,
                    "'store.url' must be postgresql://USER@HOST:PORT/DB, with no password (put it in "
                        + "'store.password_file'), query or fragment", at: node)
            }
        }
        if let node = store["password_file"]?.value,
            let value = reader.string(node, path: "store.password_file")
        {
            if value.hasPrefix("/") {
                draft.store.passwordFile = value
            } else {
                reader.report(
                    .invalidValue, "'store.password_file' must be an absolute path, not \(quoted(value))",
                    at: node)
            }
        }
        if let node = store["tls"]?.value, let value = reader.string(node, path: "store.tls") {
            if let tls = ExtravasdConfiguration.Store.TLS(rawValue: value) {
                draft.store.tls = tls
            } else {
                report(
                    invalid: value, of: "store.tls", among: ExtravasdConfiguration.Store.TLS.allCases,
                    at: node)
            }
        }
        if let node = store["retention_days"]?.value,
            let value = reader.int(node, path: "store.retention_days", range: 1...3_650, unit: "days")
        {
            draft.store.retentionDays = value
        }
        switch draft.store.kind {
        case .postgresql where store["url"] == nil:
            reader.report(
                .invalidValue,
                "'store.kind: postgresql' needs 'store.url' (postgresql://USER@HOST:PORT/DB)", at: sectionNode
            )
        case .sqlite:
            for key in ["url", "password_file", "tls", "retention_days"] {
                guard let field = store[key] else { continue }
                reader.report(
                    .invalidValue,
                    "'store.\(key)' applies to 'store.kind: postgresql' only (the SQLite store is the file in "
                        + "'state_directory')", at: field.key)
            }
        default:
            break
        }
    }

    private mutating func report<Value: RawRepresentable>(
        invalid value: String, of key: String, among cases: [Value], at node: Node
    ) where Value.RawValue == String {
        let known = cases.map(\.rawValue)
        let hint = KeySuggestion.closest(to: value, among: known).map { "; did you mean '\($0)'?" } ?? ""
        reader.report(
            .invalidValue,
            "'\(key)' must be one of \(known.joined(separator: ", ")), not \(quoted(value))\(hint)",
            at: node)
    }
}
