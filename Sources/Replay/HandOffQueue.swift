import Dispatch
import Synchronization

/// A bounded hand-off from one producing thread to one consuming thread, both blocking:
/// the producer waits while `capacity` elements are queued (so it runs ahead of the
/// consumer by at most that many), the consumer while none is.
///
/// ``close()`` is the consumer's way out: a waiting or later ``send(_:)`` returns `false`,
/// and ``receive()`` returns `nil`.
final class HandOffQueue<Element: Sendable>: Sendable {
    private struct State {
        var elements: [Element] = []
        var closed = false
        /// The producer waits for space (`spaceFreed`).
        var senderWaits = false
        /// The consumer waits for an element (`elementQueued`).
        var receiverWaits = false
    }

    /// What a send comes to under the lock.
    private enum SendStep {
        case closed
        case queued(wakeReceiver: Bool)
        case waitForSpace
    }

    /// What a receive comes to under the lock.
    private enum ReceiveStep {
        case element(Element, wakeSender: Bool)
        case closed
        case waitForElement
    }

    private let state = Mutex(State())
    private let spaceFreed = DispatchSemaphore(value: 0)
    private let elementQueued = DispatchSemaphore(value: 0)
    private let closedFlag = Atomic(false)
    private let depth = Atomic(0)
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Whether ``close()`` was called (a cheap check for the producer between elements).
    var isClosed: Bool { closedFlag.load(ordering: .relaxed) }

    /// How many elements are queued (a cheap reading for the producer, without the lock).
    var count: Int { depth.load(ordering: .relaxed) }

    /// Queues `element`, blocking while the queue is full. Returns `false` once closed (the
    /// element is dropped).
    func send(_ element: Element) -> Bool {
        while true {
            let step = state.withLock { state -> SendStep in
                if state.closed { return .closed }
                guard state.elements.count < capacity else {
                    state.senderWaits = true
                    return .waitForSpace
                }
                state.elements.append(element)
                depth.store(state.elements.count, ordering: .relaxed)
                defer { state.receiverWaits = false }
                return .queued(wakeReceiver: state.receiverWaits)
            }
            switch step {
            case .closed: return false
            case .queued(let wakeReceiver):
                if wakeReceiver { elementQueued.signal() }
                return true
            case .waitForSpace: spaceFreed.wait()
            }
        }
    }

    /// The next element, blocking while none is queued; `nil` once closed.
    func receive() -> Element? {
        while true {
            let step = state.withLock { state -> ReceiveStep in
                if state.closed { return .closed }
                guard !state.elements.isEmpty else {
                    state.receiverWaits = true
                    return .waitForElement
                }
                defer {
                    state.senderWaits = false
                    depth.store(state.elements.count, ordering: .relaxed)
                }
                return .element(state.elements.removeFirst(), wakeSender: state.senderWaits)
            }
            switch step {
            case .element(let element, let wakeSender):
                if wakeSender { spaceFreed.signal() }
                return element
            case .closed: return nil
            case .waitForElement: elementQueued.wait()
            }
        }
    }

    /// Closes the queue: the producer's waiting or next ``send(_:)`` returns `false`, the
    /// consumer's ``receive()`` `nil`; what is queued is dropped. Safe to call more than once.
    func close() {
        let (wakeSender, wakeReceiver) = state.withLock { state in
            state.closed = true
            state.elements.removeAll()
            depth.store(0, ordering: .relaxed)
            defer {
                state.senderWaits = false
                state.receiverWaits = false
            }
            return (state.senderWaits, state.receiverWaits)
        }
        closedFlag.store(true, ordering: .relaxed)
        if wakeSender { spaceFreed.signal() }
        if wakeReceiver { elementQueued.signal() }
    }
}
