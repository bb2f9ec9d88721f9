import AlertOutput
import ArgumentParser
import Configuration
import Daemon
import Foundation
import HL7
import Logging
import ServiceLifecycle

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
            and STOPPING=1 on SIGTERM/SIGINT, then exits 0. Without a journald socket it says so \
            once and writes alerts to stderr as JSON lines. A configuration error exits 78 (the unit \
            does not restart on it).

            Examples:
              extravasd run --config /etc/extravasd/extravasd.yaml
              journalctl -f -x SYSLOG_IDENTIFIER=extravasd
            """
    )

    @Option(help: "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml, else built-in defaults).")
    var config: String?

    func run() async throws {
        let (configuration, key) = try ConfigurationSource.loadForCommand(option: config)
        let destination = JournaldDestination.detect()
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, destination: destination) }
        let logger = Logger(label: "extravasd")
        let settings = DaemonSettings(
            surveillance: EngineSetup.settings(configuration, identityKey: key),
            renderer: EngineSetup.renderer(configuration, identityKey: key), patterns: configuration.feeds.files,
            settle: .milliseconds(configuration.feeds.settleMilliseconds),
            limits: ParseLimits(
                maximumMessageBytes: configuration.limits.maxMessageBytes,
                maximumSegments: configuration.limits.maxSegments,
                maximumFieldBytes: configuration.limits.maxFieldBytes),
            stateDirectory: configuration.stateDirectory)
        let service = SurveillanceService(settings: settings, destination: destination, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch is CancellationError {
            // Graceful shutdown.
        } catch {
            FileHandle.standardError.write(Data("extravasd run: \(error)\n".utf8))
            throw ExitStatus.failure
        }
    }
}
