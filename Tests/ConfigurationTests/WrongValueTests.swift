import Configuration
import Testing

@Suite("Wrong types and values are errors at their place")
struct WrongValueTests {
    @Test(
        "a value of the wrong type is reported at the value",
        arguments: [
            (
                "feeds:\n  settle_ms: soon\n", 2, 14,
                "'feeds.settle_ms' must be a whole number (milliseconds), not the text 'soon'"
            ),
            (
                "feeds:\n  settle_ms: \"200\"\n", 2, 14,
                "'feeds.settle_ms' must be a whole number (milliseconds), not the text '200'"
            ),
            (
                "feeds:\n  settle_ms: 2.5\n", 2, 14,
                "'feeds.settle_ms' must be a whole number (milliseconds), not the number '2.5'"
            ),
            (
                "feeds:\n  files: /var/spool/*.hl7\n", 2, 10,
                "'feeds.files' must be a list, not the text '/var/spool/*.hl7'"
            ),
            ("feeds: [a, b]\n", 1, 8, "'feeds' must be a mapping of keys, not a list"),
            (
                "mllp:\n  enabled: maybe\n", 2, 12,
                "'mllp.enabled' must be true or false, not the text 'maybe'"
            ),
            ("mllp:\n  enabled: 1\n", 2, 12, "'mllp.enabled' must be true or false, not the number '1'"),
            (
                "default_catalogs: \"false\"\n", 1, 19,
                "'default_catalogs' must be true or false, not the text 'false'"
            ),
            ("state_directory: [a]\n", 1, 18, "'state_directory' must be text, not a list"),
            ("state_directory:\n", 1, 17, "'state_directory' must be text, not an empty value"),
            ("catalogs: local.yaml\n", 1, 11, "'catalogs' must be a list, not the text 'local.yaml'"),
            ("signs:\n  negations: [{a: b}]\n", 2, 15, "'signs.negations[]' must be text, not a mapping"),
            ("- feeds\n", 1, 1, "the file must be a mapping of keys, not a list"),
        ])
    func wrongType(_ yaml: String, _ line: Int, _ column: Int, _ reason: String) {
        let found = issues(yaml: yaml, path: "c.yaml")
        #expect(found.count == 1)
        #expect(found.first?.line == line)
        #expect(found.first?.column == column)
        #expect(found.first?.reason == reason)
    }

    @Test(
        "a value out of range or not among the allowed ones is reported",
        arguments: [
            (
                "feeds:\n  settle_ms: -5\n",
                "'feeds.settle_ms' must be between 0 and 600000 (milliseconds), not -5"
            ),
            ("watch:\n  window_hours: 0\n", "'watch.window_hours' must be between 1 and 8760 (hours), not 0"),
            (
                "reminders:\n  after_minutes: 0\n",
                "'reminders.after_minutes' must be between 0.01 and 10080 (minutes), not 0"
            ),
            (
                "phi: pseudonymised\n",
                "'phi' must be one of identifiers, pseudonymized, minimal, not 'pseudonymised'; did you mean 'pseudonymized'?"
            ),
            (
                "mllp:\n  listen: localhost\n",
                "'mllp.listen' must be HOST:PORT (e.g. 127.0.0.1:2575, [::1]:2575) with a port from 1 to 65535, not 'localhost'"
            ),
            (
                "mllp:\n  listen: \"127.0.0.1:70000\"\n",
                "'mllp.listen' must be HOST:PORT (e.g. 127.0.0.1:2575, [::1]:2575) with a port from 1 to 65535, not '127.0.0.1:70000'"
            ),
        ])
    func invalidValue(_ yaml: String, _ reason: String) {
        let found = issues(yaml: yaml, path: "c.yaml")
        #expect(found.map(\.reason) == [reason])
        #expect(found.first?.code == .invalidValue)
    }

    @Test(
        "a bad timezone is an error at its value", arguments: ["Mars/Olympus_Mons", "Europe/Pariss", "utc+2"])
    func badTimezone(_ zone: String) {
        let found = issues(yaml: "feeds:\n  files: []\ntimezone: \(zone)\n", path: "c.yaml")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.column == 11)
        #expect(found.first?.reason.contains("'\(zone)' is not known") == true)
    }

    @Test("a YAML syntax error gives its file, line and column")
    func syntaxError() {
        let found = issues(
            yaml: "feeds:\n  files: [\"/a/*.hl7\"\nmllp:\n  enabled: true\n", path: "/etc/x.yaml")
        #expect(found.count == 1)
        #expect(found.first?.file == "/etc/x.yaml")
        #expect(found.first?.code == .syntax)
        #expect((found.first?.line ?? 0) >= 2)
        #expect((found.first?.column ?? 0) >= 1)
        #expect(found.first?.description.hasPrefix("/etc/x.yaml:\(found.first?.line ?? 0):") == true)
    }

    @Test("a tab-indented file is a syntax error with a place")
    func tabs() {
        let found = issues(yaml: "feeds:\n\tsettle_ms: 5\n", path: "t.yaml")
        #expect(found.first?.code == .syntax)
        #expect(found.first?.line == 2)
    }

    @Test("a key given twice is an error at its first place")
    func duplicateKey() {
        let found = issues(yaml: "phi: minimal\ntimezone: UTC\nphi: identifiers\n", path: "d.yaml")
        #expect(found.count == 1)
        #expect(found.first?.line == 1)
        #expect(found.first?.reason.contains("'phi'") == true)
    }

    @Test("an unreadable configuration file is one issue at line 0, column 0, naming the file and the reason")
    func unreadable() {
        let found = issues(path: "/nonexistent/extravasd/extravasd.yaml")
        #expect(
            found.map(\.description) == [
                "/nonexistent/extravasd/extravasd.yaml:0:0: error: cannot read configuration file '/nonexistent/extravasd/extravasd.yaml': No such file or directory"
            ])
        #expect(found.first?.code == .unreadableFile)
    }

    @Test("a folder given as configuration file cannot be read")
    func folder() throws {
        let folder = try TemporaryFolder()
        let found = issues(path: folder.path)
        #expect(found.count == 1)
        #expect(found.first?.reason.hasSuffix("Is a directory") == true)
    }
}
