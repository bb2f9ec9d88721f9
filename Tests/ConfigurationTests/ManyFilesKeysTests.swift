import Configuration
import Testing

/// `feeds.close_idle_ms`, `feeds.after_read`, `feeds.follow_symlinks`, `limits.max_files`.
@Suite("Many-files keys: defaults, values, and a move folder the patterns would read again")
struct ManyFilesKeysTests {
    @Test func theDefaultsKeepFilesCloseIdleOnesAfterTenSecondsAndTrackAHundredThousand() throws {
        let configuration = try load("feeds:\n  files: [\"/spool/*.hl7\"]\n")
        #expect(configuration.feeds.closeIdleMilliseconds == 10_000)
        #expect(configuration.feeds.afterRead == .keep)
        #expect(configuration.feeds.followSymlinks == false)
        #expect(configuration.limits.maxFiles == 100_000)
    }

    @Test func everyValueIsRead() throws {
        let configuration = try load(
            """
            feeds:
              files: ["/spool/in/*.hl7"]
              close_idle_ms: 500
              after_read: "move:/spool/done/"
              follow_symlinks: true
            limits:
              max_files: 20
            """)
        #expect(configuration.feeds.closeIdleMilliseconds == 500)
        #expect(configuration.feeds.afterRead == .move("/spool/done"))
        #expect(configuration.feeds.followSymlinks)
        #expect(configuration.limits.maxFiles == 20)
        #expect(try load("feeds:\n  after_read: delete\n").feeds.afterRead == .delete)
    }

    @Test(
        "a wrong value is reported at the value",
        arguments: [
            (
                "feeds:\n  after_read: archive\n",
                "'feeds.after_read' must be keep, delete or move:DIR, not 'archive'"
            ),
            (
                "feeds:\n  after_read: \"move:done\"\n",
                "'feeds.after_read: move:DIR' needs an absolute folder, not 'done'"
            ),
            ("feeds:\n  close_idle_ms: -1\n", "'feeds.close_idle_ms'"),
            ("feeds:\n  follow_symlinks: yes please\n", "'feeds.follow_symlinks' must be true or false"),
            ("limits:\n  max_files: 0\n", "'limits.max_files'"),
        ])
    func wrongValues(yaml: String, reason: String) {
        let found = issues(yaml: yaml)
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.reason.contains(reason) == true, "\(found)")
    }

    @Test func aMoveFolderThatAPatternMatchesIsAConflict() {
        let found = issues(
            yaml: "feeds:\n  files: [\"/spool/*/*.hl7\"]\n  after_read: \"move:/spool/done\"\n")
        #expect(found.count == 1)
        #expect(found.first?.code == .conflict)
        #expect(found.first?.line == 3)
        #expect(found.first?.reason.contains("feed pattern '/spool/*/*.hl7' matches") == true, "\(found)")
        let same = issues(yaml: "feeds:\n  files: [\"/spool/*.hl7\"]\n  after_read: \"move:/spool\"\n")
        #expect(same.first?.code == .conflict)
    }
}
