import FeedFollower

/// The follower's file identity (its module and the store's both name it `FileIdentity`).
typealias FollowedFileIdentity = FileIdentity
