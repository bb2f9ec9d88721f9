import Glibc

/// A bounded hand-off of batches from the follower's thread to an async consumer.
///
/// The thread blocks in ``send(_:)`` while the consumer is behind (so a large backlog
/// is read no faster than it is consumed, in bounded memory); ``close()`` (cancellation,
/// or the stream going away) releases both sides.
final class BatchChannel: @unchecked Sendable {
    // All mutable state is guarded by `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let spaceFreed: UnsafeMutablePointer<pthread_cond_t>
    private var queue: [FollowerBatch] = []
    private var waiter: CheckedContinuation<FollowerBatch?, Never>?
    private var closed = false
    private let capacity: Int
    /// Woken on close, so a thread waiting in `poll(2)` notices.
    let wakeup: WakeupPipe

    init(capacity: Int = 2) {
        self.capacity = max(1, capacity)
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        spaceFreed = .allocate(capacity: 1)
        spaceFreed.initialize(to: pthread_cond_t())
        pthread_cond_init(spaceFreed, nil)
        wakeup = WakeupPipe()
    }

    deinit {
        pthread_cond_destroy(spaceFreed)
        spaceFreed.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Whether the channel was closed.
    var isClosed: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return closed
    }

    /// Hands a batch over, blocking while the queue is full. Returns `false` once closed.
    /// `whileWaiting` is called every 100 ms while it blocks (outside the lock): a
    /// follower waiting for a busy consumer is still making progress.
    func send(_ batch: FollowerBatch, whileWaiting: (@Sendable () -> Void)? = nil) -> Bool {
        pthread_mutex_lock(mutex)
        while true {
            if closed {
                pthread_mutex_unlock(mutex)
                return false
            }
            // A waiting consumer means an empty queue: handing it the batch keeps the order.
            // (Checked on every turn: the consumer may have emptied the queue and started
            // waiting while this thread waited for space.)
            if let waiter {
                self.waiter = nil
                pthread_mutex_unlock(mutex)
                waiter.resume(returning: batch)
                return true
            }
            if queue.count < capacity {
                queue.append(batch)
                pthread_mutex_unlock(mutex)
                return true
            }
            guard let whileWaiting else {
                pthread_cond_wait(spaceFreed, mutex)
                continue
            }
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            var deadline = timespec(tv_sec: now.tv_sec, tv_nsec: now.tv_nsec + 100_000_000)
            if deadline.tv_nsec >= 1_000_000_000 {
                deadline.tv_sec += 1
                deadline.tv_nsec -= 1_000_000_000
            }
            if pthread_cond_timedwait(spaceFreed, mutex, &deadline) == ETIMEDOUT {
                pthread_mutex_unlock(mutex)
                whileWaiting()
                pthread_mutex_lock(mutex)
            }
        }
    }

    /// The next batch; `nil` once the channel is closed.
    func receive() async -> FollowerBatch? {
        await withCheckedContinuation { (continuation: CheckedContinuation<FollowerBatch?, Never>) in
            pthread_mutex_lock(mutex)
            if !queue.isEmpty {
                let batch = queue.removeFirst()
                pthread_cond_signal(spaceFreed)
                pthread_mutex_unlock(mutex)
                continuation.resume(returning: batch)
            } else if closed {
                pthread_mutex_unlock(mutex)
                continuation.resume(returning: nil)
            } else {
                // Invariant: a consumer waits only while the queue is empty.
                precondition(waiter == nil, "a follower's batches are consumed by one task at a time")
                waiter = continuation
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Closes the channel: a blocked sender returns `false`; the consumer gets what is
    /// queued, then `nil`.
    func close() {
        pthread_mutex_lock(mutex)
        closed = true
        let waiter = self.waiter
        self.waiter = nil
        pthread_cond_broadcast(spaceFreed)
        pthread_mutex_unlock(mutex)
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
