/// What the lease row says: who holds leadership, since when, and whether the lease has
/// expired (by the database's clock). A standby shows it in its `STATUS=`.
public struct LeaseHolder: Sendable, Hashable {
    /// The holder's name (`host:pid:start`).
    public var holder: String
    /// The fencing token it holds.
    public var token: Int64
    /// When it took leadership (microseconds since the epoch, the database's clock).
    public var since: Int64
    /// Whether the lease has expired (a standby may take it).
    public var isExpired: Bool

    /// A holder.
    public init(holder: String, token: Int64, since: Int64, isExpired: Bool) {
        self.holder = holder
        self.token = token
        self.since = since
        self.isExpired = isExpired
    }
}
