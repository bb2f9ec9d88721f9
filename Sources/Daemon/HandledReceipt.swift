import Synchronization

/// A one-time signal from the engine loop to the task that handed it an input: the
/// input was handled (or will never be: the waiting side was cancelled). Signalling
/// twice, or before anyone waits, is harmless.
final class HandledReceipt: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Void, Never>)
        case signalled
    }

    private let state = Mutex(State.idle)

    /// Waits for ``signal()``, or for the task's cancellation; `handOver` runs once the
    /// wait is in place (it hands the input over).
    func wait(handingOver handOver: () -> Void) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if case .signalled = state { return true }
                    state = .waiting(continuation)
                    return false
                }
                if resumeNow {
                    continuation.resume()
                } else {
                    handOver()
                }
            }
        } onCancel: {
            signal()
        }
    }

    /// Ends the wait.
    func signal() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state = .signalled }
            if case .waiting(let continuation) = state { return continuation }
            return nil
        }
        continuation?.resume()
    }
}
