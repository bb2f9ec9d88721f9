/// The most characters of any input (a configuration value, a feed field, a file's
/// content) that an error message quotes (DESIGN.md section 8).
public let quotedInputLimit = 80

/// `input` as an error message quotes it: between single quotes, at most `limit`
/// characters of it followed by `…` and its full length when it is longer, and on one
/// line (a line break, a tab or another control character is written as `\n`, `\t`,
/// `\u{1B}`), so that a whole file or a message's text can never end up in a journal
/// entry or on a terminal through an error.
///
/// For example `quoted("secret")` is `'secret'`, and a 5,000-character value gives its
/// first 80 characters, then `…' (5000 characters)`.
public func quoted(_ input: some StringProtocol, limit: Int = quotedInputLimit) -> String {
    var text = "'"
    var count = 0
    for character in input {
        count += 1
        if count > limit { continue }
        for scalar in character.unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}":
                text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
    if count > limit { return text + "…' (\(count) characters)" }
    return text + "'"
}
