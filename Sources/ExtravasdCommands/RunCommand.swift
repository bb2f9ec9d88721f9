import FeedIO
import AlertOutput
import ArgumentParser
import Configuration
import Daemon
import FeedFollower
import Foundation
import HL7
import Journal
import Logging
import ServiceLifecycle
import StateStore
import MLLPListener

/// `extravasd run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Follow the configured feeds and raise alerts to journald (the daemon).",
        discussion: """
            Follows the files matching feeds.files (new files are picked up while running), \
            runs every message through the surveillance rules, and writes each alert to journald \
            the moment it is known, exactly once across restarts and crashes (state, checkpoints \
            and an alert outbox in SQLite under state_directory).

            Under systemd (Type=notify) it says READY=1 once state is loaded and feeds are open, \
            and STOPPING=1 on SIGTERM/SIGINT, then exits 0. STATUS= shows counters and, per feed \
            file, the offset read to and the lag in bytes. With WatchdogSec= it sends WATCHDOG=1 \
            while the follower, engine, store and outbox loops each make progress. SIGHUP \
            (systemctl reload) loads the configuration again between two batches: RELOADING=1, \
            then READY=1; a configuration with errors leaves the running one in place and the \
            journal says why (EXTRAVASD_EVENT=reload_failed). state_directory cannot change \
            without a restart. Without a journald socket it says so \
            once and writes alerts to stderr as JSON lines. A configuration error exits 78 (the unit \
            does not restart on it).

            On-call review: the daemon follows acknowledgements (extravasd ack) in the journal, \
            from where it stood at the last stop. A critical alert nobody acknowledged within \
            reminders.after_minutes of being written is raised once more (MESSAGE_ID \
            38645c32a78b44dd9deb93a9e58354d3, PRIORITY 1, EXTRAVASD_REMINDER=1), across restarts. \
            A not-extravasation acknowledgement keeps the escalations of that episode from the \
            journal for reminders.suppress_hours (a new episode, or a higher severity, still \
            alerts). Only acknowledgements written by root or a member of review.group count.

            Examples:
              extravasd run --config /etc/extravasd/extravasd.yaml
              journalctl -f -x SYSLOG_IDENTIFIER=extravasd
            """
    )

    @Option(
        help:
            "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml, else built-in defaults)."
    )
    var config: String?

    func run() async throws {
        // Until the reload handler listens, a SIGHUP (systemctl reload during start-up)
        // must not kill the daemon: ignored from the first moment.
        signal(SIGHUP, SIG_IGN)
        // Whatever the daemon creates (state directory, database, WAL/SHM, dead letters)
        // holds PHI: private from the moment it exists, also outside the unit's UMask=.
        umask(0o077)
        let (configuration, key) = try ConfigurationSource.loadForCommand(option: config)
        // Every journald send runs on one dedicated thread (never Swift's cooperative pool).
        let destination = JournaldDestination.detect().threaded()
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, destination: destination) }
        let logger = Logger(label: "extravasd")
        for warning in configuration.warnings { logger.warning("\(warning)") }
        // The stall hook of the daemon's tests (LoopStall) exists in debug builds only.
        #if DEBUG
            let stall = ProcessInfo.processInfo.environment["EXTRAVASD_TEST_STALL_ON_SIGUSR1"].flatMap(
                DaemonLoop.init)
        #else
            let stall: DaemonLoop? = nil
        #endif
        let origin = Self.origin(option: config)
        let settings = Self.settings(configuration, identityKey: key, origin: origin, stall: stall)
        let option = config
        let service = SurveillanceService(
            settings: settings,
            reload: {
                let loaded = try ConfigurationSource.load(option: option)
                let key = try EngineSetup.identityKey(loaded.configuration)
                return Self.settings(
                    loaded.configuration, identityKey: key, origin: loaded.origin, stall: stall)
            }, destination: destination, logger: logger,
            openStore: StoreOpening.opener(for: configuration.store))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch is CancellationError {
            // Graceful shutdown.
        } catch let error as MLLPTLSError {
            // TLS files the listener cannot use: a configuration error (78: not restarted).
            await destination.flush()
            StandardStreams.writeError("extravasd run: \(error)\n")
            throw ExitStatus.configuration
        } catch let error as StateStoreError where error.code == .corrupt {
            // A damaged store: restarting cannot mend it (the unit does not restart on 65).
            await destination.flush()
            StandardStreams.writeError("extravasd run: \(error)\n")
            throw ExitStatus.dataError
        } catch {
            await destination.flush()
            StandardStreams.writeError("extravasd run: \(error)\n")
            throw ExitStatus.failure
        }
        await destination.flush()
    }

    /// Where the configuration is read from, for messages.
    static func origin(option: String?) -> String {
        option ?? ProcessInfo.processInfo.environment["EXTRAVASD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ConfigurationLoader.defaultPath
    }

    /// The daemon's settings from a loaded configuration.
    static func settings(
        _ configuration: ExtravasdConfiguration, identityKey key: [UInt8]?, origin: String, stall: DaemonLoop?
    ) -> DaemonSettings {
        var settings = DaemonSettings(
            surveillance: EngineSetup.settings(configuration, identityKey: key),
            renderer: EngineSetup.renderer(configuration, identityKey: key),
            patterns: configuration.feeds.files,
            settle: .milliseconds(configuration.feeds.settleMilliseconds),
            rotationGrace: .milliseconds(configuration.feeds.rotationGraceMilliseconds),
            limits: ParseLimits(
                maximumMessageBytes: configuration.limits.maxMessageBytes,
                maximumSegments: configuration.limits.maxSegments,
                maximumFieldBytes: configuration.limits.maxFieldBytes),
            stateDirectory: configuration.stateDirectory,
            deadLetterRotation: DeadLetters.Rotation(
                maximumBytes: configuration.limits.deadLetterMaxBytes,
                keptFiles: configuration.limits.deadLetterFiles),
            origin: origin, stallOnSIGUSR1: stall,
            confirmWindow: .milliseconds(configuration.delivery.confirmMilliseconds),
            clockMaxSkewSeconds: Int64(configuration.clock.maxSkewSeconds))
        let afterRead: AfterRead =
            switch configuration.feeds.afterRead {
            case .keep: .keep
            case .delete: .delete
            case .move(let folder): .move(folder: folder)
            }
        if configuration.mllp.enabled, let host = configuration.mllp.host, let port = configuration.mllp.port
        {
            settings.mllp = MLLPListenerSettings(
                host: host, port: port,
                maximumFrameBytes: configuration.mllp.maxFrameBytes ?? configuration.limits.maxMessageBytes,
                maximumConnections: configuration.mllp.maxConnections,
                idleTimeout: .milliseconds(configuration.mllp.idleTimeoutMilliseconds),
                allow: configuration.mllp.allowedPeers,
                limits: settings.limits,
                tls: configuration.mllp.tlsSettings)
        }
        settings.manyFiles = DaemonSettings.ManyFiles(
            closeIdle: .milliseconds(configuration.feeds.closeIdleMilliseconds), afterRead: afterRead,
            followSymlinks: configuration.feeds.followSymlinks, maximumFiles: configuration.limits.maxFiles)
        settings.stateCacheBytes = configuration.limits.stateCacheBytes
        settings.onCallReview = OnCallReviewSettings(
            reminderMinutes: configuration.reminders.afterMinutes,
            suppression: configuration.reminders.suppression, group: configuration.review.group)
        settings.leadership = StoreOpening.leadership(for: configuration)
        return settings
    }
}
