/// Writes JSON text into a byte buffer, keeping keys in the order they are written
/// (the JSON-lines outputs of extravasd are contracts with a fixed key order).
///
/// Commas and colons are placed for the caller; it only says what comes next.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    /// An empty writer.
    public init() {}

    /// Removes everything written, keeping the buffer's capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = [false]
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(contentsOf: [0x2C, 0x20]) }
        needsComma[needsComma.count - 1] = true
    }

    /// Starts an object (`{`).
    public mutating func beginObject() {
        beforeValue()
        bytes.append(0x7B)
        needsComma.append(false)
    }

    /// Ends an object (`}`).
    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(0x7D)
    }

    /// Starts an array (`[`).
    public mutating func beginArray() {
        beforeValue()
        bytes.append(0x5B)
        needsComma.append(false)
    }

    /// Ends an array (`]`).
    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(0x5D)
    }

    /// Writes an object key; the next value written is its value.
    public mutating func key(_ name: String) {
        separate()
        Self.appendString(name.utf8, to: &bytes)
        bytes.append(0x3A)
        bytes.append(0x20)
        pendingKey = true
    }

    private var pendingKey = false

    private mutating func beforeValue() {
        if pendingKey {
            pendingKey = false
        } else {
            separate()
        }
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        beforeValue()
        Self.appendString(value.utf8, to: &bytes)
    }

    /// Writes a string value, or `null`.
    public mutating func string(_ value: String?) {
        guard let value else { return null() }
        string(value)
    }

    /// Writes a string value from bytes that are already UTF-8.
    public mutating func utf8String<Text: Sequence>(_ value: Text) where Text.Element == UInt8 {
        beforeValue()
        Self.appendString(value, to: &bytes)
    }

    /// Writes an integer value.
    public mutating func int(_ value: Int) {
        beforeValue()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes a boolean value.
    public mutating func bool(_ value: Bool) {
        beforeValue()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes `null`.
    public mutating func null() {
        beforeValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes an array of strings.
    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// Appends `text` as a JSON string literal: quotes, backslashes and control
    /// characters escaped, everything else (UTF-8) as is.
    public static func appendString<Text: Sequence>(_ text: Text, to output: inout [UInt8])
    where Text.Element == UInt8 {
        output.append(0x22)
        // Contiguous text (a native string's UTF-8) is copied run by run between the
        // bytes that need escaping; other sequences byte by byte.
        let copied: Void? = text.withContiguousStorageIfAvailable { buffer in
            var runStart = 0
            for index in buffer.indices {
                let byte = buffer[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index]))
                appendEscaped(byte, to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart...]))
        }
        if copied == nil {
            for byte in text { appendEscaped(byte, to: &output) }
        }
        output.append(0x22)
    }

    /// Appends one byte of a string literal, escaped when it must be.
    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case 0x22: output.append(contentsOf: [0x5C, 0x22])
        case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: output.append(contentsOf: [0x5C, 0x72])
        case 0x09: output.append(contentsOf: [0x5C, 0x74])
        case 0x08: output.append(contentsOf: [0x5C, 0x62])
        case 0x0C: output.append(contentsOf: [0x5C, 0x66])
        case 0x00..<0x20:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        default: output.append(byte)
        }
    }
}
