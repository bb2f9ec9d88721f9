import HL7
import MLLP

/// What the MLLP listener is told: where to listen, and its bounds.
public struct MLLPListenerSettings: Sendable, Hashable {
    /// The address to bind (`127.0.0.1`, `::`, a host name).
    public var host: String
    /// The TCP port (0: any free port, see ``MLLPListener/port``).
    public var port: Int
    /// `mllp.max_frame_bytes`: the longest message read whole; a longer one is rejected (`AR`).
    public var maximumFrameBytes: Int
    /// `mllp.max_connections`: the most connections open at once; more are closed at accept.
    public var maximumConnections: Int
    /// `mllp.idle_timeout_ms`: a connection that sends nothing for this long while no
    /// acknowledgement is owed to it (a frame that never ends) is closed.
    public var idleTimeout: Duration
    /// `mllp.allow`: the peers accepted; empty accepts any peer.
    public var allow: [PeerAddressRange]
    /// The most messages of one connection waiting for their acknowledgement: beyond, the
    /// connection is not read until acknowledgements are sent (backpressure).
    public var maximumPendingPerConnection: Int
    /// The limits each message is parsed with.
    public var limits: ParseLimits
    /// TLS (`mllp.tls_*`); `nil`: plain TCP.
    public var tls: MLLPTLSSettings?

    /// Creates listener settings.
    public init(
        host: String, port: Int, maximumFrameBytes: Int, maximumConnections: Int = 32,
        idleTimeout: Duration = .seconds(60), allow: [PeerAddressRange] = [],
        maximumPendingPerConnection: Int = 64, limits: ParseLimits = .unlimited, tls: MLLPTLSSettings? = nil
    ) {
        self.host = host
        self.port = port
        self.maximumFrameBytes = maximumFrameBytes
        self.maximumConnections = maximumConnections
        self.idleTimeout = idleTimeout
        self.allow = allow
        self.maximumPendingPerConnection = max(1, maximumPendingPerConnection)
        self.limits = limits
        self.tls = tls
    }

    /// Whether the peer address `address` may connect.
    public func allows(_ address: String) -> Bool {
        allow.isEmpty || allow.contains { $0.contains(address) }
    }
}
