/// Decodes HL7 escape sequences: `\F\ \S\ \T\ \R\ \E\` give back the delimiter they
/// stand for, `\Xhh..\` the bytes it names, `\.br\` a line feed; `\H\` and `\N\`
/// (highlighting on/off) vanish. An unknown or malformed escape (odd count or
/// non-hex digits in `\X..\`, no closing escape character) stays as written.
public enum EscapeDecoder {
    /// Appends the decoded form of `bytes` to `output`.
    public static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, delimiters: Delimiters, into output: inout [UInt8]
    ) {
        guard let escape = delimiters.escape else {
            output.append(contentsOf: bytes)
            return
        }
        let count = bytes.count
        var index = 0
        var runStart = 0
        while index < count {
            guard bytes[index] == escape else {
                index &+= 1
                continue
            }
            // Find the closing escape character.
            var close = index + 1
            while close < count && bytes[close] != escape { close += 1 }
            guard close < count else { break }  // unterminated: the rest stays as written
            if runStart < index {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            }
            let body = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<close])
            if !decodeSequence(body, delimiters: delimiters, into: &output) {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index...close]))
            }
            index = close + 1
            runStart = index
        }
        if runStart < count {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
    }

    /// Decodes one sequence body (between the escape characters); `false` when unknown.
    private static func decodeSequence(
        _ body: UnsafeBufferPointer<UInt8>, delimiters: Delimiters, into output: inout [UInt8]
    ) -> Bool {
        guard let first = body.first else { return false }
        if body.count == 1 {
            switch first {
            case UInt8(ascii: "F"): output.append(delimiters.field)
            case UInt8(ascii: "S"): output.append(delimiters.component)
            case UInt8(ascii: "R"): output.append(delimiters.repetition)
            case UInt8(ascii: "E"):
                guard let escape = delimiters.escape else { return false }
                output.append(escape)
            case UInt8(ascii: "T"):
                guard let subcomponent = delimiters.subcomponent else { return false }
                output.append(subcomponent)
            case UInt8(ascii: "H"), UInt8(ascii: "N"): break
            default: return false
            }
            return true
        }
        if first == UInt8(ascii: "X") {
            let digits = body.count - 1
            guard digits >= 2, digits % 2 == 0 else { return false }
            var index = 1
            // Validate first, so a malformed sequence appends nothing.
            while index < body.count {
                guard hexValue(body[index]) != nil else { return false }
                index += 1
            }
            index = 1
            while index < body.count {
                output.append(hexValue(body[index])! << 4 | hexValue(body[index + 1])!)
                index += 2
            }
            return true
        }
        if body.count == 3 && first == UInt8(ascii: ".") && body[1] == UInt8(ascii: "b")
            && body[2] == UInt8(ascii: "r")
        {
            output.append(0x0A)
            return true
        }
        return false
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
