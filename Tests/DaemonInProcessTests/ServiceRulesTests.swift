import Daemon
import Foundation
import JournalTesting
import Synchronization
import Testing

/// The daemon's rules, tested in-process: a ``SurveillanceService`` with a real SQLite
/// store in a temporary folder and an in-memory journal (milliseconds, no root). Each
/// rule is also covered end to end against journald in DaemonTests.
@Suite("Daemon rules in process (in-memory journal, temporary store)", .serialized)
struct ServiceRulesTests {
    @Test func alertsReachTheJournalInTheOrderTheyWereCommitted() async throws {
        let service = InProcessService()
        defer { service.remove() }
        try service.write(example: "engine-rules.hl7")
        let expected = try InProcessService.replayedAlertIDs(["engine-rules.hl7"])
        #expect(expected.count >= 4)
        #expect(await eventually { service.alertIDs.count >= expected.count })
        try await service.stop()
        #expect(service.alertIDs == expected, "the journal has the alerts once each, in commit order")
        #expect(try await service.undelivered().isEmpty, "read back and marked delivered")
    }

    @Test func aSendThatFailsStaysInTheOutboxAndIsTriedAgainUntilTheJournalAcceptsIt() async throws {
        let journal = InMemoryJournal()
        journal.sendBehaviour = .fail
        let service = InProcessService(journal: journal)
        defer { service.remove() }
        try service.write(example: "seed-case.hl7")
        let expected = try InProcessService.replayedAlertIDs(["seed-case.hl7"])
        // Tried again and again while journald does not answer (backoff up to 1 s).
        let attempts = journal.sendAttempts
        #expect(await eventually { journal.sendAttempts >= attempts + 5 })
        #expect(service.alertIDs.isEmpty)
        journal.sendBehaviour = .keep
        #expect(await eventually(timeout: .seconds(2)) { service.alertIDs == expected })
        try await Task.sleep(for: .milliseconds(300))
        try await service.stop()
        #expect(service.alertIDs == expected, "delivered once, not again")
        #expect(try await service.undelivered().isEmpty)
    }

    @Test func atStartOnlyEntriesTheDaemonWroteCountAsDeliveredAlerts() async throws {
        // A first run commits the alerts while the journal refuses every send.
        let failing = InMemoryJournal()
        failing.sendBehaviour = .fail
        let first = InProcessService(journal: failing)
        defer { first.remove() }
        try first.write(example: "engine-rules.hl7")
        let ids = try InProcessService.replayedAlertIDs(["engine-rules.hl7"])
        #expect(ids.count >= 4)
        #expect(await eventually { failing.sendAttempts >= 8 })
        try await first.stop()
        #expect(try await first.undelivered() == ids, "left in the outbox")
        let messageIDs = try await first.undeliveredMessageIDs()
        let kind = { (id: String) in messageIDs[id] ?? "?" }

        // The journal the next start finds: the first alert written by the daemon (an
        // earlier process), the second by `replay --journal`, the third by another user.
        let journal = InMemoryJournal()
        var own = journal.trustedFields
        own["_PID"] = "1"
        journal.append(own.merging(["MESSAGE_ID": kind(ids[0]), "EXTRAVASD_ALERT_ID": ids[0]]) { $1 })
        journal.append(
            own.merging(["MESSAGE_ID": kind(ids[1]), "EXTRAVASD_ALERT_ID": ids[1], "EXTRAVASD_REPLAY": "1"]) {
                $1
            })
        journal.append(
            own.merging(["MESSAGE_ID": kind(ids[2]), "EXTRAVASD_ALERT_ID": ids[2], "_UID": "4242"]) { $1 })
        let second = InProcessService(folder: first.folder, journal: journal)
        let sent = { (id: String) in
            journal.entries.filter { $0["EXTRAVASD_ALERT_ID"] == id && $0["_PID"] != "1" }.count
        }
        #expect(await eventually { ids.dropFirst().allSatisfy { sent($0) == 1 } })
        try await Task.sleep(for: .milliseconds(300))
        try await second.stop()
        #expect(sent(ids[0]) == 0, "the daemon's own entry counts as delivered: not sent again")
        for id in ids.dropFirst() { #expect(sent(id) == 1, "a look-alike does not count: sent once") }
        #expect(try await second.undelivered().isEmpty)
    }

    /// An alert, its reminder and its acknowledgements all carry `EXTRAVASD_ALERT_ID`; only
    /// the MESSAGE_ID tells them apart. An acknowledgement written by root through the
    /// same binary (`_COMM=extravasd`, `_UID` the daemon's: an entry "the daemon wrote"
    /// by journald's trusted fields), or an earlier process's reminder of the alert, must
    /// not count as the alert's delivery at reconciliation.
    @Test func atStartAnAcknowledgementOrReminderOfAnAlertDoesNotCountAsTheAlertsDelivery() async throws {
        let failing = InMemoryJournal()
        failing.sendBehaviour = .fail
        let first = InProcessService(journal: failing)
        defer { first.remove() }
        try first.write(example: "engine-rules.hl7")
        let ids = try InProcessService.replayedAlertIDs(["engine-rules.hl7"])
        #expect(ids.count >= 2)
        #expect(await eventually { failing.sendAttempts >= 8 })
        try await first.stop()
        #expect(try await first.undelivered() == ids, "left in the outbox")

        let journal = InMemoryJournal()
        var own = journal.trustedFields
        own["_PID"] = "1"
        journal.append(
            own.merging([
                "MESSAGE_ID": "b58e71387e6848038cc9bd8d4082be8e", "EXTRAVASD_ALERT_ID": ids[0],
                "EXTRAVASD_ACK_BY": "RN J. Doe",
            ]) { $1 })
        journal.append(
            own.merging([
                "MESSAGE_ID": "38645c32a78b44dd9deb93a9e58354d3", "EXTRAVASD_ALERT_ID": ids[1],
                "EXTRAVASD_REMINDER": "1",
            ]) { $1 })
        let second = InProcessService(folder: first.folder, journal: journal)
        let sent = { (id: String) in
            journal.entries.filter {
                $0["EXTRAVASD_ALERT_ID"] == id && $0["_PID"] != "1" && $0["EXTRAVASD_REMINDER"] == nil
            }.count
        }
        #expect(await eventually { ids.allSatisfy { sent($0) == 1 } })
        try await Task.sleep(for: .milliseconds(300))
        try await second.stop()
        for id in ids { #expect(sent(id) == 1, "the alert itself was sent, once") }
        #expect(try await second.undelivered().isEmpty)
    }

    @Test func aReloadTakesTheNewFeedsBetweenBatchesAndABadOneKeepsTheRunningConfiguration() async throws {
        let folder = InProcessService.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let broken = ManagedAtomicFlag()
        let service = InProcessService(folder: folder) { folder in
            if broken.isSet { throw ReloadTestError.unreadable }
            return InProcessService.settings(folder: folder, pattern: "*.txt")
        }
        try service.write(example: "engine-rules.hl7", as: "rules.txt")
        let expected = try InProcessService.replayedAlertIDs(["engine-rules.hl7"])
        #expect(await eventually { !service.events("ready").isEmpty })
        try await Task.sleep(for: .milliseconds(400))
        #expect(service.alertIDs.isEmpty, "*.txt is not followed yet")

        broken.set()
        service.reloads.request()
        #expect(await eventually { !service.events("reload_failed").isEmpty })
        #expect(service.alertIDs.isEmpty, "the running configuration stays")

        broken.clear()
        service.reloads.request()
        #expect(await eventually { !service.events("reloaded").isEmpty })
        #expect(await eventually { service.alertIDs == expected })
        try await service.stop()
    }

    @Test func atShutdownWhatWasCommittedIsDeliveredBeforeTheStoreCloses() async throws {
        let journal = InMemoryJournal()
        journal.sendBehaviour = .fail
        let service = InProcessService(journal: journal)
        defer { service.remove() }
        try service.write(example: "engine-rules.hl7")
        let expected = try InProcessService.replayedAlertIDs(["engine-rules.hl7"])
        // Every alert committed (the store is read through a second connection).
        #expect(await eventually { (try? await service.undelivered()) == expected })
        // Shutdown begins while the alerts wait in the outbox; journald comes back then.
        let stopping = Task { try await service.stop() }
        try await Task.sleep(for: .milliseconds(50))
        journal.sendBehaviour = .keep
        try await stopping.value
        #expect(service.alertIDs == expected, "delivered during shutdown")
        #expect(try await service.undelivered().isEmpty, "and marked delivered before the store closed")
        let stopped = journal.entries.firstIndex { $0["EXTRAVASD_EVENT"] == "stopping" }
        let lastAlert = journal.entries.lastIndex { $0["EXTRAVASD_ALERT_ID"] != nil }
        #expect(stopped != nil && lastAlert != nil && lastAlert! < stopped!, "alerts before `stopping`")
    }
}

enum ReloadTestError: Error { case unreadable }

/// A flag shared with the reload closure.
final class ManagedAtomicFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
    func clear() { value.withLock { $0 = false } }
}
