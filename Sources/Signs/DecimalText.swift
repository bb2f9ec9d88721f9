/// Reading decimals and HL7 times from text, by hand (no Foundation).
enum DecimalText {
    /// The value of `digits` ("3", "0.5", "12.25"): ASCII digits with at most one
    /// decimal point; nil otherwise.
    static func value<C: Collection>(of digits: C) -> Double? where C.Element == UInt8 {
        var whole: Double = 0
        var fraction: Double = 0
        var scale: Double = 1
        var seenDigit = false
        var seenPoint = false
        for byte in digits {
            if TokenizedText.isDigit(byte) {
                seenDigit = true
                if seenPoint {
                    scale /= 10
                    fraction += Double(byte - 0x30) * scale
                } else {
                    whole = whole * 10 + Double(byte - 0x30)
                }
            } else if byte == 0x2E, !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
        }
        return seenDigit ? whole + fraction : nil
    }

    /// `text` read as a decimal, as OBX-5.1 must be to count as numeric: optional
    /// surrounding spaces, an optional sign, digits with an optional decimal part.
    static func strictDecimal(_ text: String) -> Double? {
        guard text.utf8.count <= 64 else { return nil }
        return withTrimmedBytes(text) { bytes -> Double? in
            guard let first = bytes.first else { return nil }
            if first == 0x2B || first == 0x2D {
                guard let magnitude = value(of: bytes.dropFirst()) else { return nil }
                return first == 0x2D ? -magnitude : magnitude
            }
            return value(of: bytes)
        }
    }

    /// Calls `body` with the UTF-8 bytes of `text` without surrounding ASCII spaces,
    /// tabs and line breaks.
    @inline(__always)
    static func withTrimmedBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var copy = text
        return copy.withUTF8 { buffer in
            var start = 0
            var end = buffer.count
            while start < end, isSpace(buffer[start]) { start += 1 }
            while end > start, isSpace(buffer[end - 1]) { end -= 1 }
            return body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// `text` read leniently as a score: a strict decimal, or a decimal followed by
    /// `+` ("2+", an edema grade), or a fraction of a scale ("3/10" is 3), optionally
    /// after a scale word ("Grade 2", "score: 1").
    static func lenientScore(_ text: String) -> Double? {
        if let value = strictDecimal(text) { return value }
        let tokens = TokenizedText(text)
        guard tokens.count > 0 else { return nil }
        var index = 0
        if !tokens.tokens[0].isNumber {
            guard tokens.count > 1, tokens.withView({ ScaleWords.isScaleNoun($0.word(0)) }) else {
                return nil
            }
            index = 1
        }
        guard let value = tokens.number(index) else { return nil }
        // What may follow: nothing, "+", or "/N".
        if index + 1 == tokens.count {
            let tail = tokens.bytes[tokens.tokens[index].end...]
            for byte in tail where byte != 0x2B && byte != 0x20 && byte != 0x29 && byte != 0x2E {
                return nil
            }
            return value
        }
        if index + 2 == tokens.count, tokens.tokens[index + 1].isNumber,
            tokens.tokens[index + 1].separator == .slash
        {
            let between = tokens.bytes[tokens.tokens[index].end..<tokens.tokens[index + 1].start]
            guard between.contains(0x2F) else { return nil }
            return value
        }
        return nil
    }

    /// Whether `text` is an HL7 or ISO 8601 time: YYYYMMDD[HH[MM[SS]]] (8, 10, 12 or 14
    /// digits, a valid month, day, hour and minute) with an optional fraction and
    /// offset ("202603051425", "20260305142500.0+0100"), or "YYYY-MM-DD" with an
    /// optional time ("2026-03-05T14:25"). Other digit strings (a SNOMED code such as
    /// 373066001) are not times.
    static func isTime(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        trimSpaces(&bytes)
        let digits = bytes.prefix(while: TokenizedText.isDigit)
        if digits.count >= 8 && digits.count <= 14 {
            guard digits.count % 2 == 0 else { return false }
            let fields = Array(digits)
            func field(_ start: Int) -> Int { Int(fields[start] - 0x30) * 10 + Int(fields[start + 1] - 0x30) }
            guard (1...12).contains(field(4)), (1...31).contains(field(6)) else { return false }
            if fields.count >= 10 && field(8) > 23 { return false }
            if fields.count >= 12 && field(10) > 59 { return false }
            if fields.count >= 14 && field(12) > 60 { return false }
            var rest = bytes.dropFirst(digits.count)
            if rest.first == 0x2E {
                let fraction = rest.dropFirst().prefix(while: TokenizedText.isDigit)
                guard !fraction.isEmpty, fraction.count <= 4 else { return false }
                rest = rest.dropFirst(1 + fraction.count)
            }
            if let sign = rest.first, sign == 0x2B || sign == 0x2D {
                let offset = rest.dropFirst()
                return offset.count == 4 && offset.allSatisfy(TokenizedText.isDigit)
            }
            return rest.isEmpty
        }
        // ISO 8601: YYYY-MM-DD, then anything time-like.
        let iso = Array(bytes)
        guard iso.count >= 10, digits.count == 4, iso[4] == 0x2D, iso[7] == 0x2D,
            iso[5...6].allSatisfy(TokenizedText.isDigit), iso[8...9].allSatisfy(TokenizedText.isDigit)
        else { return false }
        guard iso.count > 10 else { return true }
        guard iso[10] == 0x54 || iso[10] == 0x20 || iso[10] == 0x74 else { return false }
        return iso[11...].allSatisfy {
            TokenizedText.isDigit($0) || $0 == 0x3A || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 == 0x5A
        }
    }

    /// Drops ASCII spaces and tabs from both ends of `bytes`.
    static func trimSpaces(_ bytes: inout Substring.UTF8View.SubSequence) {
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
    }
}
