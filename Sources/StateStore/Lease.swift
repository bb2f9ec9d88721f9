/// Leadership held by one instance: its name in the lease row and the fencing token it
/// was taken with (each takeover takes the next token).
public struct Lease: Sendable, Hashable {
    /// The holder's name (``LeaderElection/holder``).
    public var holder: String
    /// The fencing token: commits of a store fenced with this lease check it.
    public var token: Int64

    /// A lease.
    public init(holder: String, token: Int64) {
        self.holder = holder
        self.token = token
    }
}
