import Foundation
import Logging

/// A swift-log backend that writes to journald (`SYSLOG_IDENTIFIER=extravasd`, the
/// level as PRIORITY, metadata as `EXTRAVASD_` fields), or to standard error when no
/// journald listens. Log messages never carry message content or patient data: that
/// is the callers' rule (DESIGN.md section 8).
public struct JournalLogHandler: LogHandler {
    /// Metadata added to every entry.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level logged.
    public var logLevel: Logger.Level = .info
    private let destination: any AlertDestination

    /// A handler writing to `destination`.
    public init(label: String, destination: any AlertDestination) {
        self.destination = destination
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one entry.
    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        var fields: [(String, String)] = [
            ("MESSAGE", message.description),
            ("PRIORITY", String(Self.priority(level))),
            ("SYSLOG_IDENTIFIER", "extravasd"),
        ]
        let merged = metadata.merging(explicit ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            let name =
                "EXTRAVASD_" + key.uppercased().map { $0.isLetter ? $0 : "_" }.map(String.init).joined()
            fields.append((name, value.description))
        }
        try? destination.send(fields)
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }
}
