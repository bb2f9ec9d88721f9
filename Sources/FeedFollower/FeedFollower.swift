import HL7

/// Follows the HL7 v2 feed files an interface engine writes: the live input of the daemon.
///
/// It watches the folders of its glob patterns with inotify and rescans the patterns
/// periodically (and after an inotify queue overflow) as a safety net. A message is
/// handed out once complete: when the next `MSH` starts, at a 0x1C frame end, or — the
/// file being tailed — once its last byte is a segment terminator and the writer closed
/// the file (`IN_CLOSE_WRITE`) or the file stayed quiet for the settle time. Segment
/// lines that arrive after a message was completed that way, before any new `MSH`, come
/// out as ``FeedEvent/orphanSegments(path:offset:bytes:)``. A partial last message waits.
///
/// Rotation: a file renamed away (or deleted) is read to its end and let go once quiet
/// for the settle time; a new file at a pattern path is read from its start (after the
/// file it replaced was let go); a file that shrank below what was read, or whose first
/// bytes changed, is read again from its start with ``FeedEvent/truncated(path:)``.
///
/// All the work runs on a dedicated thread that blocks in `poll(2)`; batches reach the
/// consumer through a bounded hand-off, so a slow consumer slows reading rather than
/// growing memory.
public final class FeedFollower: Sendable {
    /// What is followed and how.
    public let settings: FollowerSettings
    /// Where each file stood before: a file whose identity matches one resumes at its offset.
    public let checkpoints: [FollowerCheckpoint]

    /// Creates a follower.
    ///
    /// A file whose device, inode and fingerprint match a checkpoint's (the checkpoint's
    /// fingerprint a prefix of the file's first bytes) resumes at the checkpoint's offset.
    /// Any other file is read from its start; one with a checkpoint's device and inode but
    /// other first bytes, or shorter than its checkpoint, also gets a
    /// ``FeedEvent/truncated(path:)``.
    public init(settings: FollowerSettings, checkpoints: [FollowerCheckpoint] = []) {
        self.settings = settings
        self.checkpoints = checkpoints
    }

    /// Batches of complete messages and feed events, in file order per file, as they
    /// become complete. The sequence ends when the consuming task is cancelled (or the
    /// sequence is dropped).
    ///
    /// Each call starts an independent follow from ``checkpoints``, on a thread of its
    /// own; consume one sequence from one task. The first batch holds an
    /// ``FeedEvent/opened(path:)`` for every file found at start.
    public func batches() -> AsyncStream<FollowerBatch> {
        let channel = BatchChannel()
        let lifetime = ChannelLifetime(channel)
        let settings = self.settings
        let checkpoints = self.checkpoints
        let failure = startDetachedThread {
            FollowLoop(settings: settings, checkpoints: checkpoints, channel: channel).run()
            channel.close()
        }
        if let failure {
            _ = channel.send(
                FollowerBatch(errors: [
                    FollowerError(code: .thread, path: "feed-follower", errorNumber: failure)
                ]))
            channel.close()
        }
        return AsyncStream(
            unfolding: { await lifetime.channel.receive() },
            onCancel: { lifetime.channel.close() })
    }
}
