/// The bundled catalogs, parsed once per process.
enum BundledCatalogEntries {
    /// A bundled catalog's entries and the problems found in it (none, unless the
    /// bundled text was broken by an edit; the test suite guards against that).
    struct Parsed: Sendable {
        var entries: [CatalogDraftEntry]
        var issues: [ConfigurationIssue]
    }

    /// `catalog-calcium.yaml`.
    static let calcium = parse(BundledCatalogs.calciumYAML, file: BundledCatalogs.calciumFileName)
    /// `catalog-vesicants.yaml`.
    static let vesicants = parse(BundledCatalogs.vesicantsYAML, file: BundledCatalogs.vesicantsFileName)

    /// Parses one bundled catalog; its issues name it `<bundled>/FILE`.
    private static func parse(_ text: String, file: String) -> Parsed {
        var parser = CatalogFileParser(file: "<bundled>/\(file)")
        parser.parse(text)
        return Parsed(entries: parser.entries, issues: parser.reader.issues)
    }
}
