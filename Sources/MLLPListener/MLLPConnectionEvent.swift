/// Something that happened to an MLLP connection, for the daemon's journal.
public enum MLLPConnectionEvent: Sendable, Hashable {
    /// A peer connected (`ADDRESS:PORT`).
    case connected(String)
    /// A connection closed: why, when the listener closed it (`idle for ... ms
    /// (mllp.idle_timeout_ms)`, a read error); `nil` when the peer closed it.
    case closed(String, reason: String? = nil)
    /// A connection was closed at accept: the peer is not allowed, or too many are open.
    case refused(String, reason: String)
}
