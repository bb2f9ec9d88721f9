import NIOCore
import NIOPosix
import NIOSSL

/// The MLLP listener: accepts connections on the configured address and hands their
/// messages and events to `deliver`, which must not block (the daemon yields them into
/// its engine's input stream).
///
/// A peer not on ``MLLPListenerSettings/allow`` and a connection beyond
/// ``MLLPListenerSettings/maximumConnections`` are closed at accept (``MLLPConnectionEvent/refused(_:reason:)``).
/// ``shutdown()`` stops accepting, closes the connections (after the acknowledgements
/// already completed are written) and stops the listener's thread.
public final class MLLPListener: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let registry: ConnectionRegistry

    /// The port listened on (the bound one when ``MLLPListenerSettings/port`` is 0).
    public var port: Int? { serverChannel.localAddress?.port }

    /// How many connections were refused (not allowed, or too many).
    public var refusedCount: Int { registry.refusedCount }

    /// Binds and starts accepting; with ``MLLPListenerSettings/tls``, every connection
    /// speaks TLS (a plain-TCP client fails its handshake and is closed).
    ///
    /// - Throws: ``MLLPTLSError`` when a TLS file cannot be used; a socket error when the
    ///   address cannot be bound.
    public init(settings: MLLPListenerSettings, deliver: @escaping @Sendable (MLLPBatch) -> Void) async throws
    {
        let tls = try settings.tls.map { (tls) throws(MLLPTLSError) in try MLLPTLSContext.make(tls) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let registry = ConnectionRegistry(maximum: settings.maximumConnections)
        let stamps = AcknowledgementStamps()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: true)
            .childChannelInitializer { channel in
                let address = channel.remoteAddress
                let peer = Self.peerName(address)
                guard let ip = address?.ipAddress, settings.allows(ip) else {
                    deliver(MLLPBatch(events: [.refused(peer, reason: "not in mllp.allow")]))
                    return channel.close()
                }
                guard registry.admit(channel) else {
                    deliver(MLLPBatch(events: [.refused(peer, reason: "mllp.max_connections reached")]))
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in registry.release(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(
                            readTimeout: TimeAmount.nanoseconds(Self.nanoseconds(settings.idleTimeout))),
                        MLLPConnectionHandler(
                            peer: peer, settings: settings, stamps: stamps, deliver: deliver),
                    ])
                }
            }
        do {
            serverChannel = try await bootstrap.bind(host: settings.host, port: settings.port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        self.group = group
        self.registry = registry
    }

    /// Stops accepting, closes every connection, stops the listener's thread.
    public func shutdown() async {
        try? await serverChannel.close()
        for channel in registry.closeAll() {
            try? await channel.close()
        }
        try? await group.shutdownGracefully()
    }

    /// `ADDRESS:PORT`, `[ADDRESS]:PORT` for IPv6, `unknown` without an address.
    static func peerName(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress else { return "unknown" }
        let port = address.port.map(String.init) ?? "0"
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
