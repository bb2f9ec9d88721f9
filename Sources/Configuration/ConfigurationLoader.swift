import Catalog
import Foundation
import Signs

/// Loads and validates the configuration file and the catalog files it names.
///
/// Every problem is collected, in the configuration file and in each catalog file, and
/// reported together in one ``ConfigurationError`` whose issues name their own file,
/// line and column (`FILE:LINE:COLUMN: error: REASON`).
public enum ConfigurationLoader {
    /// The configuration file used when neither `--config` nor `EXTRAVASD_CONFIG` names one.
    public static let defaultPath = "/etc/extravasd/extravasd.yaml"

    /// Loads the configuration file at `path`.
    ///
    /// - Throws: ``ConfigurationError``: a file that cannot be read gives one issue at
    ///   line 0, column 0 naming the file and the system's reason; otherwise, every
    ///   problem of the file and of its catalogs.
    public static func load(path: String) throws(ConfigurationError) -> ExtravasdConfiguration {
        switch FileText.contents(of: path) {
        case .success(let text):
            return try load(yaml: text, path: path)
        case .failure(let error):
            throw ConfigurationError(issues: [
                ConfigurationIssue(
                    file: path, line: 0, column: 0,
                    reason: "cannot read configuration file '\(path)': \(error.reason)",
                    code: .unreadableFile)
            ])
        }
    }

    /// Loads a configuration from its text; `path` names it in issues, and relative
    /// catalog paths resolve against its folder.
    ///
    /// - Throws: ``ConfigurationError`` with every problem found.
    public static func load(yaml: String, path: String) throws(ConfigurationError) -> ExtravasdConfiguration {
        var parser = ConfigurationFileParser(reader: YAMLFileReader(file: path))
        let (root, valid) = parser.reader.compose(yaml)
        parser.parse(root)
        var reader = parser.reader
        let draft = parser.draft
        var catalogIssues: [ConfigurationIssue] = []

        // Cross-checks of the file's own values.
        if draft.limits.maxFieldBytes > draft.limits.maxMessageBytes {
            reader.report(
                .conflict,
                "'limits.max_field_bytes' (\(draft.limits.maxFieldBytes)) is larger than 'limits.max_message_bytes' (\(draft.limits.maxMessageBytes))",
                at: draft.limitsFieldPlace ?? SourcePlace(line: 1, column: 1))
        }
        if draft.vesicantCatalog && !draft.defaultCatalogs {
            reader.report(
                .conflict,
                "'vesicant_catalog: true' has no effect with 'default_catalogs: false' (the bundled catalogs are dropped); remove one of them",
                at: draft.vesicantCatalogPlace ?? SourcePlace(line: 1, column: 1))
        }
        if !draft.defaultCatalogs && draft.catalogs.isEmpty && valid {
            reader.report(
                .conflict,
                "'default_catalogs: false' and no 'catalogs' leave the drug catalog empty: nothing would ever be watched",
                at: draft.defaultCatalogsPlace ?? SourcePlace(line: 1, column: 1))
        }

        // Catalog files.
        let catalogPaths = draft.catalogs.map { resolve($0.value, against: path) }
        var files: [[CatalogDraftEntry]] = []
        for (item, resolved) in zip(draft.catalogs, catalogPaths) {
            switch FileText.contents(of: resolved) {
            case .failure(let error):
                reader.report(
                    .unreadableFile, "cannot read catalog file '\(resolved)': \(error.reason)", at: item.place
                )
            case .success(let text):
                var catalogParser = CatalogFileParser(file: resolved)
                catalogParser.parse(text)
                catalogIssues += catalogParser.reader.issues
                files.append(catalogParser.entries)
            }
        }
        var base: [CatalogDraftEntry] = []
        if draft.defaultCatalogs {
            base += BundledCatalogEntries.calcium.entries
            catalogIssues += BundledCatalogEntries.calcium.issues
            if draft.vesicantCatalog {
                base += BundledCatalogEntries.vesicants.entries
                catalogIssues += BundledCatalogEntries.vesicants.issues
            }
        }
        let assembled = CatalogAssembly.assemble(
            base: base, files: files, windowHours: draft.watch.windowHours)
        catalogIssues += assembled.issues

        // Vocabularies.
        let sites = VocabularyAssembly.sites(draft.siteSynonyms, reader: &reader)
        var signContext = SignContext.standard
        let contextPath = draft.signContextFile.map { resolve($0.value, against: path) }
        if let item = draft.signContextFile, let contextPath {
            switch FileText.contents(of: contextPath) {
            case .failure(let error):
                reader.report(
                    .unreadableFile, "cannot read sign context file '\(contextPath)': \(error.reason)",
                    at: item.place)
            case .success(let text):
                var contextParser = SignContextFileParser(file: contextPath)
                contextParser.parse(text)
                catalogIssues += contextParser.reader.issues
                signContext = contextParser.context
            }
        }
        let signs = VocabularyAssembly.signs(
            words: draft.signWords, calcinosisWords: draft.calcinosisWords.map(\.value),
            negations: draft.negations.map(\.value), context: signContext, reader: &reader)

        let fileOrder = [path] + catalogPaths + (contextPath.map { [$0] } ?? [])
        let issues = ordered(reader.issues + catalogIssues, fileOrder: fileOrder)
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }

        var configuration = ExtravasdConfiguration(
            feeds: draft.feeds, mllp: draft.mllp, stateDirectory: draft.stateDirectory, phi: draft.phi,
            timezone: draft.timezone, catalogs: draft.catalogs.map(\.value), catalogPaths: catalogPaths,
            defaultCatalogs: draft.defaultCatalogs, vesicantCatalog: draft.vesicantCatalog,
            watch: draft.watch,
            labs: draft.labs, sites: ExtravasdConfiguration.SiteSettings(synonyms: sites.accepted),
            signs: ExtravasdConfiguration.SignSettings(
                words: signs.words, calcinosisWords: draft.calcinosisWords.map(\.value),
                negations: draft.negations.map(\.value), contextFile: contextPath, context: signContext),
            limits: draft.limits, reminders: draft.reminders, delivery: draft.delivery,
            clock: draft.clock,
            catalog: assembled.catalog,
            siteVocabulary: sites.vocabulary, signVocabulary: signs.vocabulary, sourcePath: path)
        configuration.phiPlace = draft.phiPlace
        configuration.lines = draft.lines
        configuration.store = draft.store
        configuration.highAvailability = draft.highAvailability
        configuration.review = draft.review
        return configuration
    }

    /// The configuration of an empty file: every default, the bundled calcium catalog,
    /// the built-in vocabularies; ``ExtravasdConfiguration/sourcePath`` is `nil`.
    public static func builtInDefaults() -> ExtravasdConfiguration {
        let watch = ExtravasdConfiguration.Watch()
        let catalog = CatalogAssembly.assemble(
            base: BundledCatalogEntries.calcium.entries, files: [], windowHours: watch.windowHours
        ).catalog
        return ExtravasdConfiguration(
            watch: watch, catalog: catalog, siteVocabulary: VocabularyAssembly.standardSites,
            signVocabulary: VocabularyAssembly.standardSigns, sourcePath: nil)
    }

    /// `path` as written when absolute; otherwise joined to the folder of the
    /// configuration file (kept relative when the configuration path is relative).
    static func resolve(_ path: String, against configurationPath: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let slash = configurationPath.lastIndex(of: "/") else { return path }
        let folder = configurationPath[..<slash]
        return folder.isEmpty ? "/\(path)" : "\(folder)/\(path)"
    }

    /// Issues grouped by file (in `fileOrder`, then any other), each file's by line
    /// and column; equal places keep their order.
    private static func ordered(_ issues: [ConfigurationIssue], fileOrder: [String]) -> [ConfigurationIssue] {
        var rank: [String: Int] = [:]
        for file in fileOrder where rank[file] == nil { rank[file] = rank.count }
        return issues.enumerated().sorted { left, right in
            let a = left.element, b = right.element
            let rankA = rank[a.file] ?? Int.max, rankB = rank[b.file] ?? Int.max
            if rankA != rankB { return rankA < rankB }
            if a.file != b.file { return a.file < b.file }
            if a.line != b.line { return a.line < b.line }
            if a.column != b.column { return a.column < b.column }
            return left.offset < right.offset
        }.map(\.element)
    }
}
