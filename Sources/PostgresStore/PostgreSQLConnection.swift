import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import StateStore
import Synchronization

/// One connection to the store's server, used synchronously: every query blocks the
/// calling thread on PostgresNIO's `EventLoopFuture` (never call it on an event loop).
/// The store's actor (on its own thread) and each part reader own one. A connection the
/// server dropped (or that left a statement unanswered for ``answerTimeout``) is not
/// reopened: every later call throws ``StateStoreError/Code/cannotConnect``. A daemon
/// that leads stands by and opens its store again once it takes the lease again; the
/// ``LeaderLease`` reconnects by itself.
///
/// Opening it creates the settings' schema when missing and puts it first on the
/// `search_path`, so statements name tables without a schema.
final class PostgreSQLConnection: Sendable {
    /// How long a statement waits for another session's lock (the SQLite store's busy timeout).
    static let lockTimeout = "5s"

    let connection: PostgresConnection
    let logger: Logger
    /// Whether ``close()`` was called (a connection the server dropped is not closed).
    private let closed = Mutex(false)
    /// The query in flight, failed when the connection closes (a promise completed already
    /// ignores that).
    private let pending = Mutex<EventLoopPromise<PostgresQueryResult>?>(nil)
    /// The store's name in errors (``PostgreSQLStoreSettings/displayName``).
    let name: String

    private init(connection: PostgresConnection, logger: Logger, name: String) {
        self.connection = connection
        self.logger = logger
        self.name = name
        connection.closeFuture.whenComplete { [weak self] _ in
            self?.pending.withLock { $0?.fail(ConnectionLost()) }
        }
    }

    /// Connects, logs in, creates the schema when missing and selects it.
    ///
    /// - Throws: ``StateStoreError``: ``StateStoreError/Code/cannotConnect`` when the
    ///   server cannot be reached or refuses the login; the password file's failure.
    static func open(_ settings: PostgreSQLStoreSettings) throws -> PostgreSQLConnection {
        let logger = Logger(
            label: "extravasd.postgresql", factory: { (_: String) in SwiftLogNoOpLogHandler() })
        let password = try settings.readPassword()
        let tls: PostgresConnection.Configuration.TLS
        switch settings.tls {
        case .disable:
            tls = .disable
        case .require:
            do {
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } catch {
                throw StateStoreError(
                    code: .setting, step: "TLS set-up (store.tls: require)", file: settings.displayName,
                    reason: "\(error)")
            }
        }
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: password,
            database: settings.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: 1,
                logger: logger
            ).wait()
        } catch {
            throw mapped(error, step: "connect", name: settings.displayName, connecting: true)
        }
        let opened = PostgreSQLConnection(connection: connection, logger: logger, name: settings.displayName)
        do {
            let schema = "\"\(settings.schema)\""
            try opened.execute(PostgresQuery(unsafeSQL: "SET lock_timeout = '\(lockTimeout)'"))
            // Names the session in pg_stat_activity: extravasd/SCHEMA.
            try opened.execute(
                PostgresQuery(unsafeSQL: "SET application_name = 'extravasd/\(settings.schema)'"))
            do {
                try opened.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
            } catch let error as StateStoreError where error.sqlState == "23505" || error.sqlState == "42P06"
            {
                // Another session created it at the same moment: it exists now.
            }
            try opened.execute(PostgresQuery(unsafeSQL: "SET search_path TO \(schema)"))
        } catch {
            opened.close()
            throw error
        }
        return opened
    }

    /// Whether ``close()`` was not called yet.
    var isOpen: Bool { !closed.withLock { $0 } }

    /// Closes the connection (waits until it is closed, at most ``closeTimeout``). Safe to
    /// call more than once.
    func close() {
        closed.withLock { $0 = true }
        let connection = self.connection
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
        _ = try? Self.bounded(closing, by: Self.closeTimeout)
    }

    /// How long a statement waits for the server's answer before the connection is taken
    /// for dead: a server restarted or failed over under an open connection can leave a
    /// query unanswered for good (PostgresNIO does not always see the connection go).
    static let answerTimeout: TimeAmount = .seconds(20)
    /// How long closing a connection is waited for.
    static let closeTimeout: TimeAmount = .seconds(5)

    /// No answer within the time allowed.
    struct NoAnswer: Error {}

    /// The value of `future`, or ``NoAnswer`` when it is not there within `timeout`.
    static func bounded<T: Sendable>(_ future: EventLoopFuture<T>, by timeout: TimeAmount) throws -> T {
        let loop = future.eventLoop
        let promise = loop.makePromise(of: T.self)
        let settled = Mutex(false)
        let timer = loop.scheduleTask(in: timeout) {
            if settled.withLock({ done in
                defer { done = true }; return !done
            }) {
                promise.fail(NoAnswer())
            }
        }
        future.whenComplete { result in
            timer.cancel()
            if settled.withLock({ done in
                defer { done = true }; return !done
            }) {
                promise.completeWith(result)
            }
        }
        return try promise.futureResult.wait()
    }

    /// Closes the connection without waiting (from `deinit`): the closing keeps the
    /// PostgresNIO connection alive until it is closed (it must not be released open).
    func closeWithoutWaiting() {
        closed.withLock { $0 = true }
        let connection = self.connection
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// The error of a call after ``close()``.
    func closedError(step: String) -> StateStoreError {
        StateStoreError(code: .closed, step: step, file: name, reason: "the store is closed")
    }

    /// Runs `query` and returns its rows and command tag.
    ///
    /// - Throws: ``StateStoreError`` whose step is the statement.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> PostgresQueryResult {
        guard isOpen else { throw closedError(step: query.sql) }
        do {
            return try Self.bounded(send(query), by: Self.answerTimeout)
        } catch is NoAnswer {
            closeWithoutWaiting()
            throw StateStoreError(
                code: .cannotConnect, step: query.sql, file: name,
                reason:
                    "no answer from the server within \(Self.answerTimeout.nanoseconds / 1_000_000_000) s: "
                    + "the connection is taken for dead")
        } catch {
            throw Self.mapped(error, step: query.sql, name: name, connecting: false)
        }
    }

    /// Sends `query`: its result, or a failure once the connection is closed. PostgresNIO
    /// never completes a query written to a connection that closed meanwhile (the server
    /// ended the session): waiting on the query alone could wait forever.
    /// Calls are serialized by the owner (one query at a time): the one in flight is
    /// ``pending``, which the connection's closing fails.
    private func send(_ query: PostgresQuery) -> EventLoopFuture<PostgresQueryResult> {
        let result = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        pending.withLock { $0 = result }
        guard !connection.isClosed else {
            result.fail(ConnectionLost())
            return result.futureResult
        }
        connection.query(query, logger: logger).cascade(to: result)
        return result.futureResult
    }

    /// The rows of `query`, each made a value by `decode`.
    ///
    /// - Throws: ``StateStoreError``; a column of an unexpected type is
    ///   ``StateStoreError/Code/corrupt``.
    func rows<T>(_ query: PostgresQuery, _ decode: (PostgresRow) throws -> T) throws -> [T] {
        let result = try execute(query)
        do {
            return try result.rows.map(decode)
        } catch {
            throw StateStoreError(
                code: .corrupt, step: query.sql, file: name, reason: "a column holds an unexpected type")
        }
    }

    /// The first row of `query` made a value by `decode`, or `nil` when there is none.
    func firstRow<T>(_ query: PostgresQuery, _ decode: (PostgresRow) throws -> T) throws -> T? {
        try rows(query, decode).first
    }

    /// How many rows `query` changed (its command tag).
    func changes(_ query: PostgresQuery) throws -> Int {
        try execute(query).metadata.rows ?? 0
    }

    /// Runs `body` in one transaction (`BEGIN` ... `COMMIT`): when it throws (or `COMMIT`
    /// does), the transaction is rolled back and nothing of it stays.
    @discardableResult
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(PostgresQuery(unsafeSQL: begin))
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isOpen { _ = try? Self.bounded(send("ROLLBACK"), by: Self.closeTimeout) }
            throw error
        }
    }

    /// The ``StateStoreError`` for a PostgresNIO error: the server's message and SQLSTATE
    /// (never its detail, which can quote stored values), or why the connection failed.
    static func mapped(_ error: any Error, step: String, name: String, connecting: Bool) -> StateStoreError {
        if let error = error as? StateStoreError { return error }
        if error is ConnectionLost {
            return StateStoreError(
                code: .cannotConnect, step: step, file: name, reason: "the connection to the server was lost")
        }
        guard let error = error as? PSQLError else {
            return StateStoreError(
                code: connecting ? .cannotConnect : .postgresql, step: step, file: name,
                reason: String(describing: error))
        }
        if let info = error.serverInfo, let sqlState = info[.sqlState] {
            let message = info[.message] ?? "no message"
            return StateStoreError(
                code: code(sqlState: sqlState, connecting: connecting), step: step, file: name,
                reason: message,
                sqlState: sqlState)
        }
        var reason: String
        switch error.code {
        case .connectionError:
            reason = "cannot connect to the server"
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            reason = "the connection to the server was lost"
        case .sslUnsupported:
            reason = "the server does not support TLS (store.tls: require)"
        case .authMechanismRequiresPassword:
            reason = "the server asks for a password and none is configured (store.password_file)"
        case .unsupportedAuthMechanism:
            reason = "the server asks for an authentication method this client does not support"
        default:
            reason = "PostgreSQL client error \(error.code)"
        }
        if let underlying = error.underlying { reason += ": \(underlying)" }
        let lost: [PSQLError.Code] = [
            .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown,
        ]
        return StateStoreError(
            code: connecting || lost.contains(error.code) ? .cannotConnect : .postgresql, step: step,
            file: name,
            reason: reason)
    }

    /// The code for an SQLSTATE (PostgreSQL's appendix A).
    static func code(sqlState: String, connecting: Bool) -> StateStoreError.Code {
        switch sqlState {
        case "53100": return .diskFull
        case "40001", "40P01", "55P03", "57014": return .busy
        case "25006", "42501": return .readOnly
        case "XX001", "XX002": return .corrupt
        case "58030": return .io
        default: break
        }
        switch sqlState.prefix(2) {
        case "23": return .constraint
        case "28", "08", "3D": return .cannotConnect
        case "57": return .cannotConnect
        default: return connecting ? .cannotConnect : .postgresql
        }
    }
}

/// A query was sent on, or outlived, a connection that closed.
struct ConnectionLost: Error {}
