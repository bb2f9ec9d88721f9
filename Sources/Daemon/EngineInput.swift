import FeedFollower

/// What the engine loop takes, from one stream: a batch of the file follower or a batch
/// of the MLLP listener. The engine stays one task; the store sees one transaction per
/// input (for MLLP: everything waiting in the inbox when the engine takes it).
enum EngineInput: Sendable {
    /// A follower batch of the follower started `generation`-th (a batch of an earlier
    /// follower, replaced on reload, is dropped); `receipt` is signalled once handled,
    /// so the follower reads no further ahead than before.
    case follower(FollowerBatch, generation: Int, receipt: HandledReceipt)
    /// The follower started `generation`-th ended its stream.
    case followerEnded(generation: Int)
    /// Messages or connection events of the MLLP listener wait in the ``MLLPInbox``.
    case mllp
}
