/// Text made safe for HTML and inline SVG: feed text (drug names, locations, the
/// names in acknowledgements) is untrusted input and never reaches the page as markup.
enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as character references, and
    /// control characters (other than tab and line breaks) left out: safe in element
    /// content and in quoted attribute values, in HTML and in SVG.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                // C0 and C1 controls (and DEL) are not allowed in XML text: left out.
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
