import AlertOutput
import ClinicalEvents
import FeedFollower
import Foundation
import HL7
import Journal
import Logging
import ServiceLifecycle
import StateStore
import Surveillance

/// The daemon's one long-running service: feed batches in, engine, one store transaction
/// per batch (checkpoints, engine state, alert outbox), then the outbox to journald.
///
/// Exactly once: an alert is in the outbox in the same transaction as the checkpoint
/// past its message, and is marked delivered only after `sd_journal_sendv`; at start,
/// undelivered entries are reconciled against the journal by `EXTRAVASD_ALERT_ID`
/// behind a barrier (a marker entry made readable first), so a crash between the send
/// and the mark never sends twice.
///
/// Its loops: the follower (a thread of its own), the engine (this task), the store (a
/// thread of its own) and the outbox (a child task). With `WATCHDOG_USEC` set, a
/// ``Watchdog`` pings while each makes progress. SIGHUP reloads the configuration
/// between two batches (`RELOADING=1`, then `READY=1`); a configuration that does not
/// load leaves the running one in place and says why in the journal.
public struct SurveillanceService: Service {
    let settings: DaemonSettings
    let reload: (@Sendable () throws -> DaemonSettings)?
    let destination: any AlertDestination
    let logger: Logger
    let notifier = SystemdNotifier()

    /// Creates the service. `reload` loads the configuration again (on SIGHUP); it throws
    /// an error whose description says what is wrong (file, line, column).
    public init(
        settings: DaemonSettings, reload: (@Sendable () throws -> DaemonSettings)? = nil,
        destination: any AlertDestination, logger: Logger
    ) {
        self.settings = settings
        self.reload = reload
        self.destination = destination
        self.logger = logger
    }

    /// Runs until graceful shutdown (SIGTERM/SIGINT through the ServiceGroup).
    public func run() async throws {
        // Opening the store blocks (file creation, WAL set-up, schema): off the cooperative pool.
        let directory = settings.stateDirectory
        let store = try await DedicatedThread.run {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            return try SQLiteStore(directory: directory)
        }
        let deadLetters = try DeadLetters(directory: settings.stateDirectory, rotation: settings.deadLetterRotation)
        let (savedState, persisted) = try await PersistedEngineState.load(from: store)
        lifecycle("started", "extravasd started")
        let reloads = ReloadRequests()
        let stall = LoopStall(loop: settings.stallOnSIGUSR1)
        let health = DaemonHealth()
        let outbox = OutboxQueue()
        let finalStatus = try await withThrowingTaskGroup(of: Void.self, returning: ServiceStatus.self) { group in
            group.addTask { await reloads.listen() }
            group.addTask { await stall.listen() }
            try await reconcile(store)
            let delivery = Task {
                await outbox.run(health: health.outbox, stall: stall) { entries in
                    await deliver(entries, store: store)
                }
            }
            if let interval = notifier.watchdogInterval {
                group.addTask { await pingStore(store, health: health.store, every: interval / 4) }
                group.addTask {
                    await Watchdog(
                        interval: interval, follower: health.follower,
                        others: [health.engine, health.store, health.outbox], notifier: notifier, logger: logger
                    ).run()
                }
            }
            let context = EngineContext(
                store: store, deadLetters: deadLetters, outbox: outbox, health: health, stall: stall, reloads: reloads)
            let status: ServiceStatus
            do {
                status = try await cancelWhenGracefulShutdown {
                    try await followAndProcess(savedState: savedState, persisted: persisted, context: context)
                }
            } catch {
                outbox.finish()
                group.cancelAll()
                throw error
            }
            // What was committed is delivered before the store closes.
            outbox.finish()
            await delivery.value
            group.cancelAll()
            return status
        }
        _ = try? notifier.notify(.status("stopping: " + finalStatus.line))
        _ = try? notifier.notify(.stopping)
        lifecycle("stopping", "extravasd stopping")
        await store.close()
    }

    /// What the engine loop works with.
    struct EngineContext: Sendable {
        let store: SQLiteStore
        let deadLetters: DeadLetters
        let outbox: OutboxQueue
        let health: DaemonHealth
        let stall: LoopStall
        let reloads: ReloadRequests
    }

    /// The engine loop: follows the feeds and handles every batch until cancelled; a reload
    /// that changes what is followed starts the follower again from the stored checkpoints.
    private func followAndProcess(
        savedState: SurveillanceState, persisted: PersistedEngineState, context: EngineContext
    ) async throws -> ServiceStatus {
        var persisted = persisted
        var current = settings
        var engine = SurveillanceEngine(settings: current.surveillance, state: savedState)
        var status = ServiceStatus()
        var announcedReady = false
        while !Task.isCancelled {
            let checkpoints = try await context.store.checkpoints().map(FollowerCheckpoint.init)
            let follower = FeedFollower(settings: followerSettings(current, context: context), checkpoints: checkpoints)
            var restart = false
            var statusSentAt = ContinuousClock.now - .seconds(1)
            for await batch in follower.batches() {
                if !announcedReady {
                    // The follower's first batch: its folders are watched, so whatever is
                    // written from now on is seen.
                    announcedReady = true
                    _ = try? notifier.notify(.ready, .status(status.line))
                    lifecycle("ready", "extravasd ready: following \(current.patterns.count) feed pattern(s)")
                }
                context.health.engine.begin()
                await context.stall.suspendIfStalled(.engine)
                try await process(
                    batch, engine: &engine, persisted: &persisted, status: &status, settings: current, context: context)
                // Committed: the follower may act on files this batch finished (after_read).
                follower.acknowledge(batch)
                if !batch.checkpoints.isEmpty { status.files = batch.checkpoints }
                if ContinuousClock.now - statusSentAt >= .milliseconds(250) {
                    statusSentAt = ContinuousClock.now
                    _ = try? notifier.notify(.status(status.line))
                }
                if context.reloads.take() {
                    if let new = await reloadConfiguration(running: current, status: status) {
                        engine = SurveillanceEngine(settings: new.surveillance, state: engine.state)
                        context.deadLetters.setRotation(new.deadLetterRotation)
                        restart = new.followsDifferently(from: current)
                        current = new
                    }
                }
                context.health.engine.end()
                if restart { break }
            }
            if !restart { break }
        }
        return status
    }

    private func followerSettings(_ settings: DaemonSettings, context: EngineContext) -> FollowerSettings {
        let follower = context.health.follower
        let stall = context.stall
        let idle = min(.seconds(1), (notifier.watchdogInterval ?? .seconds(4)) / 4)
        return FollowerSettings(
            patterns: settings.patterns, settle: settings.settle, rescanInterval: .seconds(2), limits: settings.limits,
            chunkSize: 256 * 1024, idleBatchInterval: idle,
            heartbeat: {
                stall.blockThreadIfStalled(.follower)
                follower.beat()
            }, rotationGrace: settings.rotationGrace, closeIdle: settings.manyFiles.closeIdle,
            afterRead: settings.manyFiles.afterRead, followSymlinks: settings.manyFiles.followSymlinks,
            maximumFiles: settings.manyFiles.maximumFiles)
    }

    /// One batch: feed events, the engine, one store transaction, then the alerts to the outbox.
    private func process(
        _ batch: FollowerBatch, engine: inout SurveillanceEngine, persisted: inout PersistedEngineState,
        status: inout ServiceStatus, settings: DaemonSettings, context: EngineContext
    ) async throws {
        // A file's events come before its messages in a batch: handle them first.
        for event in batch.events { feedEvent(event, deadLetters: context.deadLetters) }
        for error in batch.errors {
            logger.warning("feed problem", metadata: ["reason": "\(error)"])
            // Out of descriptors: the journal may be short of them too.
            if error.isResourceShortage { FileHandle.standardError.write(Data("extravasd: \(error)\n".utf8)) }
        }
        guard
            !batch.messages.isEmpty || !batch.events.isEmpty || !batch.released.isEmpty
                || !batch.checkpoints.isEmpty
        else { return }
        status.messages += batch.messages.count
        var outbox: [OutboxEntry] = []
        for followed in batch.messages {
            let source = MessageSource.file(followed.path, offset: followed.offset)
            switch followed.result {
            case .failure(let error):
                status.malformed += 1
                skip(source, offset: followed.offset, reason: error.description, bytes: followed.unreadableBytes,
                    deadLetters: context.deadLetters)
            case .success(let message):
                switch engine.process(message, source: source) {
                case .processed(let alerts):
                    for alert in alerts {
                        status.alerts += 1
                        let fields = AlertJournalFields.fields(alert, renderer: settings.renderer)
                        outbox.append(OutboxEntry(alertID: alert.id, payload: AlertJournalFields.encode(fields)))
                    }
                case .rejected(let rejection):
                    status.malformed += 1
                    skip(source, offset: followed.offset, reason: rejection.description, bytes: message.bytes,
                        deadLetters: context.deadLetters)
                case .duplicate:
                    status.resends += 1
                case .ignored:
                    break
                }
            }
        }
        do {
            // Only what changed in the engine state is written (see PersistedEngineState).
            let changes = try persisted.changes(to: engine.state, tracked: engine.takeChanges())
            try await context.store.commit(
                StoreBatch(
                    checkpoints: batch.checkpoints.map(FileCheckpoint.init),
                    engineState: changes.remainder, engineStateVersion: SurveillanceState.currentVersion,
                    outbox: outbox, removedCheckpoints: batch.released.map { FileCheckpoint($0).identity },
                    engineParts: changes.parts, removedEngineParts: changes.removed))
            persisted.committed(engine.state, remainder: changes.remainder)
        } catch {
            // Nothing of this batch is committed: stop, and let systemd restart the
            // daemon from the last checkpoint (no message is lost).
            storeFailure(error)
            throw error
        }
        if !outbox.isEmpty { context.outbox.submit(outbox) }
    }

    // MARK: - Reload

    /// Loads the configuration again: the new settings, or `nil` (the running ones stay)
    /// when it does not load or changes what cannot change while running.
    private func reloadConfiguration(running: DaemonSettings, status: ServiceStatus) async
        -> DaemonSettings?
    {
        _ = try? notifier.notify(.reloading)
        defer { _ = try? notifier.notify(.ready, .status(status.line)) }
        do {
            guard let reload else { throw ReloadFailure(reason: "no configuration to reload") }
            // Reading files blocks: off the cooperative pool.
            let new = try await DedicatedThread.run(reload)
            guard new.stateDirectory == running.stateDirectory else {
                throw ReloadFailure(
                    reason: "state_directory cannot change while running (\(running.stateDirectory) -> "
                        + "\(new.stateDirectory)); restart the service to move it")
            }
            let followerNote = new.followsDifferently(from: running) ? "; feeds are followed anew" : ""
            lifecycle(
                "reloaded",
                "extravasd reloaded its configuration from \(new.origin)\(followerNote)",
                extra: [("EXTRAVASD_CONFIG", new.origin)])
            return new
        } catch {
            let reason = "\(error)".split(separator: "\n").joined(separator: "; ")
            lifecycle(
                "reload_failed",
                "extravasd reload failed, the running configuration stays: \(reason)",
                extra: [("EXTRAVASD_REASON", reason)])
            return nil
        }
    }

    /// Why a configuration was not taken on reload (beyond its own errors).
    struct ReloadFailure: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    // MARK: - Store and outbox

    /// Takes the store's write lock and lets it go, every `interval`, for the watchdog.
    private func pingStore(_ store: SQLiteStore, health: LoopHealth, every interval: Duration) async {
        var failing = false
        while !Task.isCancelled {
            health.begin()
            do {
                try await store.ping()
                health.end()
                failing = false
            } catch {
                if !failing {
                    logger.warning("state store does not answer", metadata: ["reason": "\(error)"])
                    failing = true
                }
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Sends outbox entries, then marks them delivered.
    private func deliver(_ entries: [OutboxEntry], store: SQLiteStore) async {
        var delivered: [String] = []
        for entry in entries {
            guard let fields = AlertJournalFields.decode(entry.payload) else { continue }
            do {
                try destination.send(fields)
                delivered.append(entry.alertID)
            } catch {
                logger.error("journal send failed", metadata: ["alert_id": "\(entry.alertID)", "reason": "\(error)"])
            }
        }
        if !delivered.isEmpty { try? await store.markDelivered(delivered) }
    }

    /// Undelivered outbox entries from before a crash: those already in the journal are
    /// marked delivered, the others are sent. A marker entry is written first and waited
    /// for, so the journal read sees everything sent before the crash.
    private func reconcile(_ store: SQLiteStore) async throws {
        let pending = try await store.undeliveredAlerts()
        guard !pending.isEmpty else { return }
        guard destination.isJournal else {
            await deliver(pending, store: store)
            return
        }
        let marker = UUID().uuidString
        try? destination.send([
            ("MESSAGE", "extravasd reconciling \(pending.count) undelivered alert(s)"),
            ("MESSAGE_ID", AlertJournalFields.lifecycleMessageID), ("PRIORITY", "6"), ("SYSLOG_IDENTIFIER", "extravasd"),
            ("EXTRAVASD_EVENT", "reconciling"), ("EXTRAVASD_MARKER", marker),
        ])
        let reader = try await JournalReader()
        defer { reader.close() }
        for _ in 0..<200 {
            if try await !reader.entries(matching: ["EXTRAVASD_MARKER": marker]).isEmpty { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        var missing: [OutboxEntry] = []
        var present: [String] = []
        for entry in pending {
            if try await reader.entries(matching: ["EXTRAVASD_ALERT_ID": entry.alertID]).isEmpty {
                missing.append(entry)
            } else {
                present.append(entry.alertID)
            }
        }
        if !present.isEmpty { try await store.markDelivered(present) }
        await deliver(missing, store: store)
    }

    // MARK: - Events

    private func lifecycle(_ event: String, _ message: String, extra: [(String, String)] = []) {
        try? destination.send(
            [
                ("MESSAGE", message), ("MESSAGE_ID", AlertJournalFields.lifecycleMessageID), ("PRIORITY", "6"),
                ("SYSLOG_IDENTIFIER", "extravasd"), ("EXTRAVASD_EVENT", event),
            ] + extra)
    }

    /// A message that cannot be used: a journal entry naming source, offset and reason
    /// (never the message text), and its bytes to the dead letters.
    private func skip(_ source: MessageSource, offset: Int, reason: String, bytes: [UInt8], deadLetters: DeadLetters) {
        deadLetters.append(source: source.description, offset: offset, reason: reason, bytes: bytes)
        try? destination.send([
            ("MESSAGE", "Malformed HL7 message skipped at \(source): \(reason)"),
            ("MESSAGE_ID", AlertJournalFields.malformedMessageID), ("PRIORITY", "4"), ("SYSLOG_IDENTIFIER", "extravasd"),
            ("EXTRAVASD_SOURCE", source.description), ("EXTRAVASD_OFFSET", String(offset)), ("EXTRAVASD_REASON", reason),
        ])
    }

    private func feedEvent(_ event: FeedEvent, deadLetters: DeadLetters) {
        let (name, path): (String, String)
        switch event {
        case .opened(let value): (name, path) = ("opened", value)
        case .rotated(let value): (name, path) = ("rotated", value)
        case .truncated(let value): (name, path) = ("truncated", value)
        case .closed(let value): (name, path) = ("closed", value)
        case .orphanSegments(let value, let offset, let bytes):
            (name, path) = ("orphan_segments", value)
            deadLetters.append(
                source: "file:\(value):\(offset)", offset: offset, reason: "segment lines after a completed message",
                bytes: bytes)
        }
        try? destination.send([
            ("MESSAGE", "Feed \(path): \(name.replacingOccurrences(of: "_", with: " "))"),
            ("MESSAGE_ID", AlertJournalFields.feedEventMessageID), ("PRIORITY", "6"), ("SYSLOG_IDENTIFIER", "extravasd"),
            ("EXTRAVASD_EVENT", name), ("EXTRAVASD_SOURCE", "file:\(path)"),
        ])
    }

    private func storeFailure(_ error: any Error) {
        try? destination.send([
            ("MESSAGE", "extravasd state store failure: \(error)"),
            ("MESSAGE_ID", AlertJournalFields.storeFailureMessageID), ("PRIORITY", "3"), ("SYSLOG_IDENTIFIER", "extravasd"),
            ("EXTRAVASD_REASON", "\(error)"),
        ])
    }
}
