import NIOCore
import Synchronization

/// The open connections of a listener: at most a number at once (more are refused and
/// counted), all closed at shutdown.
final class ConnectionRegistry: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var refused = 0
        var closing = false
    }

    private let state = Mutex(State())
    private let maximum: Int

    init(maximum: Int) {
        self.maximum = max(1, maximum)
    }

    /// Takes a place for `channel`; `false` (counted as refused) when all are taken or
    /// the listener is closing.
    func admit(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard !state.closing, state.open.count < maximum else {
                state.refused += 1
                return false
            }
            state.open[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    /// Gives back the place of a closed channel.
    func release(_ channel: any Channel) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// How many connections were refused so far.
    var refusedCount: Int { state.withLock { $0.refused } }

    /// How many connections are open.
    var openCount: Int { state.withLock { $0.open.count } }

    /// Admits no more connections; returns the open ones.
    func closeAll() -> [any Channel] {
        state.withLock { state in
            state.closing = true
            return Array(state.open.values)
        }
    }
}
