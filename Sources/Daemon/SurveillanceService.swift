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

/// The daemon's one long-running part: feed batches in, engine, one store transaction
/// per batch (checkpoints, engine state, alert outbox), then the outbox to journald.
///
/// Exactly once: an alert is in the outbox in the same transaction as the checkpoint
/// past its message, and is marked delivered only after `sd_journal_sendv`; at start,
/// undelivered entries are reconciled against the journal by `EXTRAVASD_ALERT_ID`
/// behind a barrier (a marker entry made readable first), so a crash between the send
/// and the mark never sends twice.
public struct SurveillanceService: Service {
    let settings: DaemonSettings
    let destination: any AlertDestination
    let logger: Logger
    let notifier = SystemdNotifier()

    /// Creates the service.
    public init(settings: DaemonSettings, destination: any AlertDestination, logger: Logger) {
        self.settings = settings
        self.destination = destination
        self.logger = logger
    }

    /// Runs until graceful shutdown (SIGTERM/SIGINT through the ServiceGroup).
    public func run() async throws {
        try FileManager.default.createDirectory(
            atPath: settings.stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let store = try SQLiteStore(directory: settings.stateDirectory)
        let deadLetters = try DeadLetters(directory: settings.stateDirectory)
        let savedState = try await loadState(store)
        lifecycle("started", "extravasd started")
        try await reconcile(store)
        let checkpoints = try await store.checkpoints().map(FollowerCheckpoint.init)
        let follower = FeedFollower(
            settings: FollowerSettings(
                patterns: settings.patterns, settle: settings.settle, rescanInterval: .seconds(2),
                limits: settings.limits, chunkSize: 256 * 1024),
            checkpoints: checkpoints)
        _ = try? notifier.notify(.ready, .status("following \(settings.patterns.joined(separator: " "))"))
        lifecycle("ready", "extravasd ready: following \(settings.patterns.count) feed pattern(s)")
        let finalStatus = try await cancelWhenGracefulShutdown { () async throws -> ServiceStatus in
            var engine = SurveillanceEngine(settings: settings.surveillance, state: savedState)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var status = ServiceStatus()
            var statusSentAt = ContinuousClock.now - .seconds(1)
            for await batch in follower.batches() {
                defer {
                    status.files = batch.checkpoints
                    if ContinuousClock.now - statusSentAt >= .milliseconds(250) {
                        statusSentAt = ContinuousClock.now
                        _ = try? notifier.notify(.status(status.line))
                    }
                }
                status.messages += batch.messages.count
                // A file's events come before its messages in a batch: handle them first.
                for event in batch.events { feedEvent(event, deadLetters: deadLetters) }
                for error in batch.errors {
                    logger.warning("feed problem", metadata: ["reason": "\(error)"])
                }
                var outbox: [OutboxEntry] = []
                for followed in batch.messages {
                    let source = MessageSource.file(followed.path, offset: followed.offset)
                    switch followed.result {
                    case .failure(let error):
                        status.malformed += 1
                        malformed(source: source, offset: followed.offset, reason: error.description)
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
                            malformed(source: source, offset: followed.offset, reason: rejection.description)
                            deadLetters.append(
                                source: source.description, offset: followed.offset, reason: rejection.description,
                                bytes: message.bytes)
                        case .duplicate:
                            status.resends += 1
                        case .ignored:
                            break
                        }
                    }
                    if case .failure(let error) = followed.result {
                        deadLetters.append(
                            source: source.description, offset: followed.offset, reason: error.description, bytes: [])
                    }
                }
                do {
                    try await store.commit(
                        StoreBatch(
                            checkpoints: batch.checkpoints.map(FileCheckpoint.init),
                            engineState: try encoder.encode(engine.state).map { $0 },
                            engineStateVersion: SurveillanceState.currentVersion, outbox: outbox,
                            removedCheckpoints: batch.released.map { FileCheckpoint($0).identity }))
                } catch {
                    // Nothing of this batch is committed: stop, and let systemd restart the
                    // daemon from the last checkpoint (no message is lost).
                    storeFailure(error)
                    throw error
                }
                await deliver(outbox, store: store)
            }
            return status
        }
        _ = try? notifier.notify(.status("stopping: " + finalStatus.line))
        _ = try? notifier.notify(.stopping)
        lifecycle("stopping", "extravasd stopping")
        await store.close()
    }

    private func loadState(_ store: SQLiteStore) async throws -> SurveillanceState {
        guard let saved = try await store.engineState() else { return SurveillanceState() }
        return try JSONDecoder().decode(SurveillanceState.self, from: Data(saved.bytes))
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

    private func lifecycle(_ event: String, _ message: String) {
        try? destination.send([
            ("MESSAGE", message), ("MESSAGE_ID", AlertJournalFields.lifecycleMessageID), ("PRIORITY", "6"),
            ("SYSLOG_IDENTIFIER", "extravasd"), ("EXTRAVASD_EVENT", event),
        ])
    }

    private func malformed(source: MessageSource, offset: Int, reason: String) {
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
