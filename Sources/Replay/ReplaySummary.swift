import HL7
import Surveillance

/// Counts for the summary replay prints on stderr.
public struct ReplaySummary: Sendable {
    /// Feed files named.
    public var files: Int
    /// Messages taken from the files (readable or not).
    public var messages = 0
    /// Resends: messages the engine had already processed.
    public var duplicates = 0
    /// Messages the rules have no use for.
    public var ignored = 0
    /// Messages by MSH-9.1 and MSH-9.2 (joined as `ORU^R01` only for the text, not per message).
    public var byType: [MessageTypeKey: Int] = [:]
    /// Malformed messages: how many, and the first ``shownMalformed`` of them as lines.
    public private(set) var malformed = 0
    /// The lines of the first ``shownMalformed`` malformed messages (`PATH:OFFSET: reason`).
    public private(set) var malformedLines: [String] = []
    /// How many malformed messages the summary lists (the others are only counted).
    public static let shownMalformed = 20
    /// Messages with an implausible MSH-7 (processed for their own patient only).
    public var implausibleTimes = 0
    /// Alerts by kind (raw value).
    public var alertsByKind: [String: Int] = [:]
    /// Alerts by severity (raw value).
    public var alertsBySeverity: [String: Int] = [:]
    /// Alerts raised.
    public var alerts = 0
    /// Wall-clock seconds of the run (set by the caller, which owns the clock).
    public var seconds = 0.0
    /// Episodes open when the replay ended.
    public var openEpisodes = 0

    /// An empty summary of a replay of `files` files.
    public init(files: Int) { self.files = files }

    /// MSH-9.1 and MSH-9.2 as sent.
    public struct MessageTypeKey: Hashable, Sendable {
        /// MSH-9.1, the message code (`ORU`).
        public var code: String
        /// MSH-9.2, the trigger event (`R01`).
        public var event: String
    }

    /// Counts a malformed message, keeping its line only while fewer than
    /// ``shownMalformed`` are kept (memory stays bounded on any input).
    public mutating func noteMalformed(_ line: @autoclosure () -> String) {
        malformed += 1
        if malformedLines.count < Self.shownMalformed { malformedLines.append(line()) }
    }

    /// Counts by the raw bytes of MSH-9 (with no escape character in them) and the
    /// message's delimiters, which decide how they read: a feed has a few types, and
    /// telling them by their bytes makes no String per message. Folded into ``byType``
    /// by ``countsByTypeName``; at most ``maximumRawTypes`` (others go to ``byType``).
    fileprivate(set) var rawTypes: [RawType] = []
    typealias RawType = (bytes: [UInt8], delimiters: Delimiters, key: MessageTypeKey, count: Int)
    private static let maximumRawTypes = 64

    /// Counts `message` by its type (MSH-9).
    public mutating func countType(_ message: Message) {
        let range = message.header.fieldRange(9)
        let bytes = message.bytes
        let delimiters = message.delimiters
        let plain = delimiters.escape.map { escape in !bytes[range].contains(escape) } ?? true
        if plain {
            for index in rawTypes.indices
            where rawTypes[index].delimiters == delimiters
                && rawTypes[index].bytes.elementsEqual(bytes[range])
            {
                rawTypes[index].count += 1
                return
            }
        }
        let type = message.messageType
        let key = MessageTypeKey(code: type.code, event: type.event)
        if plain && rawTypes.count < Self.maximumRawTypes {
            rawTypes.append((Array(bytes[range]), delimiters, key, 1))
        } else {
            byType[key, default: 0] += 1
        }
    }

    /// Counts by `code^event` (pairs that read the same once joined are added up).
    public var countsByTypeName: [String: Int] {
        var counts: [String: Int] = [:]
        for (type, count) in byType { counts["\(type.code)^\(type.event)", default: 0] += count }
        for raw in rawTypes { counts["\(raw.key.code)^\(raw.key.event)", default: 0] += raw.count }
        return counts
    }

    /// Counts `alert` by kind and severity.
    public mutating func count(_ alert: Alert) {
        alerts += 1
        alertsByKind[alert.kind.rawValue, default: 0] += 1
        alertsBySeverity[alert.severity.rawValue, default: 0] += 1
    }

    /// The stderr line for the first message of `path` with an implausible MSH-7.
    public static func implausibleTimeLine(_ path: String, _ offset: Int) -> String {
        "extravasd replay: \(path):\(offset): implausible message time (MSH-7 more than clock.max_jump "
            + "from the recent messages' median); processed for its own patient only; "
            + "further ones in this file are counted\n"
    }

    /// The summary as printed on stderr, one item per line.
    public var text: String {
        var lines: [String] = []
        let rate = seconds > 0 ? Int(Double(messages) / seconds) : messages
        lines.append(
            "replay: \(files) file\(files == 1 ? "" : "s"), \(messages) messages in \(String(format: "%.2f", seconds)) s "
                + "(\(rate) messages/s)")
        if !byType.isEmpty || !rawTypes.isEmpty {
            lines.append(
                "  by type: "
                    + countsByTypeName.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", "))
        }
        lines.append("  resends \(duplicates), not used \(ignored), malformed \(malformed)")
        for line in malformedLines { lines.append("    \(line)") }
        if malformed > malformedLines.count {
            lines.append("    ... and \(malformed - malformedLines.count) more")
        }
        if implausibleTimes > 0 {
            lines.append(
                "  implausible message times \(implausibleTimes) "
                    + "(processed for their own patient; the clock did not follow)")
        }
        var alertLine = "  alerts: \(alerts)"
        if alerts > 0 {
            alertLine +=
                " ("
                + alertsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", ")
            alertLine +=
                "; "
                + ["critical", "high", "moderate"].compactMap { severity in
                    alertsBySeverity[severity].map { "\(severity) \($0)" }
                }.joined(separator: ", ") + ")"
        }
        lines.append(alertLine)
        lines.append("  open episodes at the end: \(openEpisodes)")
        return lines.joined(separator: "\n") + "\n"
    }
}
