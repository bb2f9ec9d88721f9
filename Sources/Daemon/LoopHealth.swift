import Synchronization

/// Whether one of the daemon's loops is still making progress, for the watchdog.
///
/// Two kinds of loop report here: one that turns all the time (the follower, whose
/// `poll(2)` wakes at least every second) calls ``beat()`` at each turn; one that waits
/// for work in between (the engine, the outbox, the store) calls ``begin()`` when work
/// arrives and ``end()`` when it is done. A loop waiting for work is healthy however
/// long it waits: an idle feed must not stop the watchdog.
public final class LoopHealth: Sendable {
    /// The loop's name, for the journal (`follower`, `engine`, `store`, `outbox`).
    public let name: String
    private struct State {
        var lastBeat: ContinuousClock.Instant?
        var busySince: ContinuousClock.Instant?
    }
    private let state = Mutex(State())

    /// Creates the record of loop `name`.
    public init(name: String) {
        self.name = name
    }

    /// The loop turned (a loop that turns all the time).
    public func beat() {
        let now = ContinuousClock.now
        state.withLock { $0.lastBeat = now }
    }

    /// Work arrived. A loop already busy (a failed `end` never came) stays busy since then.
    public func begin() {
        let now = ContinuousClock.now
        state.withLock { if $0.busySince == nil { $0.busySince = now } }
    }

    /// The work is done; the loop waits again.
    public func end() {
        let now = ContinuousClock.now
        state.withLock {
            $0.busySince = nil
            $0.lastBeat = now
        }
    }

    /// How long the loop has been stuck at `now`, if longer than `limit`: busy with one
    /// piece of work, or (a turning loop) without a turn. `nil` when healthy.
    public func stuck(at now: ContinuousClock.Instant, limit: Duration) -> Duration? {
        state.withLock { state in
            if let busySince = state.busySince {
                let busy = busySince.duration(to: now)
                return busy > limit ? busy : nil
            }
            return nil
        }
    }

    /// Like ``stuck(at:limit:)`` for a loop that turns all the time: also stuck when its
    /// last turn is older than `limit` (or it never turned since `start`).
    public func stuckTurning(
        at now: ContinuousClock.Instant, limit: Duration, since start: ContinuousClock.Instant
    )
        -> Duration?
    {
        if let busy = stuck(at: now, limit: limit) { return busy }
        let last = state.withLock { $0.lastBeat } ?? start
        let quiet = last.duration(to: now)
        return quiet > limit ? quiet : nil
    }
}
