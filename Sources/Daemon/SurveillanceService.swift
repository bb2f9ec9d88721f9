import FeedIO
import AlertOutput
import ClinicalEvents
import EngineStorage
import FaultPoints
import FeedFollower
import Foundation
import HL7
import InputQuoting
import Journal
import Logging
import MLLP
import MLLPListener
import ServiceLifecycle
import StateStore
import Surveillance
import Threads

/// The daemon's one long-running service: feed batches in, engine, one store transaction
/// per batch (checkpoints, engine state, alert outbox), then the outbox to journald.
///
/// Exactly once: an alert is in the outbox in the same transaction as the checkpoint
/// past its message, and is marked delivered only once read back from the journal; a
/// failed send is retried while running, and at start undelivered entries are reconciled
/// against the daemon's own journal entries (``AlertDelivery``).
///
/// On-call review (``OnCallReview``, a task of its own with its journal follower's
/// thread): acknowledgements followed from the store's saved cursor, a reminder for each
/// critical alert nobody acknowledged, and episode suppressions that keep an
/// `extravasation_escalated` alert of a `not-extravasation` episode from the outbox
/// (decided here, per alert, before the commit; the engine's alert ids do not change).
///
/// Its loops: the follower (a thread of its own), the engine (this task), the store (a
/// thread of its own), the outbox and review (child tasks). With `WATCHDOG_USEC` set, a
/// ``Watchdog`` pings while each makes progress. SIGHUP reloads the configuration
/// between two batches (`RELOADING=1`, then `READY=1`); a configuration that does not
/// load leaves the running one in place and says why in the journal.
public struct SurveillanceService: Service {
    let settings: DaemonSettings
    let reload: (@Sendable () throws -> DaemonSettings)?
    let destination: ThreadedDestination
    let logger: Logger
    let openStore: @Sendable (String) throws -> any SurveillanceStore
    let reloads: ReloadRequests
    let notifier = SystemdNotifier()
    let deliveryStatus = DeliveryStatus()
    let reviewStatus = ReviewStatus()

    /// Creates the service. `reload` loads the configuration again (on SIGHUP, or when
    /// `reloads` is asked); it throws an error whose description says what is wrong
    /// (file, line, column). `openStore` opens the state store in the (prepared) state
    /// directory: SQLite by default (``openSQLiteStore(directory:)``).
    public init(
        settings: DaemonSettings, reload: (@Sendable () throws -> DaemonSettings)? = nil,
        destination: any AlertDestination, logger: Logger,
        reloads: ReloadRequests = ReloadRequests(),
        openStore: @escaping @Sendable (String) throws -> any SurveillanceStore = openSQLiteStore
    ) {
        self.settings = settings
        self.reload = reload
        self.destination = destination.threaded()
        self.logger = logger
        self.reloads = reloads
        self.openStore = openStore
    }

    /// The embedded store: `<directory>/extravasd.sqlite` (the default; the command line
    /// passes the PostgreSQL store's opener instead when the configuration's `store.kind`
    /// is `postgresql`).
    @Sendable public static func openSQLiteStore(directory: String) throws -> any SurveillanceStore {
        try SQLiteStore(directory: directory)
    }

    /// Runs until graceful shutdown (SIGTERM/SIGINT through the ServiceGroup).
    ///
    /// With ``DaemonSettings/leadership``, it stands by until it takes the lease (see
    /// ``standBy(_:_:)``), serves as the leader while it holds it, and stands by again
    /// when it loses it; at a clean stop it gives the lease up.
    public func run() async throws {
        guard let leadership = settings.leadership else {
            _ = try await serve(term: nil)
            return
        }
        let holder = LeaseHolderName.current()
        let election = try await DedicatedThread.run {
            try leadership.openElection(holder, leadership.leaseDuration)
        }
        defer { election.close() }
        while let lease = try await standBy(election, leadership) {
            lifecycle(
                "leader_acquired", "extravasd took leadership (fencing token \(lease.token))",
                extra: [("EXTRAVASD_TOKEN", String(lease.token))])
            let term = LeaderTerm(lease: lease, election: election, settings: leadership)
            guard let lost = try await serve(term: term) else {
                _ = try? await DedicatedThread.run { try election.release(lease) }
                return
            }
            lifecycle("leader_lost", "extravasd lost leadership: \(lost); standing by")
        }
    }

    /// Waits as a standby (`READY=1`, a `STATUS=` starting with `standby`, reading nothing,
    /// not listening for MLLP) until it takes the lease; `nil` at graceful shutdown. A
    /// store it cannot reach is said once per episode (`store_unreachable`, and on
    /// standard error) and tried again; a store that refuses it for good (a wrong password,
    /// no such database, a schema of a newer extravasd) stops the daemon with that error.
    private func standBy(_ election: any LeaderElection, _ leadership: LeadershipSettings) async throws
        -> Lease?
    {
        try await cancelWhenGracefulShutdown {
            var said: String?
            var unreachable = false
            while !Task.isCancelled {
                let line: String
                do {
                    if let lease = try await DedicatedThread.run({ try election.acquire() }) { return lease }
                    let holder = try await DedicatedThread.run { try election.current() }
                    line = "standby: leader " + (holder.map(LeaseHolderName.describe) ?? "none yet")
                    if said != line && (said == nil || unreachable) {
                        lifecycle("standby", "extravasd standing by (\(line.dropFirst("standby: ".count)))")
                    }
                    unreachable = false
                } catch {
                    guard Self.isTransient(error) else { throw error }
                    if !unreachable {
                        lifecycle("store_unreachable", "extravasd cannot reach the state store: \(error)")
                        StandardError.write(
                            "extravasd: cannot reach the state store, standing by and trying again: \(error)")
                        unreachable = true
                    }
                    line = "standby: store unreachable: \(error)"
                }
                if said != line {
                    _ = try? notifier.notify(.ready, .status(line))
                    said = line
                }
                try? await Task.sleep(for: leadership.pollInterval)
            }
            return nil
        }
    }

    /// Whether a store failure may pass (the server unreachable, restarting, its
    /// connection lost), rather than a refusal that waiting does not mend: a login refused
    /// (SQLSTATE class 28), a database that does not exist (3D), any other error.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? StateStoreError, error.code == .cannotConnect else { return false }
        guard let state = error.sqlState else { return true }
        return state.hasPrefix("08") || state.hasPrefix("57")
    }

    /// Serves: follows, processes, commits and delivers until graceful shutdown (returns
    /// `nil`) or, in a leader's `term`, until leadership is lost (returns why: the lease
    /// was taken over or could not be renewed, or a commit was fenced).
    private func serve(term: LeaderTerm?) async throws -> String? {
        // Opening the store blocks (directory and file creation, WAL set-up, schema): off
        // the cooperative pool.
        let directory = settings.stateDirectory
        let openStore = self.openStore
        let store = try await DedicatedThread.run {
            try StateDirectory.prepare(directory)
            return try openStore(directory)
        }
        let deadLetters = try DeadLetters(
            directory: settings.stateDirectory, rotation: settings.deadLetterRotation)
        await store.fence(with: term?.lease)
        let (savedState, persisted) = try await PersistedEngineState.load(from: store)
        lifecycle("started", "extravasd started")
        // One input stream for the engine: the follower's batches and the listener's.
        let (inputs, inputContinuation) = AsyncStream.makeStream(of: EngineInput.self)
        let inbox = MLLPInbox()
        let listener = try await startListener(inputs: inputContinuation, inbox: inbox)
        let reloads = self.reloads
        let stall = LoopStall(loop: settings.stallOnSIGUSR1)
        let health = DaemonHealth()
        let outbox = OutboxQueue()
        let suppressions = EpisodeSuppressions()
        let (finalStatus, lost) = try await withThrowingTaskGroup(
            of: Void.self, returning: (ServiceStatus, String?).self
        ) {
            group in
            group.addTask { await reloads.listen() }
            group.addTask { await stall.listen() }
            let alertDelivery = AlertDelivery(
                destination: destination, store: store, timing: .init(confirmWindow: settings.confirmWindow),
                status: deliveryStatus)
            try await alertDelivery.start()
            let onCallReview = OnCallReview(
                store: store, readBack: destination.readBack, outbox: outbox, suppressions: suppressions,
                status: reviewStatus, delivery: deliveryStatus, settings: settings.onCallReview,
                logger: logger)
            try await onCallReview.start()
            let delivery = Task {
                await alertDelivery.run(outbox: outbox, health: health.outbox, stall: stall)
            }
            let review = Task { await onCallReview.run(health: health.review, stall: stall) }
            if let interval = notifier.watchdogInterval {
                group.addTask { await pingStore(store, health: health.store, every: interval / 4) }
                group.addTask {
                    await Watchdog(
                        interval: interval, follower: health.follower,
                        others: [health.engine, health.store, health.outbox, health.review],
                        notifier: notifier,
                        logger: logger
                    ).run()
                }
            }
            let context = EngineContext(
                store: store, deadLetters: deadLetters, outbox: outbox, health: health, stall: stall,
                reloads: reloads, letterWriter: DeadLetterWriter(deadLetters, sharingThreadOf: store),
                suppressions: suppressions, review: onCallReview, mllpInbox: inbox)
            var status = ServiceStatus(delivery: deliveryStatus, review: reviewStatus)
            var lost: String?
            do {
                (status, lost) = try await cancelWhenGracefulShutdown {
                    try await followUnlessLost(term) {
                        try await followAndProcess(
                            savedState: savedState, persisted: persisted, context: context,
                            inputs: (inputs, inputContinuation))
                    }
                }
            } catch let error as StateStoreError where error.code == .fenced && term != nil {
                lost = "a commit was refused: another instance took leadership over"
            } catch let error as StateStoreError
                where term != nil && [.cannotConnect, .closed].contains(error.code)
            {
                // The shared store went away (a restart, a failover of the database): nothing
                // of the batch was committed. Standing by, this instance takes the lease
                // again once the store is back (or another instance does): it pauses and
                // resumes from the last committed checkpoints, with no restart by systemd.
                lost = "the state store is unreachable (\(error))"
            } catch {
                await listener?.shutdown()
                review.cancel()
                outbox.finish()
                group.cancelAll()
                throw error
            }
            // The acknowledgements of what was committed are written, then connections close.
            await listener?.shutdown()
            // Review commits reminders to the outbox: it stops first. What was committed
            // is delivered before the store closes.
            review.cancel()
            await review.value
            outbox.finish()
            await delivery.value
            group.cancelAll()
            return (status, lost)
        }
        if lost == nil {
            _ = try? notifier.notify(.status("stopping: " + finalStatus.line))
            _ = try? notifier.notify(.stopping)
            lifecycle("stopping", "extravasd stopping")
        }
        await destination.flush()
        await store.close()
        return lost
    }

    /// Runs `follow` (the engine loop) and, in a leader's `term`, keeps the lease beside
    /// it: when the lease is lost, the engine loop is cancelled (it stops between two
    /// batches) and the loss is returned with its status.
    private func followUnlessLost(
        _ term: LeaderTerm?, _ follow: @escaping @Sendable () async throws -> ServiceStatus
    ) async throws -> (ServiceStatus, String?) {
        guard let term else { return (try await follow(), nil) }
        enum Outcome: Sendable {
            case followed(ServiceStatus)
            case lost(String?)
        }
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask { .followed(try await follow()) }
            group.addTask { .lost(await term.keep()) }
            var status: ServiceStatus?
            var lost: String?
            while let outcome = try await group.next() {
                switch outcome {
                case .followed(let followed):
                    status = followed
                    group.cancelAll()
                case .lost(let reason?):
                    lost = reason
                    group.cancelAll()
                case .lost(nil):
                    break
                }
            }
            return (status ?? ServiceStatus(delivery: deliveryStatus, review: reviewStatus), lost)
        }
    }

    /// What the engine loop works with.
    struct EngineContext: Sendable {
        let store: any SurveillanceStore
        let deadLetters: DeadLetters
        let outbox: OutboxQueue
        let health: DaemonHealth
        let stall: LoopStall
        let reloads: ReloadRequests
        let implausibleTimes = ImplausibleTimes()
        /// Writes the dead letters on the store's thread.
        let letterWriter: DeadLetterWriter
        /// The episodes whose escalations are not written.
        let suppressions: EpisodeSuppressions
        /// On-call review (takes new settings on reload).
        let review: OnCallReview
        /// The MLLP batches waiting for the engine.
        let mllpInbox: MLLPInbox
    }

    /// Starts the MLLP listener when `mllp.enabled`: its batches go to `inbox`, and the
    /// engine is rung through `inputs` when the inbox was empty.
    private func startListener(inputs: AsyncStream<EngineInput>.Continuation, inbox: MLLPInbox) async throws
        -> MLLPListener?
    {
        guard let mllp = settings.mllp else { return nil }
        let listener = try await MLLPListener(settings: mllp) { batch in
            if inbox.put(batch) { inputs.yield(.mllp) }
        }
        lifecycle(
            "mllp_listening",
            "extravasd listening for MLLP on \(mllp.host) port \(listener.port ?? mllp.port)",
            extra: [("EXTRAVASD_PORT", String(listener.port ?? mllp.port))])
        return listener
    }

    /// The engine loop: follows the feeds and handles every input (follower batch, MLLP
    /// batch) until cancelled; a reload that changes what is followed starts the follower
    /// again from the stored checkpoints.
    private func followAndProcess(
        savedState: SurveillanceState, persisted: PersistedEngineState, context: EngineContext,
        inputs: (stream: AsyncStream<EngineInput>, continuation: AsyncStream<EngineInput>.Continuation)
    ) async throws -> ServiceStatus {
        var persisted = persisted
        var current = settings
        var engine = SurveillanceEngine(settings: current.surveillance, state: savedState)
        engine.pagedState = StoredStateSource(reader: try context.store.partReader())
        var status = ServiceStatus(delivery: deliveryStatus, review: reviewStatus)
        status.mllpListening = settings.mllp != nil
        var announcedReady = false
        // One iterator for the daemon's life (ending an AsyncStream's iteration ends it).
        var iterator = inputs.stream.makeAsyncIterator()
        var generation = 0
        var pump: Task<Void, Never>?
        defer { pump?.cancel() }
        while !Task.isCancelled {
            let checkpoints = try await context.store.checkpoints().map(FollowerCheckpoint.init)
            let follower = FeedFollower(
                settings: followerSettings(current, context: context), checkpoints: checkpoints)
            generation += 1
            pump = Self.pump(follower, generation: generation, into: inputs.continuation)
            var restart = false
            var statusSentAt = ContinuousClock.now - .seconds(1)
            var memory = FreedMemoryRelease()
            inputLoop: while let input = await iterator.next() {
                var batch = FollowerBatch()
                var mllp: MLLPBatch?
                var receipt: HandledReceipt?
                switch input {
                case .follower(let followed, let batchGeneration, let handled):
                    guard batchGeneration == generation else {
                        handled.signal()
                        continue inputLoop
                    }
                    batch = followed
                    receipt = handled
                case .followerEnded(let endedGeneration):
                    if endedGeneration == generation { break inputLoop }
                    continue inputLoop
                case .mllp:
                    guard let waiting = context.mllpInbox.takeAll() else { continue inputLoop }
                    mllp = waiting
                }
                if receipt != nil && !announcedReady {
                    // The follower's first batch: its folders are watched, so whatever is
                    // written from now on is seen.
                    announcedReady = true
                    _ = try? notifier.notify(.ready, .status(status.line))
                    lifecycle("ready", "extravasd ready: following \(current.patterns.count) feed pattern(s)")
                }
                context.health.engine.begin()
                FaultPoint.read.reached()
                await context.stall.suspendIfStalled(.engine)
                do {
                    try await process(
                        batch, mllp: mllp, engine: &engine, persisted: &persisted, status: &status,
                        settings: current, context: context)
                } catch {
                    receipt?.signal()
                    throw error
                }
                if let receipt {
                    // Committed: the follower may act on files this batch finished (after_read).
                    follower.acknowledge(batch)
                    status.follow(batch)
                    receipt.signal()
                }
                if ContinuousClock.now - statusSentAt >= .milliseconds(250) {
                    statusSentAt = ContinuousClock.now
                    _ = try? notifier.notify(.status(status.line))
                }
                if context.reloads.take() {
                    if let new = await reloadConfiguration(running: current, status: status) {
                        engine.settings = new.surveillance
                        await context.review.update(new.onCallReview)
                        context.deadLetters.setRotation(new.deadLetterRotation)
                        restart = new.followsDifferently(from: current)
                        current = new
                    }
                }
                memory.afterWork()
                context.health.engine.end()
                if restart { break }
            }
            pump?.cancel()
            if !restart { break }
        }
        return status
    }

    /// Hands `follower`'s batches to the engine's input stream, one at a time: the next is
    /// taken from the follower once the engine handled the last (the follower's own
    /// backpressure stays).
    private static func pump(
        _ follower: FeedFollower, generation: Int, into inputs: AsyncStream<EngineInput>.Continuation
    ) -> Task<Void, Never> {
        Task {
            for await batch in follower.batches() {
                let receipt = HandledReceipt()
                await receipt.wait {
                    inputs.yield(.follower(batch, generation: generation, receipt: receipt))
                }
                if Task.isCancelled { break }
            }
            inputs.yield(.followerEnded(generation: generation))
        }
    }

    private func followerSettings(_ settings: DaemonSettings, context: EngineContext) -> FollowerSettings {
        let follower = context.health.follower
        let stall = context.stall
        let idle = min(.seconds(1), (notifier.watchdogInterval ?? .seconds(4)) / 4)
        return FollowerSettings(
            patterns: settings.patterns, settle: settings.settle, rescanInterval: .seconds(2),
            limits: settings.limits,
            chunkSize: 256 * 1024, idleBatchInterval: idle,
            heartbeat: {
                stall.blockThreadIfStalled(.follower)
                follower.beat()
            }, rotationGrace: settings.rotationGrace, closeIdle: settings.manyFiles.closeIdle,
            afterRead: settings.manyFiles.afterRead, followSymlinks: settings.manyFiles.followSymlinks,
            maximumFiles: settings.manyFiles.maximumFiles)
    }

    /// One batch: feed events, the engine, one store transaction, then the alerts to the
    /// outbox. The messages of an MLLP batch (`mllp`) are each completed (their
    /// acknowledgement sent) once that transaction is committed, or with an error when it
    /// cannot be.
    private func process(
        _ batch: FollowerBatch, mllp: MLLPBatch? = nil, engine: inout SurveillanceEngine,
        persisted: inout PersistedEngineState, status: inout ServiceStatus, settings: DaemonSettings,
        context: EngineContext
    ) async throws {
        // A file's events come before its messages in a batch: handle them first.
        var setAside = SetAsideInput()
        for event in batch.events { setAside.feedEvent(event) }
        for event in mllp?.events ?? [] { setAside.mllpEvent(event) }
        status.follow(mllp?.events ?? [])
        let received = mllp?.messages ?? []
        for error in batch.errors {
            logger.warning("feed problem", metadata: ["reason": "\(error)"])
            // Out of descriptors: the journal may be short of them too.
            if error.isResourceShortage { StandardStreams.writeError("extravasd: \(error)\n") }
        }
        guard
            !batch.messages.isEmpty || !batch.events.isEmpty || !batch.released.isEmpty
                || !batch.checkpoints.isEmpty || !received.isEmpty
        else {
            // MLLP connection events alone: nothing to commit.
            for entry in setAside.entries { try? destination.send(entry) }
            await destination.waitForRoom()
            return
        }
        status.messages += batch.messages.count + received.count
        engine.clockCeiling = settings.clockCeiling()
        var outbox: [CommittedAlert] = []
        var suppressedNotes: [[(String, String)]] = []
        let now = WallClock.now()
        /// The engine takes one message; what its acknowledgement will say once committed.
        func handle(_ message: Message, source: MessageSource, offset: Int, origin: String) throws
            -> AcknowledgementOutcome
        {
            var outcome = AcknowledgementOutcome.committed
            switch engine.process(message, source: source) {
            case .processed(let alerts):
                for alert in alerts {
                    let review = OutboxReviewFacts(
                        alert: alert, identityKey: settings.surveillance.identityKey)
                    if let suppression = context.suppressions.suppression(
                        of: alert, review: review, at: now)
                    {
                        status.suppressed += 1
                        suppressedNotes.append(
                            SuppressedEscalation.fields(alert, review: review, suppression))
                        continue
                    }
                    status.alerts += 1
                    let fields = AlertJournalFields.fields(alert, renderer: settings.renderer)
                    outbox.append(
                        CommittedAlert(
                            row: OutboxEntry(
                                alertID: alert.id, payload: AlertJournalFields.encode(fields),
                                review: review),
                            entry: try JournalEntry(validating: fields)))
                }
            case .rejected(let rejection):
                status.malformed += 1
                setAside.malformed(
                    source, offset: offset, reason: rejection.description, bytes: message.bytes)
                outcome = .rejected(
                    AcknowledgementProblem(.requiredFieldMissing, reason: rejection.description))
            case .duplicate:
                status.resends += 1
            case .ignored:
                break
            }
            if engine.lastMessageTimeImplausible {
                reportImplausibleTime(origin, reports: context.implausibleTimes)
            }
            return outcome
        }
        // From a store on a server, the records the batch needs are read in one round trip
        // (not one per message).
        if engine.pagedState?.readsManyAtOnce == true {
            var messages: [Message] = []
            for followed in batch.messages {
                if case .success(let message) = followed.result { messages.append(message) }
            }
            for message in received {
                if case .message(let parsed) = message.received { messages.append(parsed) }
            }
            engine.readRecords(for: messages)
        }
        for followed in batch.messages {
            let source = MessageSource.file(followed.path, offset: followed.offset)
            switch followed.result {
            case .failure(let error):
                status.malformed += 1
                setAside.malformed(
                    source, offset: followed.offset, reason: error.description,
                    bytes: followed.unreadableBytes, length: error.messageLength)
            case .success(let message):
                _ = try handle(message, source: source, offset: followed.offset, origin: followed.path)
            }
        }
        // MLLP messages: unreadable ones are dead-lettered (without the engine) and rejected.
        var answers: [AcknowledgementOutcome] = []
        for message in received {
            let source = MessageSource.mllp(message.peer)
            switch message.received {
            case .unreadable(let reason, let bytes, let length):
                status.malformed += 1
                setAside.malformed(source, offset: 0, reason: reason, bytes: bytes, length: length)
                let condition: AcknowledgementErrorCondition =
                    length > bytes.count ? .applicationInternalError : .segmentSequenceError
                answers.append(.rejected(AcknowledgementProblem(condition, reason: reason)))
            case .message(let parsed):
                answers.append(try handle(parsed, source: source, offset: 0, origin: source.description))
            }
        }
        /// The batch cannot be committed: every MLLP message is answered with an error.
        func notProcessed() {
            let problem = AcknowledgementProblem(
                .applicationInternalError, reason: "the message could not be stored; send it again")
            for message in received { message.complete(.notProcessed(problem)) }
        }
        // A record or identity that could not be read from the store: what the engine did
        // may be wrong, so nothing of the batch is committed (as for a failed commit).
        if let failure = engine.pagingFailure {
            notProcessed()
            storeFailure(failure)
            throw failure
        }
        // Dead letters are on disk before the checkpoint past them is committed; one that
        // cannot be written fails the batch as a failed commit does.
        let receipt: DeadLetterReceipt
        do {
            receipt =
                setAside.letters.isEmpty
                ? DeadLetterReceipt(files: []) : try await context.letterWriter.write(setAside.letters)
        } catch {
            notProcessed()
            storeFailure(error)
            throw error
        }
        for entry in setAside.entries { try? destination.send(entry) }
        // At journald's pace: a flood of malformed messages queues no more than a batch's
        // entries beyond the bound (the queue's memory stays bounded).
        await destination.waitForRoom()
        do {
            // Only what changed in the engine state is written (see PersistedEngineState).
            let changes = try persisted.changes(to: engine.state, tracked: engine.takeChanges()) {
                engine.pruneDue(of: $0)
            }
            try await context.store.commit(
                StoreBatch(
                    checkpoints: batch.checkpoints.map(FileCheckpoint.init),
                    engineState: changes.remainder, engineStateVersion: SurveillanceState.currentVersion,
                    outbox: outbox.map(\.row),
                    removedCheckpoints: batch.released.map { FileCheckpoint($0).identity },
                    engineParts: changes.parts, removedEngineParts: changes.removed))
            FaultPoint.commit.reached()
            persisted.committed(remainder: changes.remainder)
            // Committed: records and identities past the cache may go (read again when needed).
            engine.evict(keepingBytes: settings.stateCacheBytes)
        } catch {
            // Nothing of this batch is committed: stop, and let systemd restart the
            // daemon from the last checkpoint (no message is lost; its dead letters are
            // withdrawn, to be written once when it is read again).
            await context.letterWriter.withdraw(receipt)
            notProcessed()
            storeFailure(error)
            throw error
        }
        // Committed: now, and only now, the MLLP messages are acknowledged.
        for (message, answer) in zip(received, answers) { message.complete(answer) }
        if !outbox.isEmpty { context.outbox.submit(outbox) }
        for note in suppressedNotes { try? destination.send(note) }
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
                    reason: "state_directory cannot change while running "
                        + "(\(quoted(running.stateDirectory)) -> \(quoted(new.stateDirectory))); "
                        + "restart the service to move it")
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
    private func pingStore(_ store: any SurveillanceStore, health: LoopHealth, every interval: Duration) async
    {
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

    // MARK: - Events

    private func lifecycle(_ event: String, _ message: String, extra: [(String, String)] = []) {
        try? destination.send(
            DaemonEvent.fields(
                message, id: AlertJournalFields.lifecycleMessageID, priority: .info,
                [("EXTRAVASD_EVENT", event)] + extra))
    }

    private func storeFailure(_ error: any Error) {
        try? destination.send(
            DaemonEvent.fields(
                "extravasd state store failure: \(error)", id: AlertJournalFields.storeFailureMessageID,
                priority: .error, [("EXTRAVASD_REASON", "\(error)")]))
    }
}
