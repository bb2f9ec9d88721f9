import Foundation
import Journal
import Testing

/// ``JournalFollower`` against the real journald: entries appended after it opened (or
/// from the head, or after a saved cursor), in order, each once, only those matching.
@Suite(
    "journal follower",
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket: start systemd-journald (.ci/run does)")
)
struct JournalFollowerTests {
    private static func entry(_ testID: String, _ sequence: Int) throws -> JournalEntry {
        var entry = JournalEntry(
            message: "follower test \(sequence)", priority: .debug, syslogIdentifier: "extravasd-test")
        try entry.append("EXTRAVASD_TEST_ID", testID)
        try entry.append("EXTRAVASD_SEQUENCE", String(sequence))
        return entry
    }

    /// Reads until `count` entries arrived (or 20 s passed).
    private static func read(_ follower: JournalFollower, count: Int) async throws -> [[String: String]] {
        var found: [[String: String]] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while found.count < count && ContinuousClock.now < deadline {
            found += try await follower.next(
                fields: ["EXTRAVASD_SEQUENCE", "_PID"], wait: .milliseconds(100))
        }
        return found
    }

    @Test("entries appended later are returned once each, in order, with the fields asked for")
    func followsNewEntries() async throws {
        let testID = UUID().uuidString
        // Sent before the follower opens: not returned.
        try SystemdJournal().send(try Self.entry(testID, 0))
        try Journalctl.sync()
        // A match on a value journald has never seen when following starts.
        let follower = try await JournalFollower(matching: ["EXTRAVASD_TEST_ID": testID])
        for sequence in 1...3 { try SystemdJournal().send(try Self.entry(testID, sequence)) }
        var found = try await Self.read(follower, count: 3)
        // Past the end of the journal, then more entries: still seen.
        try await Task.sleep(for: .milliseconds(300))
        found += try await follower.next(fields: ["EXTRAVASD_SEQUENCE"], wait: .milliseconds(10))
        for sequence in 4...5 { try SystemdJournal().send(try Self.entry(testID, sequence)) }
        found += try await Self.read(follower, count: 2)
        #expect(found.map { $0["EXTRAVASD_SEQUENCE"] } == ["1", "2", "3", "4", "5"])
        #expect(found.allSatisfy { $0["_PID"] == String(getpid()) && $0["__CURSOR"] != nil })
        #expect(try await follower.next(fields: [], wait: .milliseconds(50)).isEmpty, "each once")
        follower.close()
    }

    @Test("from the head: every matching entry already written; after a cursor: only those after it")
    func followsFromTheHeadOrAfterACursor() async throws {
        let testID = UUID().uuidString
        // Microseconds since the epoch, as journald stamps entries.
        func wallClock() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
        let sentFrom = wallClock()
        for sequence in 1...3 { try SystemdJournal().send(try Self.entry(testID, sequence)) }
        try Journalctl.sync()
        let fromHead = try await JournalFollower(matching: ["EXTRAVASD_TEST_ID": testID], from: .head)
        let all = try await Self.read(fromHead, count: 3)
        fromHead.close()
        #expect(all.map { $0["EXTRAVASD_SEQUENCE"] } == ["1", "2", "3"])
        // Stamped by journald between the send and the read (a second's slack for clocks),
        // however long a loaded machine takes to read them.
        let readBy = wallClock()
        #expect(
            all.allSatisfy { entry in
                entry["__REALTIME_TIMESTAMP"].flatMap { Int64($0) }.map {
                    $0 >= sentFrom - 1_000_000 && $0 <= readBy + 1_000_000
                } ?? false
            }, "with the journal's time")
        // A later follower (a restart) from the cursor of the first: the rest, then new ones.
        let cursor = try #require(all.first?["__CURSOR"])
        let resumed = try await JournalFollower(
            matching: ["EXTRAVASD_TEST_ID": testID], from: .after(cursor: cursor))
        try SystemdJournal().send(try Self.entry(testID, 4))
        let rest = try await Self.read(resumed, count: 3)
        #expect(rest.map { $0["EXTRAVASD_SEQUENCE"] } == ["2", "3", "4"])
        #expect(try await resumed.next(fields: [], wait: .milliseconds(50)).isEmpty, "each once")
        resumed.close()
    }

    @Test("this process's trusted fields as journald records them")
    func senderIdentity() async throws {
        let testID = UUID().uuidString
        let follower = try await JournalFollower(matching: ["EXTRAVASD_TEST_ID": testID])
        try SystemdJournal().send(try Self.entry(testID, 1))
        var found: [[String: String]] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while found.isEmpty && ContinuousClock.now < deadline {
            found = try await follower.next(
                fields: ["_PID", "_UID", "_COMM", "_SYSTEMD_UNIT"], wait: .milliseconds(100))
        }
        let identity = JournalSenderIdentity.current()
        let entry = try #require(found.first)
        #expect(entry["_PID"] == identity.pid)
        #expect(entry["_UID"] == identity.uid)
        #expect(entry["_COMM"] == identity.comm)
        #expect(entry["_SYSTEMD_UNIT"] == identity.unit)
    }
}
