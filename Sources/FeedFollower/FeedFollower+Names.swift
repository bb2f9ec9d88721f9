extension FeedFollower {
    /// ``FileIdentity``, reachable as `FeedFollower.FileIdentity`.
    ///
    /// The module and its main class share a name, so `FeedFollower.FileIdentity` looks
    /// inside the class: this alias makes it name the module's type, which a client that
    /// also imports another `FileIdentity` (the state store's) spells that way.
    public typealias FileIdentity = FeedFollower::FileIdentity
}
