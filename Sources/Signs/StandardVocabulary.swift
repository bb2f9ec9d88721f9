/// The built-in words of `SignVocabulary.standard`.
///
/// Chosen for nursing IV-site documentation. Words that would raise false alerts are
/// left out or fenced by exclusions: "inflamed", "flushed" (a saline flush), "sore",
/// "dusky", "white", "extravasation" ("extravasation precautions") and "infiltrate"
/// (radiology) are not sign words; "hard to flush", "cold compress", "red blood
/// cells", "red reflex", "pulmonary edema" are not signs.
enum StandardVocabulary {
    /// Sign words and phrases with their kind and class.
    static let signs: [(String, SignKind, WordClass)] = [
        // Erythema.
        ("erythema", .erythema, .noun), ("erythematous", .erythema, .adjective),
        ("redness", .erythema, .noun), ("red", .erythema, .adjective),
        ("reddened", .erythema, .adjective), ("reddening", .erythema, .noun),
        ("reddish", .erythema, .adjective),
        // Swelling.
        ("swelling", .swelling, .noun), ("swollen", .swelling, .adjective),
        ("edema", .swelling, .noun), ("oedema", .swelling, .noun),
        ("edematous", .swelling, .adjective), ("oedematous", .swelling, .adjective),
        ("puffy", .swelling, .adjective), ("puffiness", .swelling, .noun),
        // Pain.
        ("pain", .pain, .noun), ("painful", .pain, .adjective),
        ("tender", .pain, .adjective), ("tenderness", .pain, .noun),
        ("pain score", .pain, .noun),
        // Blanching.
        ("blanching", .blanching, .noun), ("blanched", .blanching, .adjective),
        ("blanch", .blanching, .adjective), ("pale", .blanching, .adjective),
        ("pallor", .blanching, .noun),
        // Coolness.
        ("cool", .coolness, .adjective), ("cold", .coolness, .adjective),
        ("coolness", .coolness, .noun), ("coldness", .coolness, .noun),
        // Leaking.
        ("leaking", .leaking, .adjective), ("leakage", .leaking, .noun),
        ("leak", .leaking, .noun), ("leaked", .leaking, .adjective),
        ("wet dressing", .leaking, .noun), ("dressing wet", .leaking, .noun),
        ("damp dressing", .leaking, .noun), ("dressing damp", .leaking, .noun),
        // Induration.
        ("induration", .induration, .noun), ("indurated", .induration, .adjective),
        ("hard", .induration, .adjective), ("firm", .induration, .adjective),
        ("hardness", .induration, .noun), ("firmness", .induration, .noun),
        ("hardened", .induration, .adjective),
        // Blistering.
        ("blister", .blistering, .noun), ("blistering", .blistering, .noun),
        ("blistered", .blistering, .adjective), ("bulla", .blistering, .noun),
        ("bullae", .blistering, .noun), ("bullous", .blistering, .adjective),
        // Necrosis.
        ("necrosis", .necrosis, .noun), ("necrotic", .necrosis, .adjective),
        ("black", .necrosis, .adjective), ("blackened", .necrosis, .adjective),
        ("eschar", .necrosis, .noun),
        // Infiltration and phlebitis named in words.
        ("infiltration", .infiltration, .noun), ("infiltrated", .infiltration, .adjective),
        ("phlebitis", .phlebitis, .noun),
    ]

    /// Scales that measure a sign.
    static let scales: [(String, SignKind)] = [
        ("vip", .phlebitis), ("visual infusion phlebitis", .phlebitis),
        ("flacc", .pain),
        ("72514-3", .pain),  // LOINC: pain severity 0-10 verbal numeric rating
        ("38208-5", .pain),  // LOINC: pain severity - reported
    ]

    /// Calcinosis finding words (DESIGN.md, "Exposure") and close variants.
    static let calcinosis: [(String, WordClass)] = [
        ("nodule", .noun), ("nodular", .adjective), ("papule", .noun), ("papular", .adjective),
        ("plaque", .noun), ("white-yellow", .adjective), ("yellow-white", .adjective),
        ("whitish-yellow", .adjective), ("yellowish-white", .adjective),
        ("chalky", .adjective), ("chalk-like", .adjective),
        ("calcinosis", .noun), ("calcified", .adjective), ("calcification", .noun),
        ("calcific", .adjective), ("radio-opaque", .adjective), ("radiopaque", .adjective),
        ("calcium deposit", .noun),
    ]

    /// Negations that govern the words after them up to a clause break.
    static let negationsBefore: [String] = [
        "no", "not", "denies", "deny", "denying", "without", "w/o", "negative for", "neg for",
        "free of", "absence of", "never", "nor", "neither",
    ]

    /// Negations that govern the words before them in their segment.
    static let negationsAfter: [String] = [
        "resolved", "negative", "neg", "free", "gone", "subsided",
        "not present", "not noted", "not seen", "not observed", "not visualized",
        "not appreciated", "not evident", "not found", "ruled out",
    ]

    /// Negations that work either way ("denied pain", "pain denied").
    static let negationsBothWays: [String] = ["denied", "absent", "none"]

    /// Negations of one word ("non-tender", "non tender").
    static let negationsOfOneWord: [String] = ["non"]

    /// Hypothetical contexts: what follows is not documented as present.
    static let hypothetical: [String] = [
        "monitor for", "monitoring for", "monitored for", "observe for", "observed for",
        "observing for", "watch for", "watching for", "assess for", "assessed for",
        "assessing for", "check for", "checked for", "checking for", "risk of", "risk for",
        "at risk", "at risk of", "if", "in case of", "potential for", "to prevent",
        "educated", "educated on", "educate", "educating", "instructed", "teaching", "taught",
    ]

    /// Look-alike negations.
    static let pseudoNegations: [String] = [
        "no change", "no changes", "no increase", "no increased", "no improvement",
        "not improved", "not improving", "not resolved", "not resolving", "not only",
        "no decrease", "not decreased", "no reduction", "no worsening", "no significant change",
        "without change", "without improvement", "free flowing", "free flow", "freely",
    ]

    /// Phrases with a sign or normal word that mean something else.
    static let exclusions: [String] = [
        "cold compress", "cool compress", "cold pack", "cool pack", "cold therapy",
        "cool mist", "common cold", "hard to", "hard stick", "firm pressure",
        "red blood", "red cell", "red top", "red reflex", "black box", "pale yellow",
        "pale straw", "air leak", "blister pack", "pulmonary edema", "pulmonary oedema",
        "cerebral edema", "cerebral oedema", "erythema toxicum", "normal saline",
        "black stool", "black tarry",
    ]

    /// Words that end a clause.
    static let clauseBreaks: [String] = ["but", "however", "although", "though", "except", "whereas"]

    /// Words that join list items.
    static let connectors: [String] = ["and", "or", "and/or"]

    /// Statements that the site is normal.
    static let normal: [String] = [
        "wnl", "wdl", "within normal limits", "within defined limits", "cdi",
        "clean dry intact", "clean dry and intact", "clean and dry", "clean and intact",
        "dry and intact", "dry intact",
        "unremarkable", "normal", "healed",
    ]

    /// Words of presence or degree.
    static let presence: [String] = [
        "present", "positive", "pos", "yes", "mild", "mildly", "moderate", "moderately",
        "severe", "severely", "slight", "slightly", "minimal", "trace", "marked", "noted",
        "observed", "seen", "visible", "small", "large", "extensive",
    ]

    /// The phrase table of the built-in sign words with `context`.
    static func table(context: SignContext = .standard) -> PhraseTable {
        var additions: [(String, VocabularyPayload)] = []
        additions += connectors.map { ($0, .connector) }
        additions += normal.map { ($0, .normal) }
        additions += presence.map { ($0, .presence) }
        additions += context.payloads.filter { $0.1 != .exclusion }
        additions += signs.map { ($0.0, .sign($0.1, $0.2)) }
        additions += scales.map { ($0.0, .scale($0.1)) }
        additions += calcinosis.map { ($0.0, .calcinosis($0.1)) }
        additions += context.payloads.filter { $0.1 == .exclusion }
        var table = PhraseTable()
        table.insert(additions)
        return table
    }
}
