import AlertOutput
import Foundation
import Journal

/// Where alerts and events go: journald, or (no journald socket: a container, a
/// laptop) standard error as JSON lines, so nothing is ever dropped.
public protocol AlertDestination: Sendable {
    /// Sends one entry's fields (MESSAGE, MESSAGE_ID, PRIORITY, EXTRAVASD_*...).
    func send(_ fields: [(String, String)]) throws
    /// Whether entries reach journald (and can be read back from it).
    var isJournal: Bool { get }
}

/// Entries to journald through `sd_journal_sendv`.
public struct JournaldDestination: AlertDestination {
    private let journal = SystemdJournal()
    /// Creates the destination.
    public init() {}
    /// Always true.
    public var isJournal: Bool { true }

    /// Sends one entry; an invalid field name or a failing `sd_journal_sendv` throws.
    public func send(_ fields: [(String, String)]) throws {
        var entry = JournalEntry()
        for (name, value) in fields { try entry.append(name, value) }
        try journal.send(entry)
    }
}

/// Entries as JSON lines on standard error (no journald): one object per entry, fields
/// in the order given.
public struct StandardErrorDestination: AlertDestination {
    /// Creates the destination.
    public init() {}
    /// Never: these entries cannot be read back from a journal.
    public var isJournal: Bool { false }

    /// Writes one JSON line.
    public func send(_ fields: [(String, String)]) throws {
        var line = "{"
        for (index, (name, value)) in fields.enumerated() {
            if index > 0 { line += ", " }
            line += "\(Self.quote(name)): \(Self.quote(value))"
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func quote(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONStringQuoting.append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// JSON string quoting (quotes, backslashes, control characters).
enum JSONStringQuoting {
    static func append(_ text: String, to output: inout [UInt8]) {
        output.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: output += [0x5C, 0x22]
            case 0x5C: output += [0x5C, 0x5C]
            case 0x0A: output += [0x5C, 0x6E]
            case 0x0D: output += [0x5C, 0x72]
            case 0x09: output += [0x5C, 0x74]
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: output.append(byte)
            }
        }
        output.append(0x22)
    }
}

extension AlertDestination where Self == JournaldDestination {
    /// journald when its socket answers, else standard error (said once, on stderr).
    public static func detect() -> any AlertDestination {
        if JournalSocket.isAvailable() { return JournaldDestination() }
        FileHandle.standardError.write(
            Data(
                ("extravasd: no journald listening on \(JournalSocket.defaultPath): "
                    + "alerts and events go to stderr as JSON lines\n").utf8))
        return StandardErrorDestination()
    }
}
