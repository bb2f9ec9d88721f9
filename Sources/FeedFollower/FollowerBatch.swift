/// What a ``FeedFollower`` hands over at once: messages and events that became complete
/// together, and where every followed file stands afterwards.
///
/// Per file, events and messages are in file order. A batch is cut so that, for each
/// file, its events come before its messages: an event about a file never follows a
/// message of the same file in one batch (it goes to the next batch instead).
public struct FollowerBatch: Sendable {
    /// Complete messages, in file order per file.
    public var messages: [FollowedMessage]
    /// Feed events, in order per file; each precedes the file's messages in this batch.
    public var events: [FeedEvent]
    /// The checkpoints that moved with this batch (every file's, the first time it is
    /// handed out), at message boundaries: a store upserts them. Files not listed stand
    /// where an earlier batch put them.
    public var checkpoints: [FollowerCheckpoint]
    /// Problems met while following (a file that cannot be opened or read, a folder
    /// that cannot be watched), each reported once.
    public var errors: [FollowerError]
    /// The last checkpoints of files let go in this batch (rotated away or deleted, read
    /// to their end): a store forgets them, so a later file reusing the inode is not
    /// taken for them.
    public var released: [FollowerCheckpoint]
    /// The batch's number in its stream (1, 2, ...): the consumer acknowledges it once
    /// committed (``FeedFollower/acknowledge(_:)``).
    public var sequence: Int = 0

    /// Creates a batch.
    public init(
        messages: [FollowedMessage] = [], events: [FeedEvent] = [], checkpoints: [FollowerCheckpoint] = [],
        errors: [FollowerError] = [], released: [FollowerCheckpoint] = []
    ) {
        self.released = released
        self.messages = messages
        self.events = events
        self.checkpoints = checkpoints
        self.errors = errors
    }
}
