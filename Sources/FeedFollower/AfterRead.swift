/// What the follower does with a feed file once it is fully read, quiet past the settle
/// time, and its messages' effects are committed (``FeedFollower/acknowledge(_:)``).
public enum AfterRead: Sendable, Hashable {
    /// Leave it where it is (the default).
    case keep
    /// Delete it.
    case delete
    /// Move it into `folder` (on the same file system; a name already taken there gets a
    /// `-N` suffix before its extension). The folder must not be matched by the patterns.
    case move(folder: String)
}
