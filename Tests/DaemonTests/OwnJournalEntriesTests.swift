import Journal
import Testing

@testable import Daemon

/// Which journal entries count as the daemon's own (reconciliation, read-back): the rule
/// on journald's trusted fields, entry by entry.
@Suite("Own journal entries")
struct OwnJournalEntriesTests {
    let own = OwnJournalEntries(
        identity: JournalSenderIdentity(pid: "4242", uid: "990", comm: "extravasd", unit: "extravasd.service")
    )

    /// An entry the daemon (an earlier process of it) wrote.
    let daemonEntry = [
        "_PID": "1234", "_UID": "990", "_COMM": "extravasd", "_SYSTEMD_UNIT": "extravasd.service",
        "_BOOT_ID": "b1", "EXTRAVASD_ALERT_ID": "a1",
    ]

    func with(_ changes: [String: String?]) -> [String: String] {
        var entry = daemonEntry
        for (name, value) in changes { entry[name] = value }
        return entry
    }

    @Test func anEntryWithTheDaemonsUIDCommAndUnitIsOwn() {
        #expect(own.verdict(daemonEntry) == .own)
        #expect(
            own.verdict(with(["_SYSTEMD_UNIT": nil])) == .own, "journald leaves the unit out of some entries")
    }

    @Test func aReplayedAlertAnotherUserAnotherProgramOrAnotherUnitIsNot() {
        #expect(own.verdict(with(["EXTRAVASD_REPLAY": "1"])) == .foreign)
        #expect(own.verdict(with(["_UID": "65534"])) == .foreign)
        #expect(own.verdict(with(["_UID": nil])) == .foreign)
        #expect(own.verdict(with(["_COMM": "logger"])) == .foreign)
        #expect(own.verdict(with(["_SYSTEMD_UNIT": "other.service"])) == .foreign)
    }

    @Test func anEntryWithoutCommIsOwnOnlyIfItsProcessWroteAsTheDaemon() {
        #expect(own.verdict(with(["_COMM": nil])) == .ownIfProcessWasTheDaemon(bootID: "b1", pid: "1234"))
        #expect(
            own.processMatch(bootID: "b1", pid: "1234")
                == ["_BOOT_ID": "b1", "_PID": "1234", "_COMM": "extravasd", "_UID": "990"])
        #expect(own.verdict(with(["_COMM": nil, "_BOOT_ID": nil])) == .foreign)
    }

    @Test func whileRunningAnEntryOfThisProcessWithoutCommIsOwn() {
        #expect(own.isOwnWhileRunning(with(["_PID": "4242", "_COMM": nil])))
        #expect(!own.isOwnWhileRunning(with(["_PID": "1234"])), "another process")
        #expect(!own.isOwnWhileRunning(with(["_PID": "4242", "EXTRAVASD_REPLAY": "1"])))
    }
}
