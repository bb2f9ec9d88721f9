/// Numbers as HL7 sends them.
public enum HL7Number {
    /// Parses an NM value: optional sign, digits, optional decimal point and digits
    /// (at least one digit), surrounding spaces allowed. `nil` otherwise.
    public static func parse(_ text: some StringProtocol) -> Double? {
        var bytes = Substring(text).utf8[...]
        while bytes.first == 0x20 { bytes.removeFirst() }
        while bytes.last == 0x20 { bytes.removeLast() }
        var negative = false
        if let sign = bytes.first, sign == 0x2B || sign == 0x2D {
            negative = sign == 0x2D
            bytes.removeFirst()
        }
        var digits = 0
        var sawPoint = false
        var integer = 0.0
        var scale = 1.0
        for byte in bytes {
            if byte == 0x2E {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                integer = integer * 10 + Double(byte - 0x30)
                if sawPoint { scale *= 10 }
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let value = integer / scale
        return negative ? -value : value
    }

    /// A structured numeric (SN): comparator, numbers and separator, e.g. `>^10`,
    /// `^1^-^3`. Returns the first number and its comparator, `nil` when unreadable.
    public static func parseStructured(_ component: [String]) -> (comparator: String, value: Double)? {
        let comparator = component.first ?? ""
        guard component.count >= 2, let value = parse(component[1]) else { return nil }
        return (comparator, value)
    }
}
