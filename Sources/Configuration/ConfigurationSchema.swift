/// The keys of the configuration file, section by section (DESIGN.md section 6 and
/// the team's keys, documented in `config/extravasd.example.yaml`).
enum ConfigurationSchema {
    /// Top-level keys.
    static let root = [
        "feeds", "mllp", "store", "state_directory", "phi", "timezone", "catalogs", "default_catalogs",
        "vesicant_catalog",
        "watch", "labs", "sites", "signs", "limits", "reminders", "review",
        "delivery", "ha",
        "clock",
        "lines",
    ]
    /// Keys of each section, by the section's dotted path.
    static let sections: [String: [String]] = [
        "feeds": [
            "files", "settle_ms", "rotation_grace_ms", "close_idle_ms", "after_read", "follow_symlinks",
        ],
        "mllp": [
            "enabled", "listen", "max_frame_bytes", "max_connections", "idle_timeout_ms", "allow",
            "tls_certificate", "tls_key", "tls_client_ca",
        ],
        "store": ["kind", "url", "password_file", "tls", "retention_days"],
        "watch": ["window_hours", "late_window_days"],
        "labs": ["lookback_days", "ca_x_p_window_hours", "codes"],
        "labs.codes": ExtravasdConfiguration.LabTest.allCases.map(\.rawValue),
        "labs.codes[]": ["code", "unit"],
        "sites": ["synonyms"],
        "signs": ["words", "calcinosis_words", "negations", "context_file"],
        "limits": [
            "max_message_bytes", "max_segments", "max_field_bytes", "dead_letter_max_bytes",
            "dead_letter_files",
            "max_files", "state_cache_bytes",
        ],
        "reminders": ["after_minutes", "suppress_hours"],
        "review": ["group"],
        "delivery": ["confirm_ms"],
        "ha": ["takeover_ms"],
        "clock": ["max_skew", "max_jump"],
        "lines": ["forget_hours"],
    ]

    /// Where each key lives (key -> its section path, or `""` for top level), for
    /// "it belongs under 'feeds'" when a key is written in the wrong section.
    static let homes: [String: String] = {
        var homes: [String: String] = [:]
        for key in root { homes[key] = "the top level" }
        for (section, keys) in sections where !section.hasSuffix("[]") {
            for key in keys where homes[key] == nil { homes[key] = section }
        }
        return homes
    }()

    /// The homes of keys other than those allowed at `path` (so a suggestion never
    /// points where the key already is).
    static func elsewhere(than path: String) -> [String: String] {
        homes.filter { $0.value != (path.isEmpty ? "the top level" : path) }
    }

    /// The keys allowed at `path`.
    static func keys(at path: String) -> [String] {
        path.isEmpty ? root : sections[path] ?? []
    }
}
