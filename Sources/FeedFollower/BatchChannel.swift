import DequeModule
import Dispatch
import Synchronization

/// A bounded hand-off of batches from the follower's thread to an async consumer.
///
/// The thread blocks in ``send(_:)`` while the consumer is behind (so a large backlog
/// is read no faster than it is consumed, in bounded memory); ``close()`` (cancellation,
/// or the stream going away) releases both sides.
final class BatchChannel: Sendable {
    private struct State {
        var queue = Deque<FollowerBatch>()
        var waiter: CheckedContinuation<FollowerBatch?, Never>?
        var closed = false
        /// The follower's thread waits for space (`spaceFreed`).
        var senderWaits = false
    }

    /// What a send comes to under the lock.
    private enum Step {
        case closed
        case handedTo(CheckedContinuation<FollowerBatch?, Never>)
        case queued
        case waitForSpace
    }

    private let state = Mutex(State())
    /// Signalled when a waiting sender may go on (space freed, or closed).
    private let spaceFreed = DispatchSemaphore(value: 0)
    private let capacity: Int
    /// Woken on close, so a thread waiting in `poll(2)` notices.
    let wakeup: WakeupPipe

    init(capacity: Int = 2) {
        self.capacity = max(1, capacity)
        wakeup = WakeupPipe()
    }

    /// Whether the channel was closed.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Hands a batch over, blocking while the queue is full. Returns `false` once closed.
    /// `whileWaiting` is called every 100 ms while it blocks (outside the lock): a
    /// follower waiting for a busy consumer is still making progress.
    func send(_ batch: FollowerBatch, whileWaiting: (@Sendable () -> Void)? = nil) -> Bool {
        let capacity = self.capacity
        while true {
            let step = state.withLock { state -> Step in
                if state.closed { return .closed }
                // A waiting consumer means an empty queue: handing it the batch keeps the
                // order. (Checked on every turn: the consumer may have emptied the queue and
                // started waiting while this thread waited for space.)
                if let waiter = state.waiter {
                    state.waiter = nil
                    return .handedTo(waiter)
                }
                if state.queue.count < capacity {
                    state.queue.append(batch)
                    return .queued
                }
                state.senderWaits = true
                return .waitForSpace
            }
            switch step {
            case .closed: return false
            case .handedTo(let waiter):
                waiter.resume(returning: batch)
                return true
            case .queued: return true
            case .waitForSpace:
                guard let whileWaiting else {
                    spaceFreed.wait()
                    continue
                }
                if spaceFreed.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
                    // (A signal racing this timeout only makes the next wait return early.)
                    state.withLock { $0.senderWaits = false }
                    whileWaiting()
                }
            }
        }
    }

    /// The next batch; `nil` once the channel is closed.
    func receive() async -> FollowerBatch? {
        await withCheckedContinuation { (continuation: CheckedContinuation<FollowerBatch?, Never>) in
            enum Outcome {
                case batch(FollowerBatch, wakeSender: Bool)
                case closed
                case waiting
            }
            let outcome = state.withLock { state -> Outcome in
                if let batch = state.queue.popFirst() {
                    defer { state.senderWaits = false }
                    return .batch(batch, wakeSender: state.senderWaits)
                }
                if state.closed { return .closed }
                // Invariant: a consumer waits only while the queue is empty.
                precondition(state.waiter == nil, "a follower's batches are consumed by one task at a time")
                state.waiter = continuation
                return .waiting
            }
            switch outcome {
            case .batch(let batch, let wakeSender):
                if wakeSender { spaceFreed.signal() }
                continuation.resume(returning: batch)
            case .closed: continuation.resume(returning: nil)
            case .waiting: break
            }
        }
    }

    /// Closes the channel: a blocked sender returns `false`; the consumer gets what is
    /// queued, then `nil`.
    func close() {
        let (waiter, wakeSender) = state.withLock { state in
            state.closed = true
            defer {
                state.waiter = nil
                state.senderWaits = false
            }
            return (state.waiter, state.senderWaits)
        }
        if wakeSender { spaceFreed.signal() }
        waiter?.resume(returning: nil)
        wakeup.wake()
    }
}

/// Closes its channel when released: held by the stream's producing closure, so a
/// stream that is dropped (not only cancelled) stops its follower thread.
final class ChannelLifetime: Sendable {
    let channel: BatchChannel
    init(_ channel: BatchChannel) { self.channel = channel }
    deinit { channel.close() }
}
