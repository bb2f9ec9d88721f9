import FaultPoints
import HL7
import MLLP
import NIOCore
import NIOSSL

/// One MLLP connection: bytes to frames (``MLLPFrameDecoder``), frames to messages handed
/// to the daemon in batches (one per read), and each message's acknowledgement written
/// once the daemon completes it, in the order the messages came.
///
/// Backpressure: while ``MLLPListenerSettings/maximumPendingPerConnection`` messages wait
/// for their acknowledgement, the connection is not read. A read-idle event
/// (`IdleStateHandler`) closes the connection when no acknowledgement is owed (a frame
/// that never ends, a silent peer).
final class MLLPConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let peer: String
    private let settings: MLLPListenerSettings
    private let stamps: AcknowledgementStamps
    private let deliver: @Sendable (MLLPBatch) -> Void
    private var decoder: MLLPFrameDecoder
    /// Messages read and not yet handed over (handed over when the read completes).
    private var collected: [MLLPInboundMessage] = []
    /// The sequence number of the next message read.
    private var nextSequence = 0
    /// The sequence number of the first message whose acknowledgement is not written.
    private var firstUnanswered = 0
    /// Acknowledgements ready but waiting for an earlier one, by sequence number.
    private var ready: [Int: [UInt8]] = [:]
    /// A read was asked for while too many messages waited: it is made once some are answered.
    private var readHeld = false
    private var context: ChannelHandlerContext?
    /// Why the listener closed the connection, for its `closed` event (`nil`: the peer closed it).
    private var closeReason: String?

    init(
        peer: String, settings: MLLPListenerSettings, stamps: AcknowledgementStamps,
        deliver: @escaping @Sendable (MLLPBatch) -> Void
    ) {
        self.peer = peer
        self.settings = settings
        self.stamps = stamps
        self.deliver = deliver
        decoder = MLLPFrameDecoder(maximumFrameBytes: settings.maximumFrameBytes)
    }

    /// Messages read whose acknowledgement is not written yet.
    var pendingCount: Int { nextSequence - firstUnanswered }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        deliver(MLLPBatch(events: [.connected(peer)]))
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        handOver()
        deliver(MLLPBatch(events: [.closed(peer, reason: closeReason)]))
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let events = buffer.withUnsafeReadableBytes { decoder.append($0) }
        for event in events {
            switch event {
            case .frame(let bytes): received(bytes, context: context)
            case .oversizedFrame(let frame):
                enqueue(
                    .unreadable(
                        reason: "message of \(frame.length) bytes is over the limit of "
                            + "\(settings.maximumFrameBytes) bytes (mllp.max_frame_bytes)",
                        bytes: frame.head, length: frame.length),
                    header: ReceivedMessageHeader.salvaged(from: frame.head), context: context)
            case .discarded: break
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        handOver()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if pendingCount >= settings.maximumPendingPerConnection {
            readHeld = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            if pendingCount == 0 {
                let milliseconds =
                    settings.idleTimeout.components.seconds * 1000
                    + settings.idleTimeout.components.attoseconds / 1_000_000_000_000_000
                closeReason =
                    "idle for \(milliseconds) ms (mllp.idle_timeout_ms)"
                    + (decoder.isInsideFrame ? ", a frame left unfinished" : "")
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if closeReason == nil { closeReason = Self.reason(closingOn: error) }
        context.close(promise: nil)
    }

    /// Why an error closes the connection, for its `closed` event; `nil` for a TLS peer
    /// that closed without `close_notify` (as most MLLP clients do: the peer closed it).
    static func reason(closingOn error: any Error) -> String? {
        guard let tls = error as? NIOSSLError else { return "read error: \(error)" }
        switch tls {
        case .uncleanShutdown: return nil
        case .handshakeFailed(let failure):
            return "TLS handshake failed" + (Self.firstReason(of: failure).map { ": \($0)" } ?? "")
        default: return "TLS error: \(tls)"
        }
    }

    /// The first reason BoringSSL gave, as its name (`WRONG_VERSION_NUMBER` for plain TCP,
    /// `PEER_DID_NOT_RETURN_A_CERTIFICATE` without a client certificate), or the text of
    /// a synthetic one (`EOF during handshake`); never the source path it names.
    static func firstReason(of failure: BoringSSLError) -> String? {
        let text = "\(failure)"
        let marker = "OPENSSL_internal:"
        if let range = text.firstRange(of: marker) {
            let name = text[range.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            if !name.isEmpty { return String(name) }
        }
        return text.contains("EOF during handshake") ? "EOF during handshake" : nil
    }

    // MARK: - Messages

    private func received(_ bytes: [UInt8], context: ChannelHandlerContext) {
        do {
            let message = try Message(bytes: bytes, limits: settings.limits)
            enqueue(.message(message), header: ReceivedMessageHeader(message), context: context)
        } catch {
            enqueue(
                .unreadable(reason: error.description, bytes: bytes, length: bytes.count),
                header: ReceivedMessageHeader.salvaged(from: bytes), context: context)
        }
    }

    private func enqueue(
        _ received: MLLPReceived, header: ReceivedMessageHeader, context: ChannelHandlerContext
    ) {
        let sequence = nextSequence
        nextSequence += 1
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        collected.append(
            MLLPInboundMessage(peer: peer, received: received) { outcome in
                loop.execute { handler.value.answer(sequence, header: header, outcome: outcome) }
            })
    }

    private func handOver() {
        guard !collected.isEmpty else { return }
        deliver(MLLPBatch(messages: collected))
        collected = []
    }

    /// Writes the acknowledgement of message `sequence`, and any later ones it held back.
    private func answer(_ sequence: Int, header: ReceivedMessageHeader, outcome: AcknowledgementOutcome) {
        guard sequence >= firstUnanswered, ready[sequence] == nil else { return }
        let timestamp = stamps.timestamp()
        let stamps = self.stamps
        let messages = HL7Acknowledgement(answering: header, outcome: outcome).messages(timestamp: timestamp)
        {
            _ in stamps.nextControlID()
        }
        var bytes: [UInt8] = []
        for message in messages {
            if let framed = MLLPFrameEncoder.frame(message.bytes) { bytes += framed }
        }
        ready[sequence] = bytes
        guard let context else {
            firstUnanswered = max(firstUnanswered, sequence + 1)
            return
        }
        var wrote = false
        while let next = ready.removeValue(forKey: firstUnanswered) {
            firstUnanswered += 1
            guard !next.isEmpty else { continue }
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: next)), promise: nil)
            wrote = true
        }
        if wrote {
            context.flush()
            FaultPoint.ack.reached()
        }
        if readHeld && pendingCount < settings.maximumPendingPerConnection {
            readHeld = false
            context.read()
        }
    }
}
