/// The progress records of the daemon's loops (see ``DaemonLoop``).
struct DaemonHealth: Sendable {
    let follower = LoopHealth(name: DaemonLoop.follower.rawValue)
    let engine = LoopHealth(name: DaemonLoop.engine.rawValue)
    let store = LoopHealth(name: DaemonLoop.store.rawValue)
    let outbox = LoopHealth(name: DaemonLoop.outbox.rawValue)
    let review = LoopHealth(name: DaemonLoop.review.rawValue)
}
