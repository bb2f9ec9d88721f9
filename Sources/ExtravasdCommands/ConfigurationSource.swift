import FeedIO
import Configuration
import Foundation

/// Finds and loads the configuration the way every command does: `--config PATH`,
/// else `EXTRAVASD_CONFIG`, else `/etc/extravasd/extravasd.yaml` when it exists, else
/// the built-in defaults (said once on stderr). A file named by `--config` or the
/// environment that cannot be read is a configuration error.
enum ConfigurationSource {
    struct Loaded {
        var configuration: ExtravasdConfiguration
        /// Where it came from, for messages.
        var origin: String
    }

    static func load(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> Loaded
    {
        if let path = option ?? environment["EXTRAVASD_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return Loaded(configuration: try ConfigurationLoader.load(path: path), origin: path)
        }
        let defaultPath = ConfigurationLoader.defaultPath
        if FileManager.default.fileExists(atPath: defaultPath) {
            return Loaded(configuration: try ConfigurationLoader.load(path: defaultPath), origin: defaultPath)
        }
        StandardStreams.writeError(
            "extravasd: no configuration file (\(defaultPath) is absent): using built-in defaults\n")
        return Loaded(configuration: ConfigurationLoader.builtInDefaults(), origin: "built-in defaults")
    }

    /// Loads the configuration for a command; on a problem, prints each issue and exits 78.
    static func configurationForCommand(option: String?) throws -> ExtravasdConfiguration {
        do {
            return try load(option: option).configuration
        } catch {
            report(error)
            throw ExitStatus.configuration
        }
    }

    /// Loads the configuration and the pseudonymization key (when `phi: pseudonymized`)
    /// for a command; on a problem, prints each issue and exits 78.
    static func loadForCommand(option: String?) throws -> (ExtravasdConfiguration, identityKey: [UInt8]?) {
        do {
            let loaded = try load(option: option)
            return (loaded.configuration, try EngineSetup.identityKey(loaded.configuration))
        } catch {
            report(error)
            throw ExitStatus.configuration
        }
    }

    /// Prints each issue as `FILE:LINE:COLUMN: error: REASON` on stderr.
    static func report(_ error: ConfigurationError) {
        for issue in error.issues { StandardStreams.writeError("\(issue)\n") }
    }
}
