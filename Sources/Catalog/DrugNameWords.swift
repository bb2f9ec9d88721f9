/// Splits drug names into the words that name patterns match.
///
/// The text is folded to lower case, then cut into words:
/// - a word is a run of letters and digits (`cacl2`, `d10w`, `100`);
/// - apostrophes (`'`, `’`, `‘`, `` ` ``) vanish without cutting the word, so
///   "Ringer's" is the word `ringers` and "Hartmann's" is `hartmanns`;
/// - a `.` between two digits stays in the word (`12.5`); elsewhere it cuts;
/// - `%` is a word of its own ("10%" is `10`, `%`);
/// - everything else (spaces, `-`, `/`, `,`, `+`, brackets, ...) cuts between words.
///
/// In patterns, `*` is also kept inside words (a wildcard).
enum DrugNameWords {
    /// The words of `text`; with `keepingWildcards`, `*` counts as a word character.
    static func words(in text: String, keepingWildcards: Bool = false) -> [String] {
        let scalars = Array(text.lowercased().unicodeScalars)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var lastWasDigit = false

        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
            lastWasDigit = false
        }

        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            defer { index += 1 }
            if isWordScalar(scalar) || (keepingWildcards && scalar == "*") {
                current.append(scalar)
                lastWasDigit = isDigit(scalar)
            } else if isApostrophe(scalar) {
                continue
            } else if scalar == ".", lastWasDigit, index + 1 < scalars.count, isDigit(scalars[index + 1]) {
                current.append(scalar)
                lastWasDigit = false
            } else if scalar == "%" {
                flush()
                words.append("%")
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// A letter or a digit, in any script.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 0x30 && value <= 0x39) || (value >= 0x61 && value <= 0x7A)
                || (value >= 0x41 && value <= 0x5A)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// A decimal digit (ASCII or any other script's).
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x30 && scalar.value <= 0x39 }
        return scalar.properties.numericType == .decimal
    }

    /// One of the apostrophes that feeds write inside names ("Ringer's").
    static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" || scalar == "`"
    }
}
