/// How the engine's value repetitions are read: coded yes/no, numbers, times, texts.
enum ValueReading {
    /// A coded or written yes or no.
    enum Answer: Sendable {
        case yes, no
    }

    /// What OBX-2 says about the value.
    enum ValueKind: Sendable {
        /// TX, ST, FT: prose.
        case text
        /// NM.
        case number
        /// SN: comparator, number, separator, number.
        case structuredNumber
        /// DTM, TS, DT, TM.
        case time
        /// Anything else (CWE, CE, CNE, IS, ID, empty, ...): components.
        case coded

        /// The kind of OBX-2 `type`.
        init(type: String) {
            switch type {
            case "TX", "ST", "FT": self = .text
            case "NM": self = .number
            case "SN": self = .structuredNumber
            case "DTM", "TS", "DT", "TM": self = .time
            case "CWE", "CE", "CNE", "": self = .coded
            default:
                let normalized = ValueReading.trimmed(type).uppercased()
                if normalized != type {
                    self.init(type: normalized)
                } else {
                    self = .coded
                }
            }
        }

        /// Whether the value is a number or a time (never read as words).
        var isNumberOrTime: Bool {
            switch self {
            case .number, .structuredNumber, .time: return true
            case .text, .coded: return false
            }
        }
    }

    /// A numeric value and whether it is only an upper bound (SN `<`, `<=`).
    struct Number: Sendable {
        var value: Double
        var isUpperBound: Bool
    }

    /// Yes: HL7 table 0136 `Y`, `YES`, `POS`, `present`, SNOMED CT 373066001 "Yes",
    /// 52101004 "Present", 10828004 "Positive", `true`.
    static let yesWords = bytes([
        "y", "yes", "pos", "positive", "present", "373066001", "52101004", "10828004", "true",
    ])
    /// No: `N`, `NO`, `NEG`, `absent`, `none`, SNOMED CT 373067005 "No", 2667000
    /// "Absent", 260385009 "Negative", `false`.
    static let noWords = bytes([
        "n", "no", "neg", "negative", "absent", "none", "373067005", "2667000", "260385009", "false",
        "not present", "nil",
    ])
    /// More yes answers to a removal question ("IV removed: Removed").
    static let removalYesWords = bytes(["removed", "done", "completed"])

    private static func bytes(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }

    /// The components of `value` (split on `^` when the engine passed none).
    static func components(_ value: ObservationValue) -> [String] {
        if !value.components.isEmpty { return value.components }
        return value.text.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
    }

    /// Whether `text` is empty or only whitespace.
    @inline(__always)
    static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// Whether the repetition is empty (or the HL7 null `""`).
    static func isBlank(_ value: ObservationValue) -> Bool {
        (isBlank(value.text) && value.components.allSatisfy { isBlank($0) }) || value.text == "\"\""
    }

    /// The first component (OBX-5.1) of `value`, or its text for prose.
    static func first(_ value: ObservationValue, kind: ValueKind) -> String {
        if kind == .text || value.components.isEmpty && !value.text.utf8.contains(0x5E) { return value.text }
        return components(value).first ?? value.text
    }

    /// The text to read for words: the value for prose, else CWE-2, else CWE-1, else
    /// the text.
    static func readableText(_ value: ObservationValue, kind: ValueKind) -> String {
        if kind == .text { return value.text }
        let parts = value.components.isEmpty && !value.text.utf8.contains(0x5E) ? [] : components(value)
        if parts.count > 1, !isBlank(parts[1]) { return parts[1] }
        if let code = parts.first, !isBlank(code) { return code }
        return value.text
    }

    /// The text to resolve as a site: CWE-2, else CWE-1, else the text; nil if empty.
    static func siteText(_ value: ObservationValue, kind: ValueKind) -> String? {
        let text = trimmed(readableText(value, kind: kind))
        return text.isEmpty ? nil : text
    }

    /// The yes or no the repetition codes or writes, checking its code, then its text.
    static func answer(_ value: ObservationValue, kind: ValueKind, extraYes: [[UInt8]] = []) -> Answer? {
        if kind == .text { return answer(word: value.text, extraYes: extraYes) }
        if value.components.isEmpty && !value.text.utf8.contains(0x5E) {
            return answer(word: value.text, extraYes: extraYes)
        }
        for part in components(value).prefix(2) {
            if let found = answer(word: part, extraYes: extraYes) { return found }
        }
        return nil
    }

    /// The yes or no one word or code is (case-insensitive, surrounding spaces ignored).
    private static func answer(word raw: String, extraYes: [[UInt8]]) -> Answer? {
        guard raw.utf8.count <= 32 else { return nil }
        return DecimalText.withTrimmedBytes(raw) { bytes -> Answer? in
            guard !bytes.isEmpty, bytes.count <= 11 else { return nil }
            if contains(bytes, in: yesWords) || contains(bytes, in: extraYes) { return .yes }
            if contains(bytes, in: noWords) { return .no }
            return nil
        }
    }

    /// Whether `bytes`, lower-cased, is one of `words`.
    @inline(__always)
    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, in words: [[UInt8]]) -> Bool {
        search: for word in words where word.count == bytes.count {
            for index in 0..<word.count {
                let byte = bytes[index]
                if (byte &- 0x41 < 26 ? byte | 0x20 : byte) != word[index] { continue search }
            }
            return true
        }
        return false
    }

    /// The number a repetition holds, when the value is numeric: OBX-2 NM or SN, or
    /// OBX-5.1 reads as a decimal. `lenient` also reads scores such as "2+", "3/10",
    /// "Grade 2", also from the coded value's text.
    static func number(_ value: ObservationValue, kind: ValueKind, lenient: Bool) -> Number? {
        if kind == .structuredNumber {
            let parts = components(value)
            let comparator = trimmed(parts.first ?? "")
            if parts.count > 1, let number = DecimalText.strictDecimal(parts[1]) {
                return Number(value: number, isUpperBound: comparator.hasPrefix("<"))
            }
            // A comparator written with its number in one component (">3", "<=1").
            let body = comparator.drop(while: { $0 == "<" || $0 == ">" || $0 == "=" })
            guard let number = DecimalText.strictDecimal(String(body)) else { return nil }
            return Number(value: number, isUpperBound: comparator.hasPrefix("<"))
        }
        let text = first(value, kind: kind)
        if let number = DecimalText.strictDecimal(text) { return Number(value: number, isUpperBound: false) }
        guard lenient || kind == .number else { return nil }
        let read = DecimalText.lenientScore(text) ?? DecimalText.lenientScore(readableText(value, kind: kind))
        return read.map { Number(value: $0, isUpperBound: false) }
    }

    /// Whether the repetition is a time: a DTM/TS/DT/TM value, or digits such as
    /// `202603051425`.
    static func isTime(_ value: ObservationValue, kind: ValueKind) -> Bool {
        let text = trimmed(first(value, kind: kind))
        if kind == .time, let lead = text.utf8.first, TokenizedText.isDigit(lead) { return true }
        return DecimalText.isTime(text)
    }

    /// `text` without surrounding whitespace.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        if !isSpace(first) && !isSpace(last) { return text }
        guard let start = text.firstIndex(where: { !$0.isWhitespace }),
            let end = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[start...end])
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte >= 0x80
    }
}
