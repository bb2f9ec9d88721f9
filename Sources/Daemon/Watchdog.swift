import FeedFollower
import Glibc
import Journal
import Logging
import Synchronization
import Threads

/// Sends `WATCHDOG=1` while every loop of the daemon makes progress: the follower turned,
/// and the engine, store and outbox are either waiting for work or finished their current
/// piece, each within half of `WatchdogSec`. A stuck loop withholds the ping, so systemd
/// restarts the daemon (from its last checkpoint: nothing is lost); the journal says
/// which loop was stuck.
struct Watchdog: Sendable {
    /// `WatchdogSec=` as the manager passed it (`WATCHDOG_USEC`).
    let interval: Duration
    /// The loop that turns all the time.
    let follower: LoopHealth
    /// Loops that wait for work in between.
    let others: [LoopHealth]
    let notifier: SystemdNotifier
    let logger: Logger

    /// How often the loops are checked (and the ping sent): a quarter of the interval.
    var checkInterval: Duration { interval / 4 }
    /// How long a loop may go without progress: half the interval.
    var limit: Duration { interval / 2 }

    /// Checks and pings until cancelled, on a thread of its own: a cooperative pool kept
    /// busy by a long backlog (two threads on a 2-core machine) cannot delay the ping.
    func run() async {
        let stop = StopFlag()
        await withTaskCancellationHandler {
            _ = try? await DedicatedThread.run { [self] in self.loop(until: stop) }
        } onCancel: {
            stop.set()
        }
    }

    /// The checking loop (blocking).
    private func loop(until stop: StopFlag) {
        let start = ContinuousClock.now
        var withheld: Set<String> = []
        while !stop.isSet {
            let now = ContinuousClock.now
            var stuck: [(String, Duration)] = []
            if let quiet = follower.stuckTurning(at: now, limit: limit, since: start) {
                stuck.append((follower.name, quiet))
            }
            for loop in others {
                if let busy = loop.stuck(at: now, limit: limit) { stuck.append((loop.name, busy)) }
            }
            if stuck.isEmpty {
                _ = try? notifier.notify(.watchdog)
                if !withheld.isEmpty {
                    logger.notice("watchdog: every loop makes progress again; WATCHDOG=1 resumed")
                    withheld.removeAll()
                }
            } else {
                for (name, duration) in stuck where withheld.insert(name).inserted {
                    logger.warning(
                        "watchdog: the \(name) loop has made no progress for \(duration); WATCHDOG=1 withheld",
                        metadata: ["loop": "\(name)"])
                }
            }
            // Sleep in short steps, so that a stop is noticed soon.
            let wake = ContinuousClock.now + checkInterval
            while !stop.isSet && ContinuousClock.now < wake {
                let left = ContinuousClock.now.duration(to: wake)
                let step = min(left, .milliseconds(50))
                let (seconds, attoseconds) = step.components
                var pause = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
                nanosleep(&pause, nil)
            }
        }
    }

    /// Set when the watchdog's task is cancelled.
    final class StopFlag: Sendable {
        private let flag = Mutex(false)
        var isSet: Bool { flag.withLock { $0 } }
        func set() { flag.withLock { $0 = true } }
    }
}
