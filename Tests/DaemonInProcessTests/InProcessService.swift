import AlertOutput
import Configuration
import Daemon
import Foundation
import HL7
import JournalTesting
import Logging
import ServiceLifecycle
import StateStore
import Surveillance

/// A ``SurveillanceService`` run inside the test process: feeds in a temporary folder,
/// a real SQLite store in a temporary state directory, alerts to an ``InMemoryJournal``
/// (no root, no journald), reloads asked for directly, shut down gracefully.
final class InProcessService: Sendable {
    let folder: String
    let journal: InMemoryJournal
    let reloads = ReloadRequests(listensToSIGHUP: false)
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// The repository's example feeds.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/feeds").path

    /// Starts the service over `folder` (made when `nil`) with `journal`.
    init(
        folder: String? = nil, journal: InMemoryJournal = InMemoryJournal(),
        confirmWindow: Duration = .seconds(2),
        reload: (@Sendable (_ folder: String) throws -> DaemonSettings)? = nil
    ) {
        let folder = folder ?? Self.makeFolder()
        self.folder = folder
        self.journal = journal
        var logger = Logger(label: "extravasd-test")
        logger.logLevel = .critical
        let settings = Self.settings(folder: folder, confirmWindow: confirmWindow)
        var reloadSettings: (@Sendable () throws -> DaemonSettings)?
        if let reload { reloadSettings = { try reload(folder) } }
        let service = SurveillanceService(
            settings: settings, reload: reloadSettings, destination: journal,
            logger: logger, reloads: reloads)
        group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service)], gracefulShutdownSignals: [], logger: logger))
        task = Task { [group] in try await group.run() }
    }

    /// Settings following `<folder>/feeds/*.hl7`, state in `<folder>/state`.
    static func settings(folder: String, pattern: String = "*.hl7", confirmWindow: Duration = .seconds(2))
        -> DaemonSettings
    {
        DaemonSettings(
            surveillance: SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog),
            renderer: AlertRenderer(), patterns: [folder + "/feeds/" + pattern], settle: .milliseconds(100),
            limits: .service, stateDirectory: folder + "/state", confirmWindow: confirmWindow)
    }

    static func makeFolder() -> String {
        let folder = NSTemporaryDirectory() + "extravasd-inprocess-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: folder + "/feeds", withIntermediateDirectories: true)
        return folder
    }

    /// Copies an example feed into the followed folder (as `name`).
    func write(example: String, as name: String? = nil) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.examples + "/" + example))
        try bytes.write(to: URL(fileURLWithPath: folder + "/feeds/" + (name ?? example)))
    }

    /// Alert ids in the journal, in the order they were kept.
    var alertIDs: [String] {
        journal.entries.compactMap { $0["MESSAGE_ID"] != nil ? $0["EXTRAVASD_ALERT_ID"] : nil }
    }

    /// Entries with `EXTRAVASD_EVENT` equal to `event`.
    func events(_ event: String) -> [[String: String]] {
        journal.entries.filter { $0["EXTRAVASD_EVENT"] == event }
    }

    /// Shuts the service down gracefully and waits for it to end.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Removes the folder.
    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// The store's undelivered alert ids, in commit order (through a connection of its own).
    func undelivered() async throws -> [String] {
        try await undeliveredEntries().map(\.alertID)
    }

    /// The store's undelivered outbox entries, in commit order.
    func undeliveredEntries() async throws -> [OutboxEntry] {
        let store = try SQLiteStore(directory: folder + "/state")
        defer { Task { await store.close() } }
        return try await store.undeliveredAlerts()
    }

    /// The MESSAGE_ID of each undelivered outbox entry, by key.
    func undeliveredMessageIDs() async throws -> [String: String] {
        var messageIDs: [String: String] = [:]
        for entry in try await undeliveredEntries() {
            messageIDs[entry.alertID] =
                AlertJournalFields.decode(entry.payload)?.first { $0.0 == "MESSAGE_ID" }?.1
        }
        return messageIDs
    }

    /// The alerts `replay` gives for `examples`, in order (the engine alone).
    static func replayedAlertIDs(_ examples: [String]) throws -> [String] {
        var engine = SurveillanceEngine(
            settings: SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog))
        var ids: [String] = []
        for example in examples {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.examples + "/" + example)))
            var reader = MessageReader(limits: .service)
            bytes.withUnsafeBytes { reader.append($0) }
            reader.finish()
            while let result = reader.next() {
                guard case .success(let message) = result else { continue }
                ids += engine.process(message, source: .file(example, offset: message.offset)).alerts.map(
                    \.id)
            }
        }
        return ids
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool
{
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
