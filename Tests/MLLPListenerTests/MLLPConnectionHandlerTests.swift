import HL7
import MLLP
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import MLLPListener

/// The connection handler on an `EmbeddedChannel`: messages handed over per read,
/// acknowledgements written only when completed, in the order the messages came.
struct MLLPConnectionHandlerTests {
    /// Batches the handler handed over.
    final class Delivered: Sendable {
        let batches = Mutex<[MLLPBatch]>([])
        var messages: [MLLPInboundMessage] { batches.withLock { $0.flatMap(\.messages) } }
    }

    static func message(_ control: String) -> [UInt8] {
        Array(
            "MSH|^~\\&|LAB|HOSP|EXTRAVASD|HOSP|20260302101500||ORU^R01^ORU_R01|\(control)|P|2.5.1\rPID|1||4455\r"
                .utf8)
    }

    static func channel(pending: Int = 64) throws -> (EmbeddedChannel, Delivered) {
        let delivered = Delivered()
        let settings = MLLPListenerSettings(
            host: "127.0.0.1", port: 1, maximumFrameBytes: 1024, maximumPendingPerConnection: pending)
        let handler = MLLPConnectionHandler(
            peer: "127.0.0.1:5000", settings: settings, stamps: AcknowledgementStamps()
        ) { batch in delivered.batches.withLock { $0.append(batch) } }
        let channel = EmbeddedChannel(handler: handler)
        return (channel, delivered)
    }

    /// The MSA lines written so far.
    static func acknowledgements(_ channel: EmbeddedChannel) throws -> [String] {
        var lines: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
            lines += text.split(whereSeparator: { $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{1C}" })
                .filter { $0.hasPrefix("MSA|") }.map(String.init)
        }
        return lines
    }

    @Test func acknowledgementsWaitForTheirCompletionAndKeepTheMessagesOrder() throws {
        let (channel, delivered) = try Self.channel()
        var bytes: [UInt8] = []
        for control in ["A1", "A2", "A3"] { bytes += MLLPFrameEncoder.frame(Self.message(control))! }
        try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
        channel.pipeline.fireChannelReadComplete()
        let messages = delivered.messages
        #expect(messages.count == 3)
        #expect(try Self.acknowledgements(channel).isEmpty, "nothing before the commit")
        messages[1].complete(.committed)
        channel.embeddedEventLoop.run()
        #expect(try Self.acknowledgements(channel).isEmpty, "the second waits for the first")
        messages[0].complete(.committed)
        messages[2].complete(.rejected(AcknowledgementProblem(.requiredFieldMissing, reason: "no PV1")))
        channel.embeddedEventLoop.run()
        #expect(try Self.acknowledgements(channel) == ["MSA|AA|A1", "MSA|AA|A2", "MSA|AR|A3"])
        messages[0].complete(.committed)
        channel.embeddedEventLoop.run()
        #expect(try Self.acknowledgements(channel).isEmpty, "a second completion writes nothing")
    }

    @Test func anUnreadableAndAnOversizedFrameAreHandedOverAsUnreadable() throws {
        let (channel, delivered) = try Self.channel()
        var oversized = Self.message("BIG")
        oversized += [UInt8](repeating: 0x41, count: 2000)
        let bytes =
            MLLPFrameEncoder.frame(Array("garbage".utf8))! + MLLPFrameEncoder.frame(oversized)!
        try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
        channel.pipeline.fireChannelReadComplete()
        let messages = delivered.messages
        #expect(messages.count == 2)
        for message in messages {
            guard case .unreadable(_, let kept, let length) = message.received else {
                Issue.record("\(message.received)")
                continue
            }
            #expect(kept.count <= 1024 && length >= kept.count)
            message.complete(.rejected(AcknowledgementProblem(.applicationInternalError, reason: "rejected")))
        }
        channel.embeddedEventLoop.run()
        #expect(try Self.acknowledgements(channel) == ["MSA|AR|", "MSA|AR|BIG"])
    }
}
