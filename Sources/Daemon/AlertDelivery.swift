import AlertOutput
import FaultPoints
import Foundation
import Journal
import Review
import StateStore
import Surveillance

/// Delivers the committed alert outbox to journald and marks an alert delivered only
/// once it has read the alert back (DESIGN.md section 7, "Delivery retries while
/// running").
///
/// - A committed alert is sent at once (latency is the send's, never the read-back's).
///   A send that fails (journald stopped, its socket left behind) keeps the alert in the
///   outbox; it is tried again with backoff, at most ``Timing/retryCeiling`` apart, while
///   the daemon runs. Each failure episode is reported on stderr (the journal being what
///   failed) and in `STATUS=` (`undelivered N`, `journal send failing`).
/// - journald can accept an entry and drop it (its rate limit, a full disk): an alert is
///   marked delivered once a ``JournalFollower`` on its own thread shows it back as an
///   entry of this process (``OwnJournalEntries``) with its MESSAGE_ID and alert id
///   (``OutboxEntryIdentity``); one not readable within `delivery.confirm_ms` is sent
///   again, with the same alert id. It is marked with the time it was written (the wall
///   clock then): a critical alert's reminder counts from it.
/// - At start, alerts an earlier process left undelivered are reconciled: a marker entry
///   is sent and waited for (journald makes entries readable some time after the send),
///   then an alert counts as delivered when an entry the daemon wrote carries its
///   MESSAGE_ID and id (written when that entry's journal time says), and the others are
///   sent. A replayed alert, another user's entry, and an entry of another MESSAGE_ID with
///   the same alert id (an acknowledgement, the alert's reminder, or for a reminder the
///   alert itself) never count.
/// - The outbox also holds the unacknowledged reminders (``OnCallReview`` commits them):
///   each is an entry of its own, keyed `<alert id>:reminder`, delivered the same way.
/// - When the journal cannot be opened or the marker is not readable within
///   `delivery.confirm_ms`, the daemon cannot read its own entries back: it says so once
///   (lifecycle `journal_unreadable`, PRIORITY 2, stderr, `STATUS=`) and delivers at least
///   once (an alert is marked delivered once its send succeeded), never silently twice.
///
/// Sends run on the destination's writer thread, reads on the reader's and follower's,
/// store writes on the store's: this actor only decides.
actor AlertDelivery {
    /// How long things may take.
    struct Timing: Sendable {
        /// `delivery.confirm_ms`: how long a sent alert (or the start marker) may take to
        /// become readable before it is sent again (or the journal is deemed unreadable).
        var confirmWindow: Duration
        /// The first wait after a failed send; it doubles up to ``retryCeiling``.
        var firstRetry: Duration = .milliseconds(50)
        /// The longest wait between two tries of a failing send.
        var retryCeiling: Duration = .seconds(1)
        /// A sent alert the follower has not shown after this long is looked up by id
        /// (in case the follower missed it), then again at this interval.
        var lookupInterval: Duration = .seconds(1)
        /// The most look-ups by id in one turn (a storm of dropped alerts stays cheap).
        var lookupsPerTurn = 64
        /// How long a shutdown waits for sends and confirmations under way; what is left
        /// stays in the outbox for the next start.
        var shutdownWait: Duration = .seconds(2)
    }

    /// An alert of the outbox not yet confirmed.
    private struct Pending {
        let row: OutboxEntry
        let entry: JournalEntry
        /// What its entry is found by (`nil`: it has no MESSAGE_ID or alert id, so it cannot
        /// be read back: delivered once sent).
        let identity: OutboxEntryIdentity?
        /// When it was last sent; `nil`: to be sent (again).
        var sentAt: ContinuousClock.Instant?
        /// How many sends succeeded.
        var sends = 0
        /// When it was last looked up by id.
        var lookedUpAt: ContinuousClock.Instant?
    }

    /// Whether the daemon can read its own entries back.
    private enum ReadBack {
        /// Entries go to stderr (no journald): an alert is delivered once written.
        case notJournal
        /// The start marker is on its way (`sentAt` nil: not sent yet).
        case checking(marker: String, sentAt: ContinuousClock.Instant?)
        /// The marker was read back: alerts are confirmed by reading them back.
        case readable
        /// It cannot: at-least-once delivery.
        case unreadable
    }

    /// A run of failing sends.
    private struct FailureEpisode {
        var since: ContinuousClock.Instant
        var attempts: Int
        var due: ContinuousClock.Instant
    }

    private let destination: ThreadedDestination
    private let store: any SurveillanceStore
    private let timing: Timing
    private let status: DeliveryStatus
    private let own: OwnJournalEntries

    private var readBack = ReadBack.notJournal
    private var reader: (any JournalReading)?
    private var follower: (any JournalFollowing)?
    /// Outbox keys in commit order, and their state.
    private var order: [String] = []
    private var pending: [String: Pending] = [:]
    /// The outbox key of each pending entry's identity (read-back matches on it).
    private var keys: [OutboxEntryIdentity: String] = [:]
    /// Left undelivered by an earlier process: reconciled once the marker is readable.
    private var parked: [OutboxEntry] = []
    /// Alerts the daemon wrote after the store's latest delivery (see
    /// ``readWrittenAfterStore(reader:)``), with when: one committed again is not sent.
    private var writtenAfterStore: [OutboxEntryIdentity: Int64] = [:]
    private var failure: FailureEpisode?
    /// Whether a resend episode was reported on stderr (until the resent alerts are read back).
    private var resendReported = false
    /// Whether a send loop is under way (the actor is reentrant across its awaits).
    private var sending = false

    init(
        destination: ThreadedDestination, store: any SurveillanceStore, timing: Timing,
        status: DeliveryStatus,
        identity: JournalSenderIdentity = .current()
    ) {
        self.destination = destination
        self.store = store
        self.timing = timing
        self.status = status
        self.own = OwnJournalEntries(identity: identity)
    }

    /// Takes what an earlier process left undelivered and opens the journal for reading
    /// back. The marker is sent by ``run(outbox:health:stall:)``.
    ///
    /// - Throws: a store error reading the outbox.
    func start() async throws {
        let stored = try await store.undeliveredAlerts()
        guard let access = destination.readBack else {
            readBack = .notJournal
            for entry in stored { add(entry) }
            publish()
            return
        }
        parked = stored
        readBack = .checking(marker: UUID().uuidString.lowercased(), sentAt: nil)
        do {
            reader = try await access.reader()
            follower = try await access.follower(matching: ["_PID": own.identity.pid])
        } catch {
            await journalUnreadable("the journal cannot be opened for reading (\(error))")
        }
        if let reader { await readWrittenAfterStore(reader: reader) }
        publish()
    }

    /// The alerts an earlier process of the daemon wrote after the store's latest delivery
    /// time: normally none (an alert is marked delivered as soon as it is read back), but
    /// when the store stepped back (a damaged WAL tail drops its last commits) they are
    /// the ones whose commits were lost. Their messages are read again and raise the same
    /// alerts (the same ids); those are marked delivered with their first writing's time,
    /// not sent again. Without a delivery in the store (a new or rebuilt store) there is
    /// nothing to step back from: the outbox's reconciliation covers a rebuilt one.
    private func readWrittenAfterStore(reader: any JournalReading) async {
        guard let since = try? await store.latestDeliveryTime() else { return }
        let fields = OwnJournalEntries.fields + ["EXTRAVASD_REMINDER"]
        // The daemon's alert and reminder entries only (a week's worth is a few thousand).
        let messageIDs =
            AlertKind.allCases.map(AlertJournalFields.messageID) + [ReviewJournal.reminderMessageID]
        let match = JournalMatch(anyOf: [["_UID": [own.identity.uid], "MESSAGE_ID": messageIDs]])
        guard let entries = try? await reader.entries(matching: match, fields: fields, since: since) else {
            return
        }
        for entry in entries {
            guard let identity = OutboxEntryIdentity(fields: entry), writtenAfterStore[identity] == nil else {
                continue
            }
            if (try? await isOwn(entry, reader: reader)) == true {
                writtenAfterStore[identity] = entry["__REALTIME_TIMESTAMP"].flatMap { Int64($0) } ?? since
            }
        }
    }

    /// Whether `entry` was written by the daemon (this process or an earlier one): by its
    /// trusted fields, or, when they leave it open, by the writing process having written
    /// a daemon entry too.
    private func isOwn(_ entry: [String: String], reader: any JournalReading) async throws -> Bool {
        switch own.verdict(entry) {
        case .own: return true
        case .foreign: return false
        case .ownIfProcessWasTheDaemon(let bootID, let pid):
            let match = own.processMatch(bootID: bootID, pid: pid)
            return try await reader.firstEntry(matching: match, timeout: .zero) != nil
        }
    }

    /// The outbox loop: takes each committed batch from `outbox` until it finishes, while
    /// retries, read-back and confirmation run beside; then waits a little for what is
    /// under way (``Timing/shutdownWait``).
    func run(outbox: OutboxQueue, health: LoopHealth, stall: LoopStall) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.tickLoop() }
            if follower != nil { group.addTask { await self.followLoop() } }
            await outbox.run(health: health, stall: stall) { entries in await self.accept(entries) }
            await drain()
            group.cancelAll()
        }
        reader?.close()
        follower?.close()
    }

    // MARK: - Loops

    /// Committed alerts: sent at once.
    private func accept(_ alerts: [CommittedAlert]) async {
        var written: [(id: String, at: Int64)] = []
        for alert in alerts {
            if !writtenAfterStore.isEmpty, let identity = OutboxEntryIdentity(alert.entry),
                let at = writtenAfterStore.removeValue(forKey: identity)
            {
                written.append((alert.row.alertID, at))
            } else {
                add(alert)
            }
        }
        // Already in the journal (the store stepped back): delivered as first written.
        for (id, at) in written { await markDelivered([id], writtenAt: at) }
        publish()
        await sendDue()
    }

    private func tickLoop() async {
        while !Task.isCancelled {
            let delay = await tick()
            try? await Task.sleep(for: delay)
        }
    }

    private func followLoop() async {
        while !Task.isCancelled, let follower {
            let wait: Duration = awaitsReadBack ? .milliseconds(20) : .milliseconds(250)
            do {
                let entries = try await follower.next(fields: OwnJournalEntries.fields, wait: wait)
                if !entries.isEmpty { await saw(entries) }
            } catch JournalReaderError.closed {
                return
            } catch {
                // The look-ups by id still confirm; try the follower again later.
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One turn: the marker, due sends, look-ups and resends; returns when to turn again.
    private func tick() async -> Duration {
        await checkMarker()
        await sendDue()
        await confirmOverdue()
        publish()
        return nextTick()
    }

    /// At shutdown: sends and confirmations under way get ``Timing/shutdownWait``.
    private func drain() async {
        let deadline = ContinuousClock.now + timing.shutdownWait
        while ContinuousClock.now < deadline, !pending.isEmpty {
            _ = await tick()
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: - Sending

    /// An alert an earlier process left in the outbox: its entry rebuilt from its row.
    private func add(_ row: OutboxEntry) {
        guard pending[row.alertID] == nil, let entry = Self.entry(of: row) else { return }
        add(CommittedAlert(row: row, entry: entry))
    }

    private func add(_ alert: CommittedAlert) {
        guard pending[alert.row.alertID] == nil else { return }
        let identity = OutboxEntryIdentity(alert.entry)
        order.append(alert.row.alertID)
        pending[alert.row.alertID] = Pending(row: alert.row, entry: alert.entry, identity: identity)
        if let identity { keys[identity] = alert.row.alertID }
    }

    /// The journal entry stored in `row`, or `nil` when its payload cannot be read.
    private static func entry(of row: OutboxEntry) -> JournalEntry? {
        guard let fields = AlertJournalFields.decode(row.payload) else { return nil }
        return try? JournalEntry(validating: fields)
    }

    /// Sends the marker when due, then every alert to send, in commit order; stops at the
    /// first failure (the next try waits for the backoff).
    private func sendDue() async {
        guard !sending else { return }
        sending = true
        defer { sending = false }
        var delivered: [String] = []
        while failure.map({ ContinuousClock.now >= $0.due }) ?? true {
            if case .checking(let marker, nil) = readBack {
                do {
                    try await destination.deliver(markerEntry(marker))
                    sendSucceeded()
                    if case .checking(marker, nil) = readBack {
                        readBack = .checking(marker: marker, sentAt: .now)
                    }
                } catch {
                    sendFailed(error)
                }
                continue
            }
            guard let id = order.first(where: { pending[$0]?.sentAt == nil }), let item = pending[id] else {
                break
            }
            do {
                try await destination.deliver(item.entry)
                FaultPoint.send.reached()
                sendSucceeded()
                guard pending[id] != nil else { continue }
                pending[id]?.sentAt = .now
                pending[id]?.sends += 1
                if atLeastOnce || item.identity == nil { delivered.append(id) }
            } catch {
                sendFailed(error)
            }
        }
        if !delivered.isEmpty { await markDelivered(delivered) }
    }

    private func sendSucceeded() {
        guard let episode = failure else { return }
        failure = nil
        status.update { $0.sendFailure = nil }
        let seconds = Double((ContinuousClock.now - episode.since).components.seconds)
        StandardError.write(
            "extravasd: journald accepts entries again after \(Int(seconds)) s; "
                + "sending the \(pending.count) undelivered alert(s)")
    }

    private func sendFailed(_ error: any Error) {
        let now = ContinuousClock.now
        if var episode = failure {
            episode.attempts += 1
            let wait = timing.firstRetry * (1 << min(episode.attempts - 1, 20))
            episode.due = now + min(timing.retryCeiling, wait)
            failure = episode
            return
        }
        failure = FailureEpisode(since: now, attempts: 1, due: now + timing.firstRetry)
        let reason = "\(error)"
        status.update { $0.sendFailure = reason }
        StandardError.write(
            "extravasd: journal send failed: \(reason); \(pending.count) alert(s) stay in the outbox "
                + "and are sent again, up to \(timing.retryCeiling) apart, while extravasd runs")
    }

    private var atLeastOnce: Bool {
        switch readBack {
        case .notJournal, .unreadable: return true
        case .checking, .readable: return false
        }
    }

    private func markerEntry(_ marker: String) throws -> JournalEntry {
        let message =
            parked.isEmpty
            ? "extravasd checking that it reads its own journal entries back"
            : "extravasd reconciling \(parked.count) undelivered alert(s)"
        var entry = JournalEntry(
            message: message, priority: .info, messageID: AlertJournalFields.lifecycleMessageID,
            syslogIdentifier: AlertJournalFields.syslogIdentifier.1)
        try entry.append("EXTRAVASD_EVENT", parked.isEmpty ? "read_back_check" : "reconciling")
        try entry.append("EXTRAVASD_MARKER", marker)
        return entry
    }

    // MARK: - Reading back

    /// Whether something waits to be read back (the follower then looks more often).
    private var awaitsReadBack: Bool {
        if case .checking = readBack { return true }
        return pending.values.contains { $0.sends > 0 }
    }

    /// Entries of this process the follower read.
    private func saw(_ entries: [[String: String]]) async {
        var confirmed: [String] = []
        var markerSeen = false
        for entry in entries {
            if case .checking(let marker, _) = readBack, entry["EXTRAVASD_MARKER"] == marker {
                markerSeen = true
            }
            if let identity = OutboxEntryIdentity(fields: entry), let key = keys[identity],
                own.isOwnWhileRunning(entry), let item = pending[key], item.sends > 0
            {
                confirmed.append(key)
            }
        }
        if !confirmed.isEmpty { await confirm(confirmed) }
        if markerSeen { await markerReadable() }
    }

    /// While checking: the marker read back (looked up directly, in case the follower
    /// missed it), or its time is up.
    private func checkMarker() async {
        guard case .checking(let marker, let sentAt?) = readBack, let reader else { return }
        let match = ["EXTRAVASD_MARKER": marker, "_PID": own.identity.pid]
        if let found = try? await reader.entries(matching: match), !found.isEmpty {
            await markerReadable()
        } else if ContinuousClock.now - sentAt > timing.confirmWindow, case .checking(marker, _) = readBack {
            await journalUnreadable(
                "its marker entry was not readable within \(timing.confirmWindow) "
                    + "(no read access to the journal, or journald's MaxLevelStore= below info?)"
            )
        }
    }

    /// The marker is readable: alerts of an earlier process are reconciled.
    private func markerReadable() async {
        guard case .checking = readBack else { return }
        readBack = .readable
        let stored = parked
        parked = []
        guard !stored.isEmpty, let reader else { return }
        // Found in the journal: delivered, when written. The time matters only for an
        // alert whose reminder counts from it (one transaction each); the others together.
        var present: [String] = []
        var reminding: [(key: String, writtenAt: Int64)] = []
        for (index, row) in stored.enumerated() {
            do {
                if let writtenAt = try await deliveredBefore(row, reader: reader) {
                    if row.review?.remindsIfUnacknowledged == true {
                        reminding.append((row.alertID, writtenAt))
                    } else {
                        present.append(row.alertID)
                    }
                } else {
                    add(row)
                }
            } catch {
                for rest in stored[index...] { add(rest) }
                await journalUnreadable("reading the journal failed (\(error))")
                break
            }
        }
        for (key, writtenAt) in reminding { await markDelivered([key], writtenAt: writtenAt) }
        if !present.isEmpty { await markDelivered(present) }
        publish()
        await sendDue()
    }

    /// When an entry the daemon wrote (this process or an earlier one) with `row`'s
    /// MESSAGE_ID and alert id was written (its journal time); `nil` when there is none.
    private func deliveredBefore(_ row: OutboxEntry, reader: any JournalReading) async throws -> Int64? {
        guard let identity = Self.entry(of: row).flatMap(OutboxEntryIdentity.init) else { return nil }
        for entry in try await reader.entries(matching: identity.match)
        where try await isOwn(entry, reader: reader) {
            return entry["__REALTIME_TIMESTAMP"].flatMap { Int64($0) } ?? WallClock.now()
        }
        return nil
    }

    /// Sent alerts the follower has not shown: looked up by id (at most
    /// ``Timing/lookupsPerTurn`` a turn), and sent again when a look-up after
    /// ``Timing/confirmWindow`` does not find them. A look-up that fails sends nothing
    /// again (no evidence of a loss): the alert stays undelivered, reconciled at the next
    /// start at the latest.
    private func confirmOverdue() async {
        guard case .readable = readBack, let reader else { return }
        let now = ContinuousClock.now
        var confirmed: [String] = []
        var resent = 0
        var lookups = 0
        for id in order where lookups < timing.lookupsPerTurn {
            guard let item = pending[id], let identity = item.identity, let sentAt = item.sentAt,
                now - (item.lookedUpAt ?? sentAt) >= timing.lookupInterval
                    || now - sentAt >= timing.confirmWindow
            else { continue }
            lookups += 1
            pending[id]?.lookedUpAt = now
            let match = identity.match.merging(["_PID": own.identity.pid]) { $1 }
            guard let found = try? await reader.entries(matching: match) else { continue }
            if found.contains(where: own.isOwnWhileRunning) {
                confirmed.append(id)
            } else if now - sentAt >= timing.confirmWindow, pending[id]?.sentAt == sentAt {
                pending[id]?.sentAt = nil
                pending[id]?.lookedUpAt = nil
                resent += 1
            }
        }
        if !confirmed.isEmpty { await confirm(confirmed) }
        if resent > 0 {
            if !resendReported {
                resendReported = true
                StandardError.write(
                    "extravasd: \(resent) alert(s) sent to journald were not readable back within "
                        + "\(timing.confirmWindow) (dropped by journald?): sent again with the same alert id")
            }
            await sendDue()
        }
    }

    /// Alerts read back: delivered.
    private func confirm(_ ids: [String]) async {
        let known = ids.filter { pending[$0] != nil }
        guard !known.isEmpty else { return }
        await markDelivered(known)
        if resendReported && !pending.values.contains(where: { $0.sends > 1 }) { resendReported = false }
    }

    /// The daemon cannot read its own entries back: said once, then at-least-once delivery.
    private func journalUnreadable(_ reason: String) async {
        if case .unreadable = readBack { return }
        readBack = .unreadable
        status.update { $0.journalUnreadable = true }
        let message =
            "extravasd cannot read its own journal entries back: \(reason). Alerts are delivered at least once "
            + "(marked delivered once sent): after a crash one may be sent twice"
        StandardError.write("extravasd: " + String(message.dropFirst("extravasd ".count)))
        try? destination.send(
            DaemonEvent.fields(
                message, id: AlertJournalFields.lifecycleMessageID, priority: .critical,
                [("EXTRAVASD_EVENT", "journal_unreadable"), ("EXTRAVASD_REASON", reason)]))
        for entry in parked { add(entry) }
        parked = []
        let sent = order.filter { (pending[$0]?.sends ?? 0) > 0 }
        if !sent.isEmpty { await markDelivered(sent) }
    }

    // MARK: - Store and status

    /// Alerts delivered: out of the pending ones, and marked in the store with when they
    /// were written (by default now, on the wall clock).
    private func markDelivered(_ ids: [String], writtenAt: Int64 = WallClock.now()) async {
        for id in ids {
            if let identity = pending[id]?.identity, keys[identity] == id { keys[identity] = nil }
            pending[id] = nil
        }
        order.removeAll { pending[$0] == nil }
        publish()
        do {
            try await store.markDelivered(ids, writtenAt: writtenAt)
            FaultPoint.mark.reached()
        } catch {
            // They stay undelivered in the store: reconciled at the next start.
            StandardError.write("extravasd: marking \(ids.count) alert(s) delivered failed: \(error)")
        }
    }

    private func publish() {
        let undelivered = pending.count + parked.count
        status.update { $0.undelivered = undelivered }
    }

    private func nextTick() -> Duration {
        let now = ContinuousClock.now
        var next = now + .milliseconds(250)
        if let failure { next = min(next, failure.due) }
        if case .checking(_, _?) = readBack { next = min(next, now + .milliseconds(20)) }
        for item in pending.values {
            guard let sentAt = item.sentAt else { continue }
            next = min(
                next, (item.lookedUpAt ?? sentAt) + timing.lookupInterval, sentAt + timing.confirmWindow)
        }
        return max(.milliseconds(10), now.duration(to: next))
    }
}
