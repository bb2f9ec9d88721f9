import Foundation
import Journal
import Testing

/// ``JournalReader/page(matching:fields:after:since:until:limit:)`` and a follower with
/// a ``JournalMatch`` against the real journald: alternatives, values of one field as
/// alternatives, pages continued by cursor, and the since/until bounds by the time
/// journald wrote each entry.
@Suite(
    "journal pages and matches",
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket: start systemd-journald (.ci/run does)")
)
struct JournalPageTests {
    private static func send(_ testID: String, _ sequence: Int, kind: String) throws {
        var entry = JournalEntry(
            message: "page test \(sequence)", priority: .debug, syslogIdentifier: "extravasd-test")
        try entry.append("EXTRAVASD_TEST_ID", testID)
        try entry.append("EXTRAVASD_SEQUENCE", String(sequence))
        try entry.append("EXTRAVASD_TEST_KIND", kind)
        try SystemdJournal().send(entry)
    }

    /// Every page of `match`, `limit` at a time.
    private static func all(
        _ reader: JournalReader, _ match: JournalMatch, since: Int64? = nil, until: Int64? = nil, limit: Int
    ) async throws -> [[String: String]] {
        var found: [[String: String]] = []
        var cursor: String?
        while true {
            let page = try await reader.page(
                matching: match, fields: ["EXTRAVASD_SEQUENCE", "EXTRAVASD_TEST_KIND"], after: cursor,
                since: since, until: until, limit: limit)
            found += page
            guard page.count == limit, let last = page.last?["__CURSOR"] else { return found }
            cursor = last
        }
    }

    @Test("alternatives and values of one field, read page by page, bounded by the time written")
    func pagesOfAlternativesBoundedByTime() async throws {
        let testID = UUID().uuidString
        let kinds = ["a", "b", "c", "a", "b", "c", "a"]
        for (sequence, kind) in kinds.enumerated() { try Self.send(testID, sequence, kind: kind) }
        try Journalctl.sync()
        let reader = try await JournalReader()
        defer { reader.close() }
        // a or b (one field, two values), read two at a time.
        let aOrB = JournalMatch(anyOf: [["EXTRAVASD_TEST_ID": [testID], "EXTRAVASD_TEST_KIND": ["a", "b"]]])
        let found = try await Self.all(reader, aOrB, limit: 2)
        #expect(found.map { $0["EXTRAVASD_SEQUENCE"] } == ["0", "1", "3", "4", "6"])
        #expect(found.allSatisfy { $0["__CURSOR"] != nil && Int64($0["__REALTIME_TIMESTAMP"] ?? "") != nil })
        #expect(found.allSatisfy { $0["MESSAGE"] == nil }, "only the fields asked for")
        // Two alternatives on different fields: (this test and c) or (this test and entry 0).
        let cOrFirst = JournalMatch(anyOf: [
            ["EXTRAVASD_TEST_ID": [testID], "EXTRAVASD_TEST_KIND": ["c"]],
            ["EXTRAVASD_TEST_ID": [testID], "EXTRAVASD_SEQUENCE": ["0"]],
        ])
        #expect(
            try await Self.all(reader, cOrFirst, limit: 100).map { $0["EXTRAVASD_SEQUENCE"] } == [
                "0", "2", "5",
            ])
        // Since and until are the times written, both inclusive.
        let times = found.compactMap { Int64($0["__REALTIME_TIMESTAMP"] ?? "") }
        let bounded = try await Self.all(reader, aOrB, since: times[1], until: times[3], limit: 2)
        #expect(bounded.map { $0["EXTRAVASD_SEQUENCE"] } == ["1", "3", "4"])
    }

    @Test("a follower of alternatives returns each matching entry once, with the time written when asked")
    func followerOfAlternatives() async throws {
        let testID = UUID().uuidString
        let follower = try await JournalFollower(
            matchingAny: JournalMatch(anyOf: [
                ["EXTRAVASD_TEST_ID": [testID], "EXTRAVASD_TEST_KIND": ["a"]],
                ["EXTRAVASD_TEST_ID": [testID], "EXTRAVASD_SEQUENCE": ["2"]],
            ]))
        defer { follower.close() }
        let before = Int64(Date().timeIntervalSince1970 * 1_000_000)
        for (sequence, kind) in ["a", "b", "c"].enumerated() { try Self.send(testID, sequence, kind: kind) }
        var found: [[String: String]] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while found.count < 2 && ContinuousClock.now < deadline {
            found += try await follower.next(
                fields: ["EXTRAVASD_SEQUENCE", "__REALTIME_TIMESTAMP"], wait: .milliseconds(100))
        }
        #expect(found.map { $0["EXTRAVASD_SEQUENCE"] } == ["0", "2"])
        #expect(found.allSatisfy { (Int64($0["__REALTIME_TIMESTAMP"] ?? "") ?? 0) >= before - 1_000_000 })
    }
}
