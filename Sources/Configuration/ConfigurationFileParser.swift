import Foundation
import InputQuoting
import Yams

/// Reads the configuration file's keys into a ``ConfigurationDraft``, reporting every
/// unknown key, wrong type and bad value with its line and column.
struct ConfigurationFileParser {
    /// The reader of the configuration file (it holds the issues).
    var reader: YAMLFileReader
    /// The values read so far (defaults where a key is absent or wrong).
    var draft = ConfigurationDraft()

    /// A parser reporting into `reader`.
    init(reader: YAMLFileReader) {
        self.reader = reader
    }

    /// Reads the document's root (an empty document leaves every default).
    mutating func parse(_ root: Node?) {
        guard let root else { return }
        guard let top = section(root, path: "") else { return }

        if let feeds = top["feeds"].flatMap({ section($0.value, path: "feeds") }) {
            if let node = feeds["files"]?.value, let files = reader.strings(node, path: "feeds.files") {
                draft.feeds.files = files.map(\.text)
            }
            if let node = feeds["settle_ms"]?.value,
                let value = reader.int(
                    node, path: "feeds.settle_ms", range: 0...600_000, unit: "milliseconds")
            {
                draft.feeds.settleMilliseconds = value
            }
            if let node = feeds["rotation_grace_ms"]?.value,
                let value = reader.int(
                    node, path: "feeds.rotation_grace_ms", range: 0...3_600_000, unit: "milliseconds")
            {
                draft.feeds.rotationGraceMilliseconds = value
            }
            parseManyFiles(feeds)
        }

        if let mllp = top["mllp"].flatMap({ section($0.value, path: "mllp") }) {
            if let node = mllp["enabled"]?.value, let value = reader.bool(node, path: "mllp.enabled") {
                draft.mllp.enabled = value
            }
            if let node = mllp["listen"]?.value, let value = reader.string(node, path: "mllp.listen") {
                if ExtravasdConfiguration.MLLP.split(value) == nil {
                    reader.report(
                        .invalidValue,
                        "'mllp.listen' must be HOST:PORT (e.g. 127.0.0.1:2575, [::1]:2575) with a port from 1 to 65535, not \(quoted(value))",
                        at: node)
                } else {
                    draft.mllp.listen = value
                }
            }
            parseMLLPBounds(mllp)
        }

        if let field = top["store"], let store = section(field.value, path: "store") {
            parseStore(store, at: field.key)
        }

        if let node = top["state_directory"]?.value, let value = reader.string(node, path: "state_directory")
        {
            draft.stateDirectory = value
        }

        if let node = top["phi"]?.value, let value = reader.string(node, path: "phi") {
            if let policy = PHIPolicy(rawValue: value) {
                draft.phi = policy
                draft.phiPlace = SourcePlace(node)
            } else {
                let known = PHIPolicy.allCases.map(\.rawValue)
                let hint =
                    KeySuggestion.closest(to: value, among: known).map { "; did you mean '\($0)'?" } ?? ""
                reader.report(
                    .invalidValue,
                    "'phi' must be one of \(known.joined(separator: ", ")), not \(quoted(value))\(hint)",
                    at: node)
            }
        }

        if let node = top["timezone"]?.value, let value = reader.string(node, path: "timezone") {
            if TimeZone(identifier: value) == nil {
                reader.report(
                    .invalidValue,
                    "'timezone' must be an IANA time zone name (e.g. UTC, Europe/Paris, America/New_York); \(quoted(value)) is not known",
                    at: node)
            } else {
                draft.timezone = value
            }
        }

        if let node = top["catalogs"]?.value, let files = reader.strings(node, path: "catalogs") {
            draft.catalogs = files.map { .init(value: $0.text, place: SourcePlace($0.node)) }
        }
        if let field = top["default_catalogs"], let value = reader.bool(field.value, path: "default_catalogs")
        {
            draft.defaultCatalogs = value
            draft.defaultCatalogsPlace = SourcePlace(field.key)
        }
        if let field = top["vesicant_catalog"], let value = reader.bool(field.value, path: "vesicant_catalog")
        {
            draft.vesicantCatalog = value
            draft.vesicantCatalogPlace = SourcePlace(field.key)
        }

        if let watch = top["watch"].flatMap({ section($0.value, path: "watch") }) {
            if let node = watch["window_hours"]?.value,
                let value = reader.int(node, path: "watch.window_hours", range: 1...8760, unit: "hours")
            {
                draft.watch.windowHours = value
            }
            if let node = watch["late_window_days"]?.value,
                let value = reader.int(node, path: "watch.late_window_days", range: 0...3650, unit: "days")
            {
                draft.watch.lateWindowDays = value
            }
        }

        if let lines = top["lines"].flatMap({ section($0.value, path: "lines") }),
            let node = lines["forget_hours"]?.value,
            let value = reader.int(node, path: "lines.forget_hours", range: 1...8760, unit: "hours")
        {
            draft.lines.forgetHours = value
        }

        if let labs = top["labs"].flatMap({ section($0.value, path: "labs") }) {
            parseLabs(labs)
        }

        if let sites = top["sites"].flatMap({ section($0.value, path: "sites") }),
            let node = sites["synonyms"]?.value, let pairs = reader.stringMap(node, path: "sites.synonyms")
        {
            draft.siteSynonyms = pairs.map {
                ($0.key, .init(value: $0.value, place: SourcePlace($0.valueNode)))
            }
        }

        if let signs = top["signs"].flatMap({ section($0.value, path: "signs") }) {
            if let node = signs["words"]?.value, let pairs = reader.stringMap(node, path: "signs.words") {
                draft.signWords = pairs.map {
                    ($0.key, .init(value: $0.value, place: SourcePlace($0.valueNode)))
                }
            }
            if let node = signs["calcinosis_words"]?.value,
                let words = reader.strings(node, path: "signs.calcinosis_words")
            {
                draft.calcinosisWords = words.map { .init(value: $0.text, place: SourcePlace($0.node)) }
            }
            if let node = signs["negations"]?.value, let words = reader.strings(node, path: "signs.negations")
            {
                draft.negations = words.map { .init(value: $0.text, place: SourcePlace($0.node)) }
            }
            if let node = signs["context_file"]?.value,
                let file = reader.string(node, path: "signs.context_file")
            {
                draft.signContextFile = .init(value: file, place: SourcePlace(node))
            }
        }

        if let limits = top["limits"].flatMap({ section($0.value, path: "limits") }) {
            if let node = limits["max_message_bytes"]?.value,
                let value = reader.int(
                    node, path: "limits.max_message_bytes", range: 1024...1_073_741_824, unit: "bytes")
            {
                draft.limits.maxMessageBytes = value
            }
            if let node = limits["max_segments"]?.value,
                let value = reader.int(node, path: "limits.max_segments", range: 1...1_000_000)
            {
                draft.limits.maxSegments = value
            }
            if let node = limits["max_field_bytes"]?.value,
                let value = reader.int(
                    node, path: "limits.max_field_bytes", range: 1...1_073_741_824, unit: "bytes")
            {
                draft.limits.maxFieldBytes = value
                draft.limitsFieldPlace = SourcePlace(node)
            }
            if let node = limits["dead_letter_max_bytes"]?.value,
                let value = reader.int(
                    node, path: "limits.dead_letter_max_bytes", range: 1024...1_099_511_627_776, unit: "bytes"
                )
            {
                draft.limits.deadLetterMaxBytes = value
            }
            if let node = limits["dead_letter_files"]?.value,
                let value = reader.int(node, path: "limits.dead_letter_files", range: 0...1000)
            {
                draft.limits.deadLetterFiles = value
            }
            if let node = limits["max_files"]?.value,
                let value = reader.int(node, path: "limits.max_files", range: 1...10_000_000, unit: "files")
            {
                draft.limits.maxFiles = value
            }
            if let node = limits["state_cache_bytes"]?.value,
                let value = reader.int(
                    node, path: "limits.state_cache_bytes", range: 1_048_576...68_719_476_736, unit: "bytes")
            {
                draft.limits.stateCacheBytes = value
            }
        }

        if let clock = top["clock"].flatMap({ section($0.value, path: "clock") }) {
            if let node = clock["max_skew"]?.value,
                let value = reader.duration(node, path: "clock.max_skew", range: 0...30 * secondsPerDay)
            {
                draft.clock.maxSkewSeconds = value
            }
            if let node = clock["max_jump"]?.value,
                let value = reader.duration(node, path: "clock.max_jump", range: 60...3650 * secondsPerDay)
            {
                draft.clock.maxJumpSeconds = value
            }
        }

        if let reminders = top["reminders"].flatMap({ section($0.value, path: "reminders") }) {
            if let node = reminders["after_minutes"]?.value,
                let value = reader.decimal(
                    node, path: "reminders.after_minutes", range: 0.01...10_080, unit: "minutes")
            {
                draft.reminders.afterMinutes = value
            }
            if let node = reminders["suppress_hours"]?.value,
                let value = reader.decimal(
                    node, path: "reminders.suppress_hours", range: 0...8_760, unit: "hours")
            {
                draft.reminders.suppressHours = value
            }
        }

        if let review = top["review"].flatMap({ section($0.value, path: "review") }),
            let node = review["group"]?.value, let group = reader.string(node, path: "review.group")
        {
            if group.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x3A && $0 < 0x7F }) && group.utf8.count <= 64 {
                draft.review.group = group
            } else {
                reader.report(
                    .invalidValue,
                    "'review.group' must be a group name (at most 64 printable characters, no space or ':'), "
                        + "not '\(group)'", at: node)
            }
        }

        if let delivery = top["delivery"].flatMap({ section($0.value, path: "delivery") }),
            let node = delivery["confirm_ms"]?.value,
            let value = reader.int(
                node, path: "delivery.confirm_ms", range: 100...3_600_000, unit: "milliseconds")
        {
            draft.delivery.confirmMilliseconds = value
        }

        if let field = top["ha"], let ha = section(field.value, path: "ha") {
            if let node = ha["takeover_ms"]?.value,
                let value = reader.int(
                    node, path: "ha.takeover_ms", range: 500...600_000, unit: "milliseconds")
            {
                draft.highAvailability.takeoverMilliseconds = value
            }
            if draft.store.kind != .postgresql {
                reader.report(
                    .invalidValue,
                    "'ha' applies to 'store.kind: postgresql' only (instances share the PostgreSQL store; "
                        + "an SQLite store has one instance)", at: field.key)
            }
        }
    }

    /// `feeds.close_idle_ms`, `feeds.after_read`, `feeds.follow_symlinks` (after
    /// `feeds.files`: a `move:DIR` folder must not be matched by a pattern).
    private mutating func parseManyFiles(_ feeds: YAMLFileReader.Fields) {
        if let node = feeds["close_idle_ms"]?.value,
            let value = reader.int(
                node, path: "feeds.close_idle_ms", range: 0...86_400_000, unit: "milliseconds")
        {
            draft.feeds.closeIdleMilliseconds = value
        }
        if let node = feeds["follow_symlinks"]?.value,
            let value = reader.bool(node, path: "feeds.follow_symlinks")
        {
            draft.feeds.followSymlinks = value
        }
        guard let node = feeds["after_read"]?.value,
            let text = reader.string(node, path: "feeds.after_read")
        else { return }
        switch text {
        case "keep": draft.feeds.afterRead = .keep
        case "delete": draft.feeds.afterRead = .delete
        default:
            guard text.hasPrefix("move:") else {
                reader.report(
                    .invalidValue,
                    "'feeds.after_read' must be keep, delete or move:DIR, not '\(text.prefix(80))'", at: node)
                return
            }
            var folder = String(text.dropFirst(5))
            while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
            guard folder.hasPrefix("/") else {
                reader.report(
                    .invalidValue,
                    "'feeds.after_read: move:DIR' needs an absolute folder, not '\(folder.prefix(80))'",
                    at: node)
                return
            }
            let sample = folder + "/x"
            if let pattern = draft.feeds.files.first(where: {
                fnmatch($0, sample, FNM_PATHNAME | FNM_PERIOD) == 0
                    || fnmatch(Self.folder(of: $0), folder, FNM_PATHNAME | FNM_PERIOD) == 0
            }) {
                reader.report(
                    .conflict,
                    "'feeds.after_read' moves files into \(folder.prefix(80)), which feed pattern "
                        + "'\(pattern.prefix(80))' matches: moved files would be read again; "
                        + "choose a folder outside the patterns",
                    at: node)
                return
            }
            draft.feeds.afterRead = .move(folder)
        }
    }

    /// The folder part of a pattern.
    private static func folder(of pattern: String) -> String {
        guard let slash = pattern.lastIndex(of: "/") else { return "." }
        let folder = String(pattern[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// `labs`: lookback, Ca x P window and the code lists.
    private mutating func parseLabs(_ labs: YAMLFileReader.Fields) {
        if let node = labs["lookback_days"]?.value,
            let value = reader.int(node, path: "labs.lookback_days", range: 1...365, unit: "days")
        {
            draft.labs.lookbackDays = value
        }
        if let node = labs["ca_x_p_window_hours"]?.value,
            let value = reader.int(node, path: "labs.ca_x_p_window_hours", range: 1...8760, unit: "hours")
        {
            draft.labs.calciumPhosphateWindowHours = value
        }
        guard let codesNode = labs["codes"]?.value, let tests = section(codesNode, path: "labs.codes") else {
            return
        }
        for test in ExtravasdConfiguration.LabTest.allCases {
            guard let node = tests[test.rawValue]?.value else { continue }
            let path = "labs.codes.\(test.rawValue)"
            guard let items = reader.list(node, path: path) else { continue }
            var codes: [ExtravasdConfiguration.LabCode] = []
            var complete = true
            for item in items {
                guard let fields = reader.fields(item, path: "\(path)[]", allowed: ["code", "unit"]),
                    item.mapping != nil
                else {
                    if YAMLFileReader.isNull(item) {
                        reader.report(
                            .wrongType, "'\(path)' items must be {code, unit} mappings, not an empty value",
                            at: item)
                    }
                    complete = false
                    continue
                }
                guard let codeField = fields["code"], let unitField = fields["unit"] else {
                    let missing = fields["code"] == nil ? "code" : "unit"
                    reader.report(.missingKey, "'\(path)' item is missing '\(missing)'", at: item)
                    complete = false
                    continue
                }
                guard let code = reader.string(codeField.value, path: "\(path)[].code"),
                    let unitText = reader.string(unitField.value, path: "\(path)[].unit")
                else {
                    complete = false
                    continue
                }
                let allowed = test.allowedUnits
                guard let unit = ExtravasdConfiguration.LabUnit(text: unitText), allowed.contains(unit) else {
                    reader.report(
                        .invalidValue,
                        "unit \(quoted(unitText)) is not read for \(test.rawValue); use \(allowed.map(\.rawValue).joined(separator: " or "))",
                        at: unitField.value)
                    complete = false
                    continue
                }
                codes.append(ExtravasdConfiguration.LabCode(code: code, unit: unit))
            }
            if complete { draft.labs.codes[test] = codes }
        }
    }

    /// A section's keys (unknown ones reported), `nil` when it is not a mapping.
    private mutating func section(_ node: Node, path: String) -> YAMLFileReader.Fields? {
        reader.fields(
            node, path: path, allowed: ConfigurationSchema.keys(at: path),
            elsewhere: ConfigurationSchema.elsewhere(than: path))
    }
}
