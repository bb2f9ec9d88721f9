import HL7

/// Writes text into an HL7 value with escape sequences, so that no delimiter or
/// segment terminator in it can end the value: `\F\ \S\ \T\ \R\ \E\` in the message's
/// own encoding characters, and `\Xhh\` for control characters (CR, LF, `0x0B`, `0x1C`,
/// ...). The v2.7 truncation character ends nothing and readers keep it as written: it
/// is written as is.
struct HL7TextEscaper {
    let delimiters: Delimiters
    /// The escape character (the escaper is made only for delimiters that name one).
    let escape: UInt8

    init?(_ delimiters: Delimiters) {
        guard let escape = delimiters.escape else { return nil }
        self.delimiters = delimiters
        self.escape = escape
    }

    /// Appends `text`, escaped, to `output`.
    func append(_ text: String, to output: inout [UInt8]) {
        for byte in text.utf8 { append(byte, to: &output) }
    }

    private func append(_ byte: UInt8, to output: inout [UInt8]) {
        let letter: UInt8?
        switch byte {
        case delimiters.field: letter = UInt8(ascii: "F")
        case delimiters.component: letter = UInt8(ascii: "S")
        case delimiters.repetition: letter = UInt8(ascii: "R")
        case escape: letter = UInt8(ascii: "E")
        case delimiters.subcomponent: letter = UInt8(ascii: "T")
        default: letter = nil
        }
        if let letter {
            output.append(contentsOf: [escape, letter, escape])
        } else if byte < 0x20 || byte == 0x7F {
            let digits = Array("0123456789ABCDEF".utf8)
            output.append(contentsOf: [
                escape, UInt8(ascii: "X"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)], escape,
            ])
        } else {
            output.append(byte)
        }
    }
}
