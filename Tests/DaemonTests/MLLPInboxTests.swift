import MLLPListener
import Testing

@testable import Daemon

/// Group commit of MLLP messages: what waits in the inbox is taken together, in arrival
/// order, and only the move from empty to not empty rings the engine.
@Suite("MLLP inbox")
struct MLLPInboxTests {
    static func message(_ peer: String, _ text: String) -> MLLPInboundMessage {
        MLLPInboundMessage(
            peer: peer, received: .unreadable(reason: text, bytes: [], length: 0), completion: { _ in })
    }

    static func reasons(_ batch: MLLPBatch?) -> [String] {
        (batch?.messages ?? []).map { message in
            if case .unreadable(let reason, _, _) = message.received { return "\(message.peer) \(reason)" }
            return message.peer
        }
    }

    @Test func batchesWaitingWhileTheEngineIsBusyAreTakenTogetherInArrivalOrder() {
        let inbox = MLLPInbox()
        #expect(inbox.put(MLLPBatch(messages: [Self.message("a", "1"), Self.message("a", "2")])))
        #expect(!inbox.put(MLLPBatch(events: [.connected("b")])), "not empty: no second ring")
        #expect(!inbox.put(MLLPBatch(messages: [Self.message("b", "1")])))
        #expect(!inbox.put(MLLPBatch(messages: [Self.message("a", "3")], events: [.closed("a")])))
        let taken = inbox.takeAll()
        #expect(Self.reasons(taken) == ["a 1", "a 2", "b 1", "a 3"])
        #expect(taken?.events == [.connected("b"), .closed("a")])
        // A ring that finds the inbox already emptied takes nothing; the next put rings again.
        #expect(inbox.takeAll() == nil)
        #expect(inbox.put(MLLPBatch(messages: [Self.message("c", "1")])))
        #expect(Self.reasons(inbox.takeAll()) == ["c 1"])
    }
}
