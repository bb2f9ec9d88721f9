import ArgumentParser
import FeedGen

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension SegmentTerminatorStyle: ExpressibleByArgument {}

/// A byte count written as `200MB`, `1GB`, `512K`, `1.5G` or plain bytes.
struct ByteSize: ExpressibleByArgument {
    let bytes: Int

    init?(argument: String) {
        let text = argument.uppercased().replacingOccurrences(of: "IB", with: "B")
        var digits = Substring(text)
        var scale = 1.0
        for (suffix, value) in [
            ("KB", 1024.0), ("MB", 1048576.0), ("GB", 1073741824.0), ("TB", 1099511627776.0),
            ("K", 1024.0), ("M", 1048576.0), ("G", 1073741824.0), ("T", 1099511627776.0),
            ("B", 1.0),
        ] where text.hasSuffix(suffix) {
            digits = text.dropLast(suffix.count)
            scale = value
            break
        }
        guard let number = Double(digits.trimmingCharacters(in: " ")), number >= 0, number * scale < 9e18
        else {
            return nil
        }
        bytes = Int(number * scale)
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[rest.startIndex..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) {
                return i..<index(i, offsetBy: target.count)
            }
            i = index(after: i)
        }
        return nil
    }
}

struct FeedGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedgen",
        abstract: "Generate a realistic, reproducible HL7 v2 feed for testing and benchmarking extravasd.",
        discussion: """
            feedgen simulates a hospital census (neonates in NICU, infants and children in PICU and \
            ward beds, adults in ICUs and wards) over a simulated clock, and writes the messages an \
            interface engine would: ADT^A01/A02/A03/A08/A40, pharmacy orders (RDE^O11, RDE^O01, \
            OMP^O09, ORM^O01 with RXO) of calcium gluconate and chloride, lactated Ringer's, \
            parenteral nutrition with and without calcium RXC components, compounded bags and other \
            drugs, administrations (RAS^O17/RAS^O01), nursing IV-site assessments (ORU^R01: normal, \
            negated, with signs, line removals, escapes), lab results and vital signs. MSH-12 \
            versions 2.3 to 2.8 are mixed; about two thirds of the messages are ORU^R01, about \
            1.4 KB and 10 segments each.

            The output is a pure function of the options: the same seed and options give the same \
            bytes on every run and machine. Output is streamed in large writes with bounded memory, \
            whatever the size. A summary goes to stderr at the end (unless --quiet).

            Say how much to generate with one of --messages, --bytes or --days (default: \
            --messages 1000). SIZE takes K, M, G (powers of 1024, e.g. 200MB, 1GB); generation stops \
            after the message that reaches it.

            Examples:
              feedgen --days 3 --output three-days.hl7
              feedgen --seed 42 --bytes 1GB --patients 400 --output /tmp/bench.hl7
              feedgen --messages 50 --terminator mixed --alternate-delimiters 0.1 --bom
              feedgen --bytes 200MB --output /dev/null        # measure generation speed
            """)

    @Option(help: "Seed of the pseudo-random generator (the feed is a pure function of the options).")
    var seed: UInt64 = 1

    @Option(help: "Generate exactly this many messages.")
    var messages: Int?

    @Option(help: ArgumentHelp("Generate at least this many bytes (e.g. 200MB, 1GB).", valueName: "size"))
    var bytes: ByteSize?

    @Option(help: "Generate every message of this many simulated days (fractions allowed).")
    var days: Double?

    @Option(help: "Census: occupied beds at any time (about 30 messages per patient per simulated day).")
    var patients: Int = 24

    @Option(
        help: ArgumentHelp(
            "Segment terminators and framing: cr, lf, crlf, mllp (0x0B ... 0x1C 0x0D), or mixed (one per message).",
            valueName: "style"))
    var terminator: SegmentTerminatorStyle = .cr

    @Flag(help: "Write a UTF-8 byte-order mark before the first message.")
    var bom = false

    @Option(
        name: .customLong("alternate-delimiters"),
        help: ArgumentHelp(
            "Share (0-1) of messages written with other encoding characters (e.g. MSH#$*@!%).",
            valueName: "share"))
    var alternateDelimiters: Double = 0

    @Option(
        help: ArgumentHelp(
            "Base share (0-1) of IV-site assessments that document a sign.", valueName: "share"))
    var signShare: Double = 0.04

    @Option(help: ArgumentHelp("Share (0-1) of patients in renal failure.", valueName: "share"))
    var renalShare: Double = 0.15

    @Option(
        help: ArgumentHelp(
            "Share (0-1) of nursing text values holding a raw LF inside a CR-terminated message, as real feeds"
                + " do (0: no LF at all with --terminator cr).", valueName: "share"))
    var textLfShare: Double = 0.01

    @Option(
        help: ArgumentHelp(
            "Share (0-1) of messages immediately resent with the same MSH-10.", valueName: "share"))
    var resendShare: Double = 0

    @Option(
        help: ArgumentHelp(
            "Start of the simulated clock, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.", valueName: "time"))
    var start: String = "2026-01-01"

    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Write to FILE instead of stdout ('-' is stdout).",
            valueName: "file"))
    var output: String?

    @Flag(name: .shortAndLong, help: "Do not print the summary on stderr.")
    var quiet = false

    func validate() throws {
        let chosen = [messages != nil, bytes != nil, days != nil].filter { $0 }.count
        if chosen > 1 { throw ValidationError("Give only one of --messages, --bytes and --days.") }
        if let m = messages, m < 0 { throw ValidationError("--messages must not be negative.") }
        if let d = days, !(d >= 0) { throw ValidationError("--days must not be negative.") }
        if patients < 1 || patients > 1_000_000 {
            throw ValidationError("--patients must be between 1 and 1000000.")
        }
        for (name, value) in [
            ("--alternate-delimiters", alternateDelimiters), ("--sign-share", signShare),
            ("--renal-share", renalShare), ("--resend-share", resendShare), ("--text-lf-share", textLfShare),
        ]
        where !(0...1).contains(value) {
            throw ValidationError("\(name) must be a share between 0 and 1, e.g. 0.05.")
        }
        if Self.parseStart(start) == nil {
            throw ValidationError("--start must look like 2026-01-01 or 2026-01-01T08:30:00.")
        }
    }

    static func parseStart(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "T" || $0 == ":" || $0 == " " })
        let numbers = parts.compactMap { Int64($0) }
        guard numbers.count == parts.count, numbers.count == 3 || numbers.count == 5 || numbers.count == 6
        else {
            return nil
        }
        let (y, m, d) = (numbers[0], numbers[1], numbers[2])
        guard (1900...9000).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        let h = numbers.count > 3 ? numbers[3] : 0
        let mi = numbers.count > 4 ? numbers[4] : 0
        let s = numbers.count > 5 ? numbers[5] : 0
        guard (0...23).contains(h), (0...59).contains(mi), (0...59).contains(s) else { return nil }
        return HL7Time.seconds(year: y, month: m, day: d, hour: h, minute: mi, second: s)
    }

    func run() throws {
        let startTime = Self.parseStart(start) ?? HL7Time.defaultStart
        let options = FeedOptions(
            seed: seed, patients: patients, startTime: startTime, terminator: terminator, byteOrderMark: bom,
            alternateDelimitersShare: alternateDelimiters, signShare: signShare,
            renalFailureShare: renalShare,
            loneLineFeedShare: textLfShare, resendShare: resendShare)
        let fd: Int32
        if let path = output, path != "-" {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd < 0 {
                throw RuntimeError("cannot open \(path): \(String(cString: strerror(errno)))")
            }
        } else {
            fd = 1
        }
        defer { if fd != 1 { close(fd) } }

        var generator = FeedGenerator(options: options)
        let chunk = 4 << 20
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunk + (1 << 20))
        var written = 0
        let began = Self.monotonicSeconds()

        func flush() throws {
            try buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw RuntimeError("write failed: \(String(cString: strerror(errno)))")
                    }
                    offset += n
                }
            }
            written += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }

        if let limit = bytes?.bytes {
            while written + buffer.count < limit {
                generator.appendNextMessage(to: &buffer)
                if buffer.count >= chunk { try flush() }
            }
        } else if let d = days {
            let end = startTime + Int64(d) * HL7Time.day
            while generator.appendNextMessage(to: &buffer, notAfter: end) {
                if buffer.count >= chunk { try flush() }
            }
        } else {
            for _ in 0..<(messages ?? 1_000) {
                generator.appendNextMessage(to: &buffer)
                if buffer.count >= chunk { try flush() }
            }
        }
        try flush()
        let elapsed = Self.monotonicSeconds() - began
        if !quiet { printSummary(generator, elapsed: elapsed, start: startTime) }
    }

    func printSummary(_ g: FeedGenerator, elapsed: Double, start: Int64) {
        var lines: [String] = []
        let n = g.messagesGenerated
        let mb = Double(g.bytesGenerated) / 1_048_576
        lines.append("feedgen: seed \(seed), \(n) messages, \(g.bytesGenerated) bytes (\(format(mb, 1)) MiB)")
        if n > 0 {
            lines.append("  average \(g.bytesGenerated / n) bytes per message")
        }
        lines.append("  simulated \(HL7Time.dtm(start)) to \(HL7Time.dtm(g.simulatedTime))")
        if elapsed > 0 {
            lines.append("  generated in \(format(elapsed, 2)) s (\(format(mb / elapsed, 1)) MiB/s)")
        }
        var byType: [(String, Int)] = []
        for kind in FeedMessageKind.allCases {
            let c = g.count(of: kind)
            if let i = byType.firstIndex(where: { $0.0 == kind.messageType }) {
                byType[i].1 += c
            } else {
                byType.append((kind.messageType, c))
            }
        }
        lines.append("  by type:")
        for (type, c) in byType.sorted(by: { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) where c > 0 {
            lines.append(
                "    \(pad(type, 8)) \(pad(String(c), 10, right: true))  \(format(100 * Double(c) / Double(max(n, 1)), 1))%"
            )
        }
        lines.append(
            "  of which ORU^R01: IV site assessments \(g.count(of: .ivSiteAssessment)), lab results "
                + "\(g.count(of: .labResult)), vital signs \(g.count(of: .vitalSigns))")
        if g.resendsGenerated > 0 { lines.append("  resends \(g.resendsGenerated)") }
        let text = lines.joined(separator: "\n") + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    }

    func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }

    func format(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let v = (value * scale).rounded() / scale
        let whole = Int(v)
        guard decimals > 0 else { return String(whole) }
        let frac = Int(((v - Double(whole)) * scale).rounded())
        let fs = String(abs(frac))
        return "\(whole)." + String(repeating: "0", count: max(0, decimals - fs.count)) + fs
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

struct RuntimeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

FeedGenCommand.main()
