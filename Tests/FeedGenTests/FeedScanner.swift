// A deliberately simple byte scanner used by the tests to check generated feeds
// without depending on the HL7 module.

/// One message found in a feed.
struct ScannedMessage {
    /// Byte range of the message, from `MSH` to just before the next message
    /// (MLLP frame bytes of this message and the next one's start block included).
    var range: Range<Int>
    /// The message's bytes.
    var bytes: ArraySlice<UInt8>
    /// MSH-1.
    var fieldSeparator: UInt8
    /// MSH-2.
    var encodingCharacters: [UInt8]
    /// MSH fields by HL7 number (index 0 unused, 1 = field separator, 2 = MSH-2 ...).
    var mshFields: [[UInt8]]

    /// The first component separator.
    var componentSeparator: UInt8 { encodingCharacters.first ?? 0x5E }

    /// MSH-9 components 1 and 2 joined with `^`, e.g. `ORU^R01`.
    var messageType: String {
        guard mshFields.count > 9 else { return "" }
        let parts = mshFields[9].split(separator: componentSeparator, omittingEmptySubsequences: false)
        return parts.prefix(2).map { String(decoding: $0, as: UTF8.self) }.joined(separator: "^")
    }

    /// MSH-10.
    var controlID: String {
        mshFields.count > 10 ? String(decoding: mshFields[10], as: UTF8.self) : ""
    }

    /// MSH-7.
    var time: String {
        mshFields.count > 7 ? String(decoding: mshFields[7], as: UTF8.self) : ""
    }

    /// The message without MLLP framing bytes or trailing terminators.
    var body: ArraySlice<UInt8> {
        var b = bytes
        while let last = b.last, last == 0x0B || last == 0x1C || last == 0x0D || last == 0x0A {
            b = b.dropLast()
        }
        return b
    }

    /// Segments: separated by CR when the message has any, else by LF.
    var segments: [ArraySlice<UInt8>] {
        let b = body
        let separator: UInt8 = b.contains(0x0D) ? 0x0D : 0x0A
        return b.split(separator: separator).map { seg in
            seg.first == 0x0A ? seg.dropFirst() : seg
        }
    }

    /// Whether the message contains `text`.
    func contains(_ text: String) -> Bool {
        bytes.firstRange(of: Array(text.utf8)) != nil
    }
}

extension Collection where Element == UInt8 {
    func firstRange(of needle: [UInt8]) -> Range<Index>? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var i = startIndex
        let first = needle[0]
        while i != endIndex {
            if self[i] == first {
                var j = i
                var k = 0
                while k < needle.count && j != endIndex && self[j] == needle[k] {
                    j = index(after: j)
                    k += 1
                }
                if k == needle.count { return i..<j }
            }
            i = index(after: i)
        }
        return nil
    }
}

/// Finds every message: `MSH` at the start of the data (after an optional BOM) or
/// right after CR, LF, 0x0B or 0x1C.
func scanMessages(_ data: [UInt8]) -> [ScannedMessage] {
    var starts: [Int] = []
    var i = 0
    let n = data.count
    if n >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF { i = 3 }
    let firstPossible = i
    while i + 3 < n {
        if data[i] == 0x4D && data[i + 1] == 0x53 && data[i + 2] == 0x48 {
            let prev: UInt8 = i == firstPossible ? 0x0D : data[i - 1]
            if prev == 0x0D || prev == 0x0A || prev == 0x0B || prev == 0x1C { starts.append(i) }
        }
        i += 1
    }
    var out: [ScannedMessage] = []
    for (k, s) in starts.enumerated() {
        let e = k + 1 < starts.count ? starts[k + 1] : n
        let bytes = data[s..<e]
        let fs = data[s + 3]
        var end = s
        while end < e && data[end] != 0x0D && data[end] != 0x0A { end += 1 }
        let header = data[s..<end]
        let parts = header.split(separator: fs, omittingEmptySubsequences: false)
        var fields: [[UInt8]] = [[], [fs]]
        for part in parts.dropFirst() { fields.append(Array(part)) }
        let enc = fields.count > 2 ? fields[2] : []
        out.append(
            ScannedMessage(
                range: s..<e, bytes: bytes, fieldSeparator: fs, encodingCharacters: enc,
                mshFields: fields))
    }
    return out
}

func count(_ byte: UInt8, in data: [UInt8]) -> Int {
    var c = 0
    for b in data where b == byte { c += 1 }
    return c
}
