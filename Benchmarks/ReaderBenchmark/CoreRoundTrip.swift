// How far apart the machine's CPUs are right now: the pipelined replay hands every
// message from one thread to another, so its speed depends on what a cache line costs
// to move between the two CPUs they run on. On a virtual machine that cost is not fixed:
// the host may run the two virtual CPUs on cores that share a cache (60-100 ns for a
// round trip here) or on cores that do not (350 ns and more), and may change its mind
// from one second to the next. The single-thread replay and the baseline do not depend
// on it; measured around each pipelined round, it says which rounds ran on a split host.

import Dispatch
import Foundation
import Synchronization

/// The counter two threads take turns on.
private final class TurnCounter: Sendable {
    let value = Atomic<Int>(0)
    let finished = DispatchSemaphore(value: 0)
}

/// The mean time, in nanoseconds, for a cache line to go from this thread's CPU to
/// another thread's and back: two threads take turns incrementing one atomic counter,
/// each waiting (spinning) for the other's turn. `nil` on a machine with one CPU (the
/// other thread would only run when this one is descheduled).
func cacheLineRoundTripNanoseconds(turns: Int = 100_000) -> Double? {
    guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return nil }
    let counter = TurnCounter()
    let warmUp = 1_000
    let thread = Thread {
        for turn in 0..<(warmUp + turns) {
            while counter.value.load(ordering: .acquiring) != 2 * turn + 1 {}
            counter.value.store(2 * turn + 2, ordering: .releasing)
        }
        counter.finished.signal()
    }
    thread.start()
    var start = DispatchTime.now()
    for turn in 0..<(warmUp + turns) {
        // (The first turns include the thread's start: not timed.)
        if turn == warmUp { start = DispatchTime.now() }
        counter.value.store(2 * turn + 1, ordering: .releasing)
        while counter.value.load(ordering: .acquiring) != 2 * turn + 2 {}
    }
    let elapsed = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
    counter.finished.wait()
    return Double(elapsed) / Double(turns)
}
