import PostgresNIO
import StateStore
import Synchronization

/// Leadership among the instances that share one PostgreSQL store (DESIGN.md section
/// 10): one row of `leadership` names the holder, its fencing token and when the lease
/// expires, by the database's clock (never a host's).
///
/// An advisory lock alone is not enough: a paused leader's idle session would keep it
/// forever. A lease expires unless renewed; a standby takes an expired lease with the
/// next fencing token, and every commit of a store fenced with a ``Lease``
/// (``PostgreSQLStore/fence(with:)``) checks, in its own transaction, that its lease
/// still holds that token: an old leader that wakes up after a takeover commits nothing.
///
/// It uses a connection of its own (the store's may be busy committing a batch), on the
/// calling thread (never an event loop).
public final class LeaderLease: LeaderElection {
    private let settings: PostgreSQLStoreSettings
    /// The connection, opened at the first call and again after the server went away.
    private let connection = Mutex<PostgreSQLConnection?>(nil)
    /// Who this instance is in the lease row (host, pid, start).
    public let holder: String
    /// How long a lease lasts after it is taken or renewed.
    public let duration: Duration

    /// An election on the store of `settings`: it connects at its first call (and again
    /// after the server went away), and creates the store's schema when missing.
    ///
    /// - Parameters:
    ///   - holder: this instance's name in the lease row, unique among the instances
    ///     (`host:pid:start`).
    ///   - duration: how long a lease lasts unless renewed (renew several times within it).
    public init(settings: PostgreSQLStoreSettings, holder: String, duration: Duration) {
        self.settings = settings
        self.holder = holder
        self.duration = duration
    }

    /// Runs `body` on the connection (opened when there is none, and the schema brought to
    /// this build's version); a connection that failed is dropped, to be opened again at
    /// the next call.
    private func withConnection<T>(_ body: (PostgreSQLConnection) throws -> T) throws -> T {
        try connection.withLock { current in
            let open: PostgreSQLConnection
            if let current, current.isOpen, !current.connection.isClosed {
                open = current
            } else {
                current?.close()
                current = nil
                open = try PostgreSQLConnection.open(settings)
                do {
                    try PostgreSQLSchema.migrate(open)
                } catch {
                    open.close()
                    throw error
                }
                current = open
            }
            do {
                return try body(open)
            } catch let error as StateStoreError where [.cannotConnect, .closed].contains(error.code) {
                open.close()
                current = nil
                throw error
            }
        }
    }

    /// Takes the lease when nobody holds it, the holder's has expired, or this instance
    /// holds it (it lost its store and stands by: it takes it again at once): the lease
    /// with the next fencing token, or `nil` when another instance holds an unexpired one.
    public func acquire() throws -> Lease? {
        let milliseconds = Self.milliseconds(duration)
        let row = try withConnection { connection in
            try connection.firstRow(
                """
                INSERT INTO leadership (id, holder, token, since, expires_at)
                VALUES (1, \(holder), 1, clock_timestamp(),
                    clock_timestamp() + \(milliseconds) * interval '1 millisecond')
                ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, token = leadership.token + 1,
                    since = excluded.since, expires_at = excluded.expires_at
                WHERE leadership.expires_at < clock_timestamp() OR leadership.holder = excluded.holder
                RETURNING token
                """
            ) { try $0.decode(Int64.self) }
        }
        return row.map { Lease(holder: holder, token: $0) }
    }

    /// Extends `lease` by ``duration`` from now: `false` when it was taken over (another
    /// token holds the row). A lease that expired but that nobody took is renewed: its
    /// token still fences every commit.
    public func renew(_ lease: Lease) throws -> Bool {
        let milliseconds = Self.milliseconds(duration)
        return try withConnection { connection in
            try connection.changes(
                """
                UPDATE leadership SET expires_at = clock_timestamp() + \(milliseconds) * interval '1 millisecond'
                WHERE id = 1 AND holder = \(lease.holder) AND token = \(lease.token)
                """) == 1
        }
    }

    /// Gives `lease` up (at a clean stop): it expires now, so that a standby takes over at
    /// its next look instead of after the lease's duration.
    public func release(_ lease: Lease) throws {
        try withConnection { connection in
            _ = try connection.execute(
                """
                UPDATE leadership SET expires_at = clock_timestamp() - interval '1 millisecond'
                WHERE id = 1 AND holder = \(lease.holder) AND token = \(lease.token)
                """)
        }
    }

    /// Who holds leadership, or `nil` when nobody ever did.
    public func current() throws -> LeaseHolder? {
        try withConnection { connection in
            try connection.firstRow(
                """
                SELECT holder, token, (extract(epoch FROM since) * 1000000)::bigint,
                    expires_at < clock_timestamp()
                FROM leadership WHERE id = 1
                """
            ) {
                let (holder, token, since, expired) = try $0.decode((String, Int64, Int64, Bool).self)
                return LeaseHolder(holder: holder, token: token, since: since, isExpired: expired)
            }
        }
    }

    /// Closes the connection. Safe to call more than once.
    public func close() {
        connection.withLock {
            $0?.close()
            $0 = nil
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
