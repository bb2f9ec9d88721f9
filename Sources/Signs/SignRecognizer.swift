import Coding

/// Reads nursing observations (OBX) for signs of extravasation, calcinosis findings,
/// site locations and line removals (DESIGN.md, "Signs", "Exposure", "Line removal").
///
/// One observation at a time; pure and cheap (no Foundation, no regular
/// expressions), so it can run on every nursing OBX of a feed.
///
/// How a reading is made:
/// - When the identifier (OBX-3 code or text) names signs ("Erythema at IV site",
///   "Pain score", "VIP score", "Infiltration grade"), the value decides, never the
///   label alone: a coded yes (`Y`, `YES`, `POS`, `present`, SNOMED 373066001)
///   asserts them, a coded no (`N`, `NO`, `NEG`, `absent`, `none`, 373067005) does
///   not; a number asserts each kind it reaches, inclusive (pain >= 1, infiltration
///   >= 1, phlebitis >= 2, other kinds >= 1; an SN upper bound `<` never does); a text
///   asserts them through a word of presence or degree ("present", "mild", "noted")
///   or a size ("2 cm"), and asserts the sign words it contains.
/// - Otherwise the value is read as text for sign and finding words with negation
///   (prose values, and the text of coded values: CWE-2, else CWE-1). Numeric and
///   time values name nothing.
public struct SignRecognizer: Sendable {
    /// The words in use.
    public let vocabulary: SignVocabulary
    /// Identifier analyses made with `vocabulary`.
    private let identifiers = IdentifierCache()

    /// A recognizer with `vocabulary` (the standard words by default).
    public init(vocabulary: SignVocabulary = .standard) {
        self.vocabulary = vocabulary
    }

    /// What `observation` says about its site.
    public func read(_ observation: ObservationInput) -> ObservationReading {
        let label = analysis(of: observation.identifier)
        let kind = ValueReading.ValueKind(type: observation.valueType)
        var signs: SignMask = []
        var calcinosis = false
        var statesNormal = false
        var isSiteLocation = false
        var siteText: String?
        var isLineRemoval = false
        var isLineInsertion = false
        var lineContents: String?

        for value in observation.values where !ValueReading.isBlank(value) {
            if label.namesSiteLocation || label.namesSide {
                isSiteLocation = label.namesSiteLocation
                if siteText == nil { siteText = ValueReading.siteText(value, kind: kind) }
                if label.namesSide { continue }
            }
            if label.namesLineRemoval && !isLineRemoval {
                switch ValueReading.answer(value, kind: kind, extraYes: ValueReading.removalYesWords) {
                case .yes: isLineRemoval = true
                case .no: break
                case nil: isLineRemoval = ValueReading.isTime(value, kind: kind)
                }
            }
            if label.namesLineInsertion && !isLineInsertion {
                isLineInsertion = ValueReading.answer(value, kind: kind) != .no
            }
            if label.namesLineContents && lineContents == nil {
                lineContents = ValueReading.siteText(value, kind: kind)
            }
            if label.namesFinding {
                if judge(value, kind: kind, label: label, signs: &signs, calcinosis: &calcinosis) {
                    statesNormal = true
                }
            } else if !kind.isNumberOrTime {
                let findings = scan(ValueReading.readableText(value, kind: kind))
                signs.formUnion(findings.signs)
                calcinosis = calcinosis || findings.calcinosis
                statesNormal = statesNormal || findings.negatedMention || findings.normalMention
            }
            if (label.namesNormal || label.negatesSign) && ValueReading.answer(value, kind: kind) == .yes {
                statesNormal = true
            }
        }
        isSiteLocation = isSiteLocation || label.namesSiteLocation
        var reading = ObservationReading(
            signs: signs.kinds,
            calcinosisFinding: calcinosis,
            isSiteLocation: isSiteLocation,
            isLineRemoval: isLineRemoval,
            isOrientation: label.namesSide,
            siteText: siteText,
            mentionsNormal: statesNormal && signs.isEmpty && !calcinosis && !isLineRemoval && !isSiteLocation
                && !label.namesSide)
        reading.namesCatheterSite = label.namesCatheterSite
        reading.isLineInsertion = isLineInsertion
        reading.lineContents = lineContents
        return reading
    }

    /// Whether the reading of an observation with this identifier and value type
    /// (OBX-2) depends on its values. When it does not (a number or time whose
    /// identifier names no sign, finding, site, removal, normal state or negation:
    /// vital signs, most labs), ``read(_:)`` gives the same reading whatever the
    /// values, so callers may read the observation once for all values.
    public func readsValues(identifier: CodedValue, valueType: String) -> Bool {
        let label = analysis(of: identifier)
        return label.namesFinding || label.namesSiteLocation || label.namesLineRemoval || label.namesNormal
            || label.negatesSign || label.namesLineInsertion || label.namesLineContents || label.namesSide
            || !ValueReading.ValueKind(type: valueType).isNumberOrTime
    }

    /// Whether an observation identifier (OBX-3, or the OBR-4 of its group) names an
    /// IV, catheter, line, cannula, PIV/PICC/CVC or infusion-site assessment ("R IV SITE
    /// ASSESSMENT", "PIV Left Hand Assessment", "Peripheral IV", "Line site", "Infusion
    /// site"), in its code or text, and no non-vascular device (Foley, drain, tube,
    /// epidural). Only such an observation is about a catheter when it names no site
    /// (DESIGN.md, "Signs": the sole-site rule); a general skin or colour row ("Skin
    /// Color", "Neonatal assessment") is not.
    public func namesVascularAccess(_ identifier: CodedValue) -> Bool {
        analysis(of: identifier).namesVascularAccess
    }

    /// The acute sign kinds named (not negated) in `inText`: a free-text value or note,
    /// also an observation label ("Erythema at IV site" names erythema). Scales count
    /// only with their score ("VIP 3" names phlebitis, "VIP score" nothing); to know
    /// what an identifier names, use `signs(named:)`.
    public func signs(inText text: String) -> Set<SignKind> {
        scan(text).signs.kinds
    }

    /// Whether `inText` states a calcinosis finding that is not negated ("chalky nodule
    /// at old IV site": true; "no calcification": false).
    public func calcinosisFinding(inText text: String) -> Bool {
        scan(text).calcinosis
    }

    /// The acute sign kinds an observation identifier names, in its code or text,
    /// whatever its value ("Pain score (0-10)": pain; "VIP score": phlebitis).
    public func signs(named identifier: CodedValue) -> Set<SignKind> {
        analysis(of: identifier).kinds.kinds
    }

    /// Whether an identifier (OBX-3, or OBR-4 of a group) names a catheter (IV, line)
    /// site or its assessment ("IV site assessment", "PIV LDA", "Peripheral IV").
    public func namesCatheterSite(_ identifier: CodedValue) -> Bool {
        analysis(of: identifier).namesCatheterSite
    }

    private func analysis(of identifier: CodedValue) -> IdentifierAnalysis {
        if let known = identifiers.analysis(of: identifier) { return known }
        let made = IdentifierAnalysis(identifier, table: vocabulary.table)
        identifiers.store(made, of: identifier)
        return made
    }

    private func scan(_ text: String) -> TextFindings {
        TextScanner.scan(text, table: vocabulary.table, mode: .text)
    }

    /// Reads one value of an observation whose identifier names signs or a finding.
    /// Returns whether the value states them absent.
    private func judge(
        _ value: ObservationValue, kind: ValueReading.ValueKind, label: IdentifierAnalysis,
        signs: inout SignMask, calcinosis: inout Bool
    ) -> Bool {
        switch ValueReading.answer(value, kind: kind) {
        case .yes:
            signs.formUnion(label.kinds)
            calcinosis = calcinosis || label.namesCalcinosis
            return false
        case .no:
            return true
        case nil:
            break
        }
        if kind == .time { return false }
        if let number = ValueReading.number(value, kind: kind, lenient: true) {
            guard !number.isUpperBound else { return number.value <= 0 }
            for signKind in SignKind.allCases
            where label.kinds.contains(SignMask(signKind)) && number.value >= signKind.scoreThreshold {
                signs.insert(SignMask(signKind))
            }
            if label.namesCalcinosis && number.value > 0 { calcinosis = true }
            return number.value <= 0
        }
        if kind.isNumberOrTime { return false }
        let findings = scan(ValueReading.readableText(value, kind: kind))
        signs.formUnion(findings.signs)
        calcinosis = calcinosis || findings.calcinosis
        if findings.presence || findings.positiveMeasurement {
            signs.formUnion(label.kinds)
            calcinosis = calcinosis || label.namesCalcinosis
            return false
        }
        return findings.signs.isEmpty && !findings.calcinosis
            && (findings.negationSeen || findings.negatedMention || findings.normalMention)
    }
}
