import NIOCore
import PostgresNIO
import StateStore
import Synchronization

/// An ``EnginePartReader`` on a connection of its own to the store's server: each call
/// runs in its own statement (autocommit, `READ COMMITTED`), so the reader sees committed
/// transactions only, never a batch in progress. Calls block the calling thread on
/// PostgresNIO's futures: the engine's own thread, never an event loop. A lock serializes
/// calls.
public final class PostgreSQLPartReader: EnginePartReader {
    /// How many keys ``forEachKey(kind:_:)`` fetches at a time from its cursor.
    static let fetchSize = 1_000

    private let connection: PostgreSQLConnection
    /// Serializes calls (one connection, one statement at a time).
    private let lock = Mutex(())

    /// Connects to the store of `settings` (its schema must exist: the store created it).
    ///
    /// - Throws: ``StateStoreError`` when it cannot connect.
    public init(settings: PostgreSQLStoreSettings) throws {
        connection = try PostgreSQLConnection.open(settings)
    }

    deinit { connection.closeWithoutWaiting() }

    /// The value stored for `key` of `kind`, or `nil` when none is.
    ///
    /// - Throws: ``StateStoreError``.
    public func value(kind: Int, key: [UInt8]) throws -> [UInt8]? {
        try lock.withLock { _ in
            try connection.firstRow(
                "SELECT value FROM engine_part WHERE kind = \(Int64(kind)) AND key = \(ByteBuffer(bytes: key))"
            ) { try $0.decode(ByteBuffer.self).bytes }
        }
    }

    /// The values stored for those of `keys` of `kind` that are stored, by key: one
    /// statement (one round trip) for all of them.
    ///
    /// - Throws: ``StateStoreError``.
    public func values(kind: Int, keys: [[UInt8]]) throws -> [[UInt8]: [UInt8]] {
        guard !keys.isEmpty else { return [:] }
        let keyValues = keys.map { ByteBuffer(bytes: $0) }
        let rows = try lock.withLock { _ in
            try connection.rows(
                "SELECT key, value FROM engine_part WHERE kind = \(Int64(kind)) AND key = ANY(\(keyValues)::bytea[])"
            ) {
                let (key, value) = try $0.decode((ByteBuffer, ByteBuffer).self)
                return (key.bytes, value.bytes)
            }
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// `true`: each read is a round trip to the server.
    public var readsManyAtOnce: Bool { true }

    /// The keys of `kind` stored with a due time at or before `time`, by key.
    ///
    /// - Throws: ``StateStoreError``.
    public func keysDue(kind: Int, through time: Int64) throws -> [[UInt8]] {
        try lock.withLock { _ in
            try connection.rows(
                """
                SELECT key FROM engine_part WHERE kind = \(Int64(kind)) AND due IS NOT NULL AND due <= \(time)
                ORDER BY key
                """
            ) { try $0.decode(ByteBuffer.self).bytes }
        }
    }

    /// Calls `body` with the key of each piece of `kind`, by key: fetched
    /// ``fetchSize`` at a time from a cursor in one read-only transaction (one snapshot).
    ///
    /// - Throws: ``StateStoreError``, or what `body` throws.
    public func forEachKey(kind: Int, _ body: ([UInt8]) throws -> Void) throws {
        try lock.withLock { _ in
            try connection.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try connection.execute(
                    """
                    DECLARE engine_part_keys NO SCROLL CURSOR FOR
                    SELECT key FROM engine_part WHERE kind = \(Int64(kind)) ORDER BY key
                    """)
                while true {
                    let keys = try connection.rows(
                        PostgresQuery(unsafeSQL: "FETCH FORWARD \(Self.fetchSize) FROM engine_part_keys")
                    ) { try $0.decode(ByteBuffer.self).bytes }
                    for key in keys { try body(key) }
                    if keys.count < Self.fetchSize { break }
                }
            }
        }
    }

    /// How many pieces of `kind` are stored.
    ///
    /// - Throws: ``StateStoreError``.
    public func count(kind: Int) throws -> Int {
        try lock.withLock { _ in
            let count = try connection.firstRow(
                "SELECT count(*)::bigint FROM engine_part WHERE kind = \(Int64(kind))"
            ) { try $0.decode(Int64.self) }
            return Int(count ?? 0)
        }
    }

    /// Closes the connection; later calls throw ``StateStoreError/Code/closed``. Safe to
    /// call more than once.
    public func close() {
        lock.withLock { _ in connection.close() }
    }
}
