import FeedIO
import ArgumentParser
import Configuration
import Foundation
import MLLPListener

/// `extravasd check-config`: validate the configuration and the catalogs it names.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration file and the drug/observation catalogs.",
        discussion: """
            Every problem is printed on stderr as FILE:LINE:COLUMN: error: REASON (an unknown key \
            is an error: a typo must never silently keep a default) and the exit status is 78. A \
            valid configuration prints a one-line summary on stdout and exits 0; settings of features \
            not implemented yet, if any, are each printed as \
            FILE:LINE:COLUMN: warning: REASON on stderr (the exit status stays 0). Under phi: \
            pseudonymized or minimal, the key file pseudonym.key beside the configuration file must \
            hold at least 32 bytes and be readable by its owner only. With mllp.tls_certificate and \
            mllp.tls_key, both PEM files are read as the listener will read them (and \
            mllp.tls_client_ca), and a key that does not match the certificate is an error.

            Examples:
              extravasd check-config --config /etc/extravasd/extravasd.yaml
              EXTRAVASD_CONFIG=./tuned.yaml extravasd check-config
            """
    )

    @Option(help: "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml).")
    var config: String?

    func run() throws {
        let loaded: ConfigurationSource.Loaded
        do {
            loaded = try ConfigurationSource.load(option: config)
            _ = try EngineSetup.identityKey(loaded.configuration)
        } catch {
            ConfigurationSource.report(error)
            throw ExitStatus.configuration
        }
        let configuration = loaded.configuration
        if let tls = configuration.mllp.tlsSettings {
            do {
                try MLLPTLSContext.validate(tls)
            } catch {
                StandardStreams.writeError("\(loaded.origin): error: \(error)\n")
                throw ExitStatus.configuration
            }
        }
        for warning in configuration.warnings {
            StandardStreams.writeError("\(warning)\n")
        }
        let entries = configuration.catalog.entries
        let mllp =
            configuration.mllp.enabled
            ? "on \(configuration.mllp.listen)" + (configuration.mllp.usesTLS ? " (TLS)" : "") : "off"
        StandardStreams.printLine(
            "\(loaded.origin): ok: \(configuration.feeds.files.count) feed pattern(s), \(entries.count) catalog entries "
                + "(\(entries.filter { $0.risk == .high }.count) high risk), phi \(configuration.phi.rawValue), "
                + "timezone \(configuration.timezone), mllp \(mllp)")
    }
}
