import FeedIO
import Foundation
import JSONOutput

/// Where alerts and events go: journald, or (no journald socket: a container, a
/// laptop) standard error as JSON lines, so nothing is ever dropped.
public protocol AlertDestination: Sendable {
    /// Sends one entry (MESSAGE, MESSAGE_ID, PRIORITY, EXTRAVASD_*...), its field names
    /// validated when it was built.
    func send(_ entry: JournalEntry) throws
    /// Where the entries sent can be read back (with the trusted fields a journal adds),
    /// or `nil` when they cannot (standard error).
    var readBack: (any JournalAccess)? { get }
}

extension AlertDestination {
    /// Whether entries can be read back (a journal).
    public var isJournal: Bool { readBack != nil }

    /// Sends an entry of `fields` (name, value), in order; an invalid name throws
    /// ``JournalFieldNameError`` and nothing is sent.
    public func send(_ fields: [(String, String)]) throws {
        try send(JournalEntry(validating: fields))
    }
}

/// Entries to journald through `sd_journal_sendv`.
public struct JournaldDestination: AlertDestination {
    private let journal = SystemdJournal()
    /// Creates the destination.
    public init() {}
    /// The local journal.
    public var readBack: (any JournalAccess)? { LocalJournalAccess() }

    /// Sends one entry; a failing `sd_journal_sendv` throws ``SystemdError``.
    public func send(_ entry: JournalEntry) throws {
        try journal.send(entry)
    }
}

/// Entries as JSON lines on standard error (no journald): one object per entry, fields
/// in the order given.
public struct StandardErrorDestination: AlertDestination {
    /// Creates the destination.
    public init() {}
    /// None: these entries cannot be read back.
    public var readBack: (any JournalAccess)? { nil }

    /// Writes one JSON line.
    public func send(_ entry: JournalEntry) throws {
        var line = "{"
        for (index, (name, value)) in entry.stringPairs.enumerated() {
            if index > 0 { line += ", " }
            line += "\(Self.quote(name)): \(Self.quote(value))"
        }
        line += "}\n"
        StandardStreams.writeError(line)
    }

    static func quote(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONWriter.appendString(text.utf8, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension AlertDestination where Self == JournaldDestination {
    /// journald when its socket answers, else standard error (said once, on stderr).
    public static func detect() -> any AlertDestination {
        if JournalSocket.isAvailable() { return JournaldDestination() }
        StandardStreams.writeError(
            ("extravasd: no journald listening on \(JournalSocket.defaultPath): "
                + "alerts and events go to stderr as JSON lines\n"))
        return StandardErrorDestination()
    }
}
