import Foundation
import Journal
import Synchronization

/// A journal in memory, for tests of the daemon without journald: an
/// ``AlertDestination`` whose entries can be read back (``JournalAccess``), with the
/// trusted fields journald would add for this process (`_PID`, `_UID`, `_COMM`,
/// `_BOOT_ID`, and `_SYSTEMD_UNIT` when the process runs in a unit) and
/// `__REALTIME_TIMESTAMP`; read and followed entries carry `__CURSOR` (`mem:INDEX`).
///
/// Faults a test can set: sends that fail (journald stopped), sends accepted but not
/// kept (journald's rate limit), a journal that cannot be read. Entries another program
/// wrote are added with ``append(_:)``.
public final class InMemoryJournal: AlertDestination, JournalAccess, Sendable {
    /// What the journal does with a send.
    public enum SendBehaviour: Sendable {
        /// Keeps the entry.
        case keep
        /// Throws (journald's socket is there, nobody reads it).
        case fail
        /// Accepts the entry and drops it.
        case drop
    }

    private struct State {
        var entries: [[String: String]] = []
        var sendBehaviour = SendBehaviour.keep
        var readable = true
        var sendAttempts = 0
    }

    private let state = Mutex(State())
    /// The trusted fields added to every entry sent through this journal.
    public let trustedFields: [String: String]

    /// An empty journal; entries sent get the trusted fields of `identity` (this process
    /// by default).
    public init(identity: JournalSenderIdentity = .current(), bootID: String = "test-boot") {
        var fields = ["_PID": identity.pid, "_UID": identity.uid, "_COMM": identity.comm, "_BOOT_ID": bootID]
        if let unit = identity.unit { fields["_SYSTEMD_UNIT"] = unit }
        trustedFields = fields
    }

    /// What sends do from now on.
    public var sendBehaviour: SendBehaviour {
        get { state.withLock { $0.sendBehaviour } }
        set { state.withLock { $0.sendBehaviour = newValue } }
    }

    /// Whether readers and followers can be opened and read.
    public var readable: Bool {
        get { state.withLock { $0.readable } }
        set { state.withLock { $0.readable = newValue } }
    }

    /// Every entry kept, oldest first.
    public var entries: [[String: String]] { state.withLock { $0.entries } }

    /// How many sends were attempted (failed ones too).
    public var sendAttempts: Int { state.withLock { $0.sendAttempts } }

    /// Adds an entry as another program (or an earlier process) wrote it: `fields`
    /// include whatever trusted fields that writer would have had.
    public func append(_ fields: [String: String]) {
        state.withLock { $0.entries.append(fields) }
    }

    // MARK: - AlertDestination

    /// Keeps, fails or drops the entry (``sendBehaviour``).
    public func send(_ entry: JournalEntry) throws {
        try state.withLock { state in
            state.sendAttempts += 1
            switch state.sendBehaviour {
            case .fail: throw InMemoryJournalError.sendFailed
            case .drop: return
            case .keep:
                var kept = trustedFields
                kept["__REALTIME_TIMESTAMP"] = String(Int64(Date().timeIntervalSince1970 * 1_000_000))
                for (name, value) in entry.stringPairs { kept[name] = value }
                state.entries.append(kept)
            }
        }
    }

    /// This journal.
    public var readBack: (any JournalAccess)? { self }

    // MARK: - JournalAccess

    /// A reader of this journal.
    public func reader() async throws -> any JournalReading {
        guard readable else { throw InMemoryJournalError.unreadable }
        return Reader(journal: self)
    }

    /// A follower of the entries from `start`. An entry's cursor is `mem:INDEX` (its
    /// place in ``entries``).
    public func follower(matching match: [String: String], from start: JournalFollowStart) async throws
        -> any JournalFollowing
    {
        guard readable else { throw InMemoryJournalError.unreadable }
        let position: Int
        switch start {
        case .end: position = state.withLock { $0.entries.count }
        case .head: position = 0
        case .after(let cursor): position = (Int(cursor.dropFirst("mem:".count)) ?? -1) + 1
        }
        return Follower(journal: self, match: match, from: position)
    }

    fileprivate func matching(_ match: [String: String], from start: Int = 0) throws -> (
        [[String: String]], Int
    ) {
        try state.withLock { state in
            guard state.readable else { throw InMemoryJournalError.unreadable }
            let first = max(0, min(start, state.entries.count))
            var found: [[String: String]] = []
            for index in first..<state.entries.count {
                let entry = state.entries[index]
                guard match.allSatisfy({ entry[$0.key] == $0.value }) else { continue }
                found.append(entry.merging(["__CURSOR": "mem:\(index)"]) { _, cursor in cursor })
            }
            return (found, state.entries.count)
        }
    }

    private final class Reader: JournalReading {
        let journal: InMemoryJournal
        init(journal: InMemoryJournal) { self.journal = journal }

        func entries(matching match: [String: String]) async throws -> [[String: String]] {
            try journal.matching(match).0
        }

        func firstEntry(matching match: [String: String], timeout: Duration) async throws -> [String: String]?
        {
            let deadline = ContinuousClock.now + timeout
            while true {
                if let first = try journal.matching(match).0.first { return first }
                guard ContinuousClock.now < deadline else { return nil }
                try await Task.sleep(for: .milliseconds(1))
            }
        }

        func close() {}
    }

    private final class Follower: JournalFollowing {
        let journal: InMemoryJournal
        let match: [String: String]
        let position: Mutex<Int>
        let closed = Mutex(false)

        init(journal: InMemoryJournal, match: [String: String], from start: Int) {
            self.journal = journal
            self.match = match
            position = Mutex(start)
        }

        func next(fields: [String], wait: Duration) async throws -> [[String: String]] {
            let deadline = ContinuousClock.now + wait
            while true {
                if closed.withLock({ $0 }) { throw JournalReaderError.closed }
                let (found, end) = try journal.matching(match, from: position.withLock { $0 })
                position.withLock { $0 = end }
                if !found.isEmpty {
                    return found.map { entry in
                        entry.filter { fields.contains($0.key) || $0.key.hasPrefix("__") }
                    }
                }
                guard ContinuousClock.now < deadline else { return [] }
                try await Task.sleep(for: .milliseconds(2))
            }
        }

        func close() { closed.withLock { $0 = true } }
    }
}

/// What an ``InMemoryJournal`` set to fail throws.
public enum InMemoryJournalError: Error, Sendable {
    /// A send while ``InMemoryJournal/sendBehaviour`` is `.fail`.
    case sendFailed
    /// A read while the journal is not ``InMemoryJournal/readable``.
    case unreadable
}
