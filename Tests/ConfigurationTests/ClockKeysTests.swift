import Configuration
import Testing

/// `clock.max_skew` and `clock.max_jump`: durations written `90s`, `30m`, `1h`, `7d`.
@Suite("clock keys")
struct ClockKeysTests {
    static let duration = "a whole number and a unit: s, m, h or d (e.g. 90s, 30m, 1h, 7d)"

    @Test("clock.max_skew and clock.max_jump default to 1h and 7d")
    func defaults() throws {
        let configuration = try load("feeds:\n  files: []\n")
        #expect(configuration.clock.maxSkewSeconds == 3600)
        #expect(configuration.clock.maxJumpSeconds == 604_800)
    }

    @Test(
        "durations take s, m, h or d",
        arguments: [("90s", 90), ("30m", 1800), ("2h", 7200), ("3d", 259_200), ("0s", 0), ("\"45m\"", 2700)])
    func durations(_ text: String, _ seconds: Int) throws {
        #expect(try load("clock:\n  max_skew: \(text)\n").clock.maxSkewSeconds == seconds)
        if seconds >= 60 {
            #expect(try load("clock:\n  max_jump: \(text)\n").clock.maxJumpSeconds == seconds)
        }
    }

    @Test(
        "a value that is not a duration, or out of range, is an error at its line and column",
        arguments: [
            (
                "clock:\n  max_skew: 3600\n", 2, 13,
                "'clock.max_skew' must be a duration, \(Self.duration), not '3600'"
            ),
            (
                "clock:\n  max_jump: 1 week\n", 2, 13,
                "'clock.max_jump' must be a duration, \(Self.duration), not '1 week'"
            ),
            (
                "clock:\n  max_jump: -7d\n", 2, 13,
                "'clock.max_jump' must be a duration, \(Self.duration), not '-7d'"
            ),
            (
                "clock:\n  max_skew: [1h]\n", 2, 13,
                "'clock.max_skew' must be a duration, \(Self.duration), not a list"
            ),
            ("clock:\n  max_jump: 30s\n", 2, 13, "'clock.max_jump' must be between 1m and 3650d, not 30s"),
            ("clock:\n  max_skew: 31d\n", 2, 13, "'clock.max_skew' must be between 0s and 30d, not 31d"),
            ("clock:\n  max_skw: 1h\n", 2, 3, nil),
        ] as [(String, Int, Int, String?)])
    func wrongValue(_ yaml: String, _ line: Int, _ column: Int, _ reason: String?) {
        let found = issues(yaml: yaml, path: "c.yaml")
        #expect(found.count == 1)
        #expect(found.first?.line == line)
        #expect(found.first?.column == column)
        if let reason { #expect(found.first?.reason == reason) }
        #expect(found.first?.description.hasPrefix("c.yaml:\(line):\(column): error: ") == true)
    }
}
