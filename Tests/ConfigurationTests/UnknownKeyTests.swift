import Configuration
import Testing

@Suite("An unknown key is an error, never a silent default")
struct UnknownKeyTests {
    @Test("an unknown top-level key is reported at its line and column with a suggestion")
    func topLevel() {
        let found = issues(
            yaml: """
                # site configuration
                feed:
                  files: ["/x/*.hl7"]
                """, path: "/etc/extravasd/extravasd.yaml")
        #expect(found.count == 1)
        #expect(
            found.first?.description
                == "/etc/extravasd/extravasd.yaml:2:1: error: unknown key 'feed'; did you mean 'feeds'?")
        #expect(found.first?.code == .unknownKey)
    }

    @Test("a misspelt nested key names its section and the key it resembles")
    func nested() {
        let found = issues(
            yaml: "feeds:\n  files: []\n  setle_ms: 100\nmllp:\n  enable: true\n", path: "x.yaml")
        #expect(
            found.map(\.description) == [
                "x.yaml:3:3: error: unknown key 'setle_ms' in 'feeds'; did you mean 'settle_ms'?",
                "x.yaml:5:3: error: unknown key 'enable' in 'mllp'; did you mean 'enabled'?",
            ])
    }

    @Test("a key written in the wrong section says where it belongs")
    func wrongSection() {
        let found = issues(yaml: "settle_ms: 100\nfeeds:\n  timezone: UTC\n", path: "x.yaml")
        #expect(
            found.map(\.reason) == [
                "unknown key 'settle_ms'; it belongs under 'feeds'",
                "unknown key 'timezone' in 'feeds'; it belongs at the top level",
            ])
    }

    @Test("a key like nothing known lists the keys of its section")
    func unlike() {
        let found = issues(yaml: "watch:\n  zzzz: 1\n", path: "x.yaml")
        #expect(
            found.first?.reason
                == "unknown key 'zzzz' in 'watch' (known keys: window_hours, late_window_days)")
    }

    @Test("deep keys are checked too: labs.codes tests and their items")
    func deep() {
        let found = issues(
            yaml:
                "labs:\n  codes:\n    creatinin: []\n    calcium:\n      - {code: x, unit: mg/dL, units: mg/dL}\n",
            path: "x.yaml")
        #expect(found.map(\.line) == [3, 5])
        #expect(found.first?.reason == "unknown key 'creatinin' in 'labs.codes'; did you mean 'creatinine'?")
        #expect(found.last?.column == 32)
    }

    @Test("every problem is reported, not only the first")
    func all() {
        let found = issues(
            yaml: "feed: 1\nmlp: 2\nphi: everything\nwatch:\n  window_hour: 3\n", path: "x.yaml")
        #expect(found.map(\.line) == [1, 2, 3, 5])
    }
}
