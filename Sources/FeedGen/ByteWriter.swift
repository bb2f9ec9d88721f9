/// How one message's segments end (resolved per message from `SegmentTerminatorStyle`).
enum LineEnd: UInt8 {
    case cr, lf, crlf
}

/// An append-only byte buffer with the small formatting helpers the message builders
/// need: static text, integers, fixed-point decimals and HL7 timestamps.
struct ByteWriter {
    var bytes: [UInt8] = []
    var lineEnd: LineEnd = .cr
    /// Index of the field being written in the current segment (0: the segment ID).
    var field = 0

    init() {}

    /// Starts a segment: writes its ID; fields then follow through `f(_:)`.
    @inline(__always)
    mutating func seg(_ id: StaticString) {
        id.withUTF8Buffer { bytes.append(contentsOf: $0) }
        field = 0
    }

    /// Moves to field `n` of the current segment, writing the separators in between.
    @inline(__always)
    mutating func f(_ n: Int) {
        while field < n {
            bytes.append(0x7C)
            field += 1
        }
    }

    @inline(__always)
    mutating func s(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func a(_ text: [UInt8]) {
        bytes.append(contentsOf: text)
    }

    @inline(__always)
    mutating func b(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Field separator.
    @inline(__always)
    mutating func bar() { bytes.append(0x7C) }

    /// `count` field separators.
    @inline(__always)
    mutating func bars(_ count: Int) {
        for _ in 0..<count { bytes.append(0x7C) }
    }

    /// Component separator.
    @inline(__always)
    mutating func hat() { bytes.append(0x5E) }

    /// Ends the current segment with the message's terminator.
    @inline(__always)
    mutating func end() {
        switch lineEnd {
        case .cr: bytes.append(0x0D)
        case .lf: bytes.append(0x0A)
        case .crlf:
            bytes.append(0x0D)
            bytes.append(0x0A)
        }
    }

    /// A non-negative decimal integer (negative values get a leading `-`).
    mutating func int(_ value: Int) {
        var v = value
        if v < 0 {
            bytes.append(0x2D)
            v = -v
        }
        if v < 10 {
            bytes.append(0x30 &+ UInt8(v))
            return
        }
        var tmp:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { raw in
            while v > 0 {
                raw[19 - n] = 0x30 &+ UInt8(v % 10)
                v /= 10
                n += 1
            }
            bytes.append(contentsOf: raw[(20 - n)...])
        }
    }

    /// A non-negative integer left-padded with zeros to `width` digits.
    mutating func padded(_ value: Int, width: Int) {
        var digits = 1
        var p = 10
        while p <= value && digits < 19 {
            digits += 1
            p &*= 10
        }
        if digits < width {
            for _ in 0..<(width - digits) { bytes.append(0x30) }
        }
        int(value)
    }

    @inline(__always)
    mutating func two(_ v: Int64) {
        bytes.append(0x30 &+ UInt8(truncatingIfNeeded: v / 10))
        bytes.append(0x30 &+ UInt8(truncatingIfNeeded: v % 10))
    }

    /// A fixed-point number: `value` scaled by 10^`decimals` (e.g. 123, 2 -> "1.23").
    mutating func fixed(_ value: Int, decimals: Int) {
        guard decimals > 0 else {
            int(value)
            return
        }
        var v = value
        if v < 0 {
            bytes.append(0x2D)
            v = -v
        }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        int(v / scale)
        bytes.append(0x2E)
        padded(v % scale, width: decimals)
    }

    /// `YYYYMMDD`.
    mutating func date(_ t: Int64) {
        let f = HL7Time.fields(t)
        int(Int(f.y))
        two(f.mo)
        two(f.d)
    }

    /// `YYYYMMDDHHMM`.
    mutating func dtmMinute(_ t: Int64) {
        let f = HL7Time.fields(t)
        int(Int(f.y))
        two(f.mo)
        two(f.d)
        two(f.h)
        two(f.mi)
    }

    /// `YYYYMMDDHHMMSS`.
    mutating func dtm(_ t: Int64) {
        let f = HL7Time.fields(t)
        int(Int(f.y))
        two(f.mo)
        two(f.d)
        two(f.h)
        two(f.mi)
        two(f.s)
    }
}
