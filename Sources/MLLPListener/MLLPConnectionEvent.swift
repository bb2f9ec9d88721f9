/// Something that happened to an MLLP connection, for the daemon's journal.
public enum MLLPConnectionEvent: Sendable, Hashable {
    /// A peer connected (`ADDRESS:PORT`).
    case connected(String)
    /// A connection closed.
    case closed(String)
    /// A connection was closed at accept: the peer is not allowed, or too many are open.
    case refused(String, reason: String)
}
