import Configuration
import Testing

/// `lines.forget_hours`: a line in place with no assessment for this long is forgotten.
@Suite("lines keys")
struct LinesKeysTests {
    @Test("lines.forget_hours defaults to 72")
    func defaults() throws {
        #expect(try load("feeds:\n  files: []\n").lines.forgetHours == 72)
        #expect(ConfigurationLoader.builtInDefaults().lines.forgetHours == 72)
    }

    @Test func aForgetTimeInHoursIsRead() throws {
        #expect(try load("lines:\n  forget_hours: 24\n").lines.forgetHours == 24)
    }

    @Test func anOutOfRangeOrUnknownLinesKeyIsAnErrorAtItsLineAndColumn() {
        let zero = issues(yaml: "lines:\n  forget_hours: 0\n", path: "c.yaml")
        #expect(zero.count == 1)
        #expect(zero.first?.line == 2)
        #expect(zero.first?.column == 17)
        let unknown = issues(yaml: "lines:\n  forget_hour: 24\n", path: "c.yaml")
        #expect(unknown.count == 1)
        #expect(unknown.first?.line == 2)
    }
}
