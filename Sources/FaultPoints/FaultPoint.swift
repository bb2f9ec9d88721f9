#if DEBUG
    import Glibc
    import Synchronization
#endif

/// A named step of the daemon's path from input to journal where a test can kill it
/// (`SIGKILL`, as a power cut or the OOM killer would): DESIGN.md section 7's exactly-once
/// promise must hold whichever step the process dies at.
///
/// Armed only in debug builds (the test builds), by `EXTRAVASD_TEST_FAULT=POINT:N`: the
/// process kills itself the N-th time it reaches `POINT` (N from 1). In a release build
/// ``reached(_:)`` is empty and the variable is not read.
public enum FaultPoint: String, Sendable, CaseIterable {
    /// The engine took an input (a follower batch or the MLLP messages waiting), before
    /// processing it.
    case read
    /// A batch's store transaction committed, before its alerts go to the outbox and its
    /// MLLP messages are acknowledged.
    case commit
    /// An alert's journal entry was sent, before it is marked delivered.
    case send
    /// Alerts were marked delivered in the store.
    case mark
    /// An MLLP connection wrote acknowledgements to its socket.
    case ack

    /// Called at the step: kills the process when this is the armed point's N-th time.
    @inline(__always)
    public func reached() {
        #if DEBUG
            FaultInjection.reached(self)
        #endif
    }
}

#if DEBUG
    /// The armed fault of this process (`EXTRAVASD_TEST_FAULT`), and how often it was reached.
    enum FaultInjection {
        static let armed: (point: FaultPoint, count: Int)? = {
            guard let value = getenv("EXTRAVASD_TEST_FAULT").map({ String(cString: $0) }) else { return nil }
            let parts = value.split(separator: ":")
            guard parts.count == 2, let point = FaultPoint(rawValue: String(parts[0])),
                let count = Int(parts[1]), count > 0
            else { return nil }
            return (point, count)
        }()
        static let hits = Atomic<Int>(0)

        static func reached(_ point: FaultPoint) {
            guard let armed, armed.point == point else { return }
            if hits.add(1, ordering: .sequentiallyConsistent).newValue == armed.count {
                kill(getpid(), SIGKILL)
                // SIGKILL is not delivered asynchronously to nothing: wait for it here.
                while true { pause() }
            }
        }
    }
#endif
