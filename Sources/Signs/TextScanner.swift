/// How the scanner reads a text.
enum ScanMode: Sendable {
    /// A text value: a scale word asserts its sign only through a score that follows
    /// ("VIP 3", "FLACC 0/10"), and a score below the threshold asserts nothing.
    case text
    /// An observation identifier: naming a sign or a scale names its kind ("Pain score
    /// (0-10)", "VIP score"); numbers are not scores.
    case label
}

/// Reads signs and findings from a text, word by word, with negation.
///
/// The rules (DESIGN.md, "Signs"):
/// - A negation that comes before ("no", "not", "denies", "without", "negative for",
///   "free of", ...) governs the words after it up to a clause break: `.`, `;`, `:`,
///   `!`, `?`, a line break, a free-standing dash, or the words "but", "however",
///   "although", "though", "except", "whereas". "non" governs one word ("non-tender").
/// - A negation lapses after six words that are not sign words ("No dressing change
///   needed today and site appears red" is erythema).
/// - A comma ends the negation too, unless what follows continues a list of sign
///   words: the word just before the comma was a negated sign or finding word and the
///   next one (after "and"/"or") is a sign or finding word of the same class
///   ("without swelling, redness or edema" continues; "no redness, swollen" does not).
/// - A negation that comes after ("resolved", "negative", "free", "gone", "not
///   present", ...) negates the sign words before it in its comma segment, and in the
///   segments before that while they form one list ("redness, swelling absent").
///   "denied", "absent" and "none" work both ways. Right after a colon or a dash, a
///   negation (or a lone "N") answers the words before it ("Redness: none", "Pain:
///   no", "Erythema: N").
/// - Hypothetical contexts ("monitor for", "if", "risk of", "educated") govern every
///   word after them up to the next clause break (commas and distance do not end
///   them), and do not state the site normal.
/// - Look-alikes are not negations ("no change in redness", "not resolved").
/// - Exclusions are skipped ("cold compress", "hard to flush", "red blood cells").
/// - In a text value, a number after a sign word (and a scale word: "score", "grade")
///   is a score unless a unit follows: "pain 0/10", "pain score: 0", "VIP 1" assert
///   nothing; "redness 2 cm" asserts erythema.
struct TextScanner {
    /// The sign or finding a word asserts.
    private enum Finding {
        case sign(SignKind)
        case calcinosis
    }

    /// The words between two commas (or other breaks) of one clause.
    private struct Segment {
        /// The signs the segment asserts, pending a negation that comes after.
        var signs: SignMask = []
        /// Whether the segment asserts a calcinosis finding, pending a negation.
        var calcinosis = false
        /// Whether a unit other than a connector was read in the segment.
        var started = false
        /// The class of the segment's first unit, when it was a sign or finding word.
        var firstFindingClass: WordClass?
        /// The class of the segment's last unit, when it was a sign or finding word.
        var lastFindingClass: WordClass?
    }

    /// An open negation.
    private struct Scope {
        var hypothetical: Bool
        var singleWord: Bool
        var governedFinding = false
        /// Words read since the negation or the last sign word it governed.
        var wordsSinceFinding = 0
    }

    /// The most words a negation reaches past without governing a sign word ("No
    /// dressing change needed today and site appears red": the negation has lapsed
    /// before "red").
    static let negationReach = 6

    private let text: TokenView
    private let table: CompiledPhrases
    private let mode: ScanMode
    private var findings = TextFindings()
    private var segments: [Segment] = [Segment()]
    private var beforeColon: [Segment] = []
    private var afterColon = false
    private var negation: Scope?
    private var lastUnitWasNegatedFinding = false

    private init(text: TokenView, table: CompiledPhrases, mode: ScanMode) {
        self.text = text
        self.table = table
        self.mode = mode
    }

    /// What `string` states, read with `table`.
    static func scan(_ string: String, table: PhraseTable, mode: ScanMode) -> TextFindings {
        scan(TokenizedText(string), table: table, mode: mode)
    }

    /// What `text` states, read with `table`.
    static func scan(_ text: TokenizedText, table: PhraseTable, mode: ScanMode) -> TextFindings {
        guard text.count > 0 else { return TextFindings() }
        return text.withView { view in
            var scanner = TextScanner(text: view, table: table.compiled, mode: mode)
            scanner.run()
            return scanner.findings
        }
    }

    private mutating func run() {
        var index = 0
        while index < text.count {
            if index > 0 { handleSeparator(before: index) }
            index = readUnit(at: index)
        }
        endClause()
    }

    // MARK: Breaks

    private mutating func handleSeparator(before index: Int) {
        switch text.tokens[index].separator {
        case .none, .slash:
            return
        case .comma:
            var continues = false
            if let scope = negation, !scope.singleWord, scope.governedFinding, lastUnitWasNegatedFinding,
                let lastClass = segments[segments.count - 1].lastFindingClass,
                let nextClass = findingClass(startingAt: index)
            {
                continues = nextClass.canListWith(lastClass)
            }
            // A hypothetical context reaches to the next clause break, across commas.
            if !continues && negation?.hypothetical != true { negation = nil }
            segments.append(Segment())
        case .colon:
            commitBeforeColon()
            swap(&beforeColon, &segments)
            segments.removeAll(keepingCapacity: true)
            segments.append(Segment())
            negation = nil
            afterColon = true
        case .clause:
            endClause()
        }
        lastUnitWasNegatedFinding = false
    }

    /// The class of the sign or finding word at `index` (after connectors), if any.
    private func findingClass(startingAt index: Int) -> WordClass? {
        var position = index
        while position < text.count {
            if position > index && text.tokens[position].separator >= .comma { return nil }
            guard let match = table.match(bytes: text.bytes, tokens: text.tokens, at: position) else {
                return nil
            }
            switch match.payload {
            case .connector: position = match.end
            case .sign(_, let wordClass), .calcinosis(let wordClass): return wordClass
            default: return nil
            }
        }
        return nil
    }

    private mutating func endClause() {
        commitBeforeColon()
        for segment in segments { commit(segment) }
        segments.removeAll(keepingCapacity: true)
        segments.append(Segment())
        negation = nil
        afterColon = false
        lastUnitWasNegatedFinding = false
    }

    private mutating func commitBeforeColon() {
        guard !beforeColon.isEmpty else { return }
        for segment in beforeColon { commit(segment) }
        beforeColon.removeAll(keepingCapacity: true)
    }

    private mutating func commit(_ segment: Segment) {
        findings.signs.formUnion(segment.signs)
        if segment.calcinosis { findings.calcinosis = true }
    }

    /// Withdraws what the last segment of `list` asserts, and what the segments
    /// before it assert while they form one list with it. Whether anything was
    /// withdrawn.
    private static func retract(_ list: inout [Segment]) -> Bool {
        guard !list.isEmpty else { return false }
        var index = list.count - 1
        var any = false
        while true {
            any = any || !list[index].signs.isEmpty || list[index].calcinosis
            list[index].signs = []
            list[index].calcinosis = false
            guard index > 0, let first = list[index].firstFindingClass,
                let previousLast = list[index - 1].lastFindingClass, first.canListWith(previousLast)
            else { break }
            index -= 1
        }
        return any
    }

    // MARK: Units

    /// Reads the word or phrase at `index`; returns the index after it.
    private mutating func readUnit(at index: Int) -> Int {
        let answersColon = afterColon
        afterColon = false
        if let scope = negation, !scope.hypothetical, scope.wordsSinceFinding >= TextScanner.negationReach {
            negation = nil
        }
        let scopeBefore = negation
        var next = index + 1
        var unitClass: WordClass?
        var negatedFinding = false
        var isConnector = false
        var opensScope = false

        if let match = table.match(bytes: text.bytes, tokens: text.tokens, at: index) {
            next = match.end
            switch match.payload {
            case .sign(let kind, let wordClass):
                (next, unitClass, negatedFinding) = read(
                    .sign(kind), wordClass: wordClass, scoredKind: kind, scaleOnly: false, end: match.end)
            case .scale(let kind):
                (next, unitClass, negatedFinding) = read(
                    .sign(kind), wordClass: .noun, scoredKind: kind, scaleOnly: true, end: match.end)
            case .calcinosis(let wordClass):
                (next, unitClass, negatedFinding) = read(
                    .calcinosis, wordClass: wordClass, scoredKind: nil, scaleOnly: false, end: match.end)
            case .negation(let role):
                findings.negationSeen = true
                let endsHere = text.isBoundary(before: match.end)
                if answersColon && (role.contains(.after) || endsHere) {
                    if TextScanner.retract(&beforeColon) { findings.negatedMention = true }
                } else if role.contains(.after) {
                    if TextScanner.retract(&segments) { findings.negatedMention = true }
                }
                if role.contains(.before) && !endsHere {
                    negation = Scope(hypothetical: false, singleWord: role.contains(.singleWord))
                    opensScope = true
                }
            case .hypothetical:
                negation = Scope(hypothetical: true, singleWord: false)
                opensScope = true
            case .pseudoNegation, .exclusion:
                break
            case .clauseBreak:
                endClause()
                return next
            case .connector:
                isConnector = true
            case .normal:
                if negation == nil { findings.normalMention = true }
            case .presence:
                if negation == nil { findings.presence = true }
            }
        } else if answersColon, text.isBoundary(before: next), text.token(index, is: "n") {
            // "Redness: N" answers the words before the colon.
            findings.negationSeen = true
            if TextScanner.retract(&beforeColon) { findings.negatedMention = true }
        } else if text.tokens[index].isNumber, negation == nil, next < text.count,
            text.tokens[next].separator == .none, ScaleWords.isUnit(text.word(next)),
            let value = text.number(index), value > 0
        {
            findings.positiveMeasurement = true
        }

        if !isConnector {
            let last = segments.count - 1
            if !segments[last].started {
                segments[last].started = true
                segments[last].firstFindingClass = unitClass
            }
            segments[last].lastFindingClass = unitClass
        }
        lastUnitWasNegatedFinding = negatedFinding
        if let scope = scopeBefore, scope.singleWord, !opensScope { negation = nil }
        if !opensScope, !isConnector, unitClass == nil, var scope = negation {
            scope.wordsSinceFinding += 1
            negation = scope
        }
        if answersColon { commitBeforeColon() }
        return next
    }

    /// Reads a sign, scale or finding word ending before `end`: with its score, under
    /// the open negation, or as an assertion. Returns the index after what was read,
    /// the word's class when it stands as a sign word, and whether it was negated.
    private mutating func read(
        _ finding: Finding, wordClass: WordClass, scoredKind: SignKind?, scaleOnly: Bool, end: Int
    ) -> (Int, WordClass?, Bool) {
        var next = end
        var score: Double?
        if mode == .text, scoredKind != nil, let found = self.score(after: end) {
            score = found.value
            next = found.next
        }
        if scaleOnly && mode == .text && score == nil { return (next, nil, false) }
        if var scope = negation {
            scope.governedFinding = true
            scope.wordsSinceFinding = 0
            negation = scope
            if !scope.hypothetical { findings.negatedMention = true }
            return (next, wordClass, true)
        }
        if let score, let kind = scoredKind, score < kind.scoreThreshold {
            findings.negatedMention = true
            return (next, nil, false)
        }
        switch finding {
        case .sign(let kind): segments[segments.count - 1].signs.insert(SignMask(kind))
        case .calcinosis: segments[segments.count - 1].calcinosis = true
        }
        return (next, wordClass, false)
    }

    /// The score after a sign word ending before `end` ("3", "score 3", ": 0", "0/10",
    /// "2 out of 10") and the index after it; nil when no number follows, when the
    /// number is a measurement ("2 cm") or stands in parentheses ("(0-10)").
    private func score(after end: Int) -> (value: Double, next: Int)? {
        let count = text.count
        var index = end
        while index < count, text.tokens[index].separator == .none, !text.tokens[index].isNumber,
            ScaleWords.isScaleNoun(text.word(index))
        {
            index += 1
        }
        guard index < count, text.tokens[index].separator == .none || text.tokens[index].separator == .colon,
            !text.tokens[index].afterOpenParenthesis, let value = text.number(index)
        else { return nil }
        let after = index + 1
        if after < count, text.tokens[after].isNumber, text.tokens[after].separator == .slash {
            return (value, after + 1)
        }
        if after + 2 < count, text.tokens[after + 2].isNumber, text.token(after, is: "out"),
            text.token(after + 1, is: "of"), text.tokens[after + 1].separator == .none,
            text.tokens[after].separator == .none
        {
            return (value, after + 3)
        }
        if after < count, text.tokens[after].separator == .none, ScaleWords.isUnit(text.word(after)) {
            return nil
        }
        return (value, after)
    }
}
