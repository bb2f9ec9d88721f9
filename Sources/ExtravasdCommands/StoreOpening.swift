import Configuration
import Daemon
import FeedIO
import PostgresStore
import StateStore

/// The one place that turns the configuration's `store` into the daemon's store opener:
/// the SQLite file in the state directory (the default) or the PostgreSQL store.
enum StoreOpening {
    /// How the daemon opens its store (called once, off the cooperative pool, with the
    /// prepared state directory).
    static func opener(for store: ExtravasdConfiguration.Store)
        -> @Sendable (String) throws -> any SurveillanceStore
    {
        switch store.kind {
        case .sqlite:
            return SurveillanceService.openSQLiteStore
        case .postgresql:
            return { _ in
                try PostgreSQLStore(settings: try settings(store), retentionDays: store.retentionDays)
            }
        }
    }

    /// The shared record of alerts and acknowledgements (`nil` for SQLite: the local
    /// journal is the record), opened for a review command (`ack`, `alerts`, `report`).
    /// Blocks the calling thread while it connects; call it off the cooperative pool.
    ///
    /// - Throws: ``StateStoreError`` when the store cannot be opened.
    static func sharedRecord(_ configuration: ExtravasdConfiguration) throws -> (any SharedReviewRecord)? {
        guard configuration.store.kind == .postgresql else { return nil }
        return try PostgreSQLStore(
            settings: try settings(configuration.store), retentionDays: configuration.store.retentionDays)
    }

    /// Leadership among the instances sharing the PostgreSQL store (`nil` for SQLite: one
    /// instance): the lease in the store's `leadership` table, `ha.takeover_ms`.
    static func leadership(for configuration: ExtravasdConfiguration) -> LeadershipSettings? {
        guard configuration.store.kind == .postgresql else { return nil }
        let store = configuration.store
        return LeadershipSettings(
            takeover: .milliseconds(configuration.highAvailability.takeoverMilliseconds),
            openElection: { holder, duration in
                LeaderLease(settings: try settings(store), holder: holder, duration: duration)
            })
    }

    /// The PostgreSQL store's settings (schema `extravasd`).
    ///
    /// - Throws: ``StateStoreError`` for a URL the store cannot use.
    static func settings(_ store: ExtravasdConfiguration.Store) throws -> PostgreSQLStoreSettings {
        try PostgreSQLStoreSettings(
            url: store.url ?? "", passwordFile: store.passwordFile,
            tls: store.tls == .disable ? .disable : .require)
    }

    /// Refuses a command that works on the SQLite store only when the configuration names
    /// PostgreSQL (rather than silently opening an SQLite file nobody uses): says so and
    /// exits 78.
    static func requireSQLite(_ configuration: ExtravasdConfiguration, command: String) throws {
        guard configuration.store.kind == .postgresql else { return }
        let file = configuration.sourcePath.map { " (\($0))" } ?? ""
        StandardStreams.writeError(
            "extravasd \(command): works on the SQLite store only, and 'store.kind' is postgresql\(file): "
                + "check and repair the PostgreSQL store with the database's own tools\n")
        throw ExitStatus.configuration
    }
}
