import Configuration
import Foundation
import Testing

/// `delivery.confirm_ms`: how long a sent alert may take to be read back from the journal.
@Suite("delivery key")
struct DeliveryKeyTests {
    @Test("delivery.confirm_ms defaults to 10000 and takes a value in range")
    func confirmWindow() throws {
        #expect(try load("feeds:\n  files: [\"/tmp/*.hl7\"]\n").delivery.confirmMilliseconds == 10_000)
        #expect(try load("delivery:\n  confirm_ms: 2500\n").delivery.confirmMilliseconds == 2500)
        #expect(try load("delivery:\n  confirm_ms: 100\n").delivery.confirmMilliseconds == 100)
    }

    @Test("delivery.confirm_ms out of range, of the wrong type, or an unknown delivery key is an error")
    func wrongValues() {
        let tooSmall = issues(yaml: "delivery:\n  confirm_ms: 99\n")
        #expect(tooSmall.map(\.code) == [.invalidValue])
        #expect(tooSmall.first?.line == 2)
        #expect(
            tooSmall.first?.reason
                == "'delivery.confirm_ms' must be between 100 and 3600000 (milliseconds), not 99")
        #expect(issues(yaml: "delivery:\n  confirm_ms: 3600001\n").map(\.code) == [.invalidValue])
        #expect(issues(yaml: "delivery:\n  confirm_ms: soon\n").map(\.code) == [.wrongType])
        #expect(issues(yaml: "delivery:\n  confirm: 100\n").map(\.code) == [.unknownKey])
    }

    @Test("the example file documents delivery.confirm_ms with its default")
    func example() throws {
        let text = try String(
            contentsOfFile: repositoryConfigFolder + "/extravasd.example.yaml", encoding: .utf8)
        #expect(text.contains("delivery:\n  confirm_ms: 10000"))
    }
}
