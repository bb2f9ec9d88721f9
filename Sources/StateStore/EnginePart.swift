/// One separately stored piece of the engine's state (a patient's record, a processed
/// message identity), so that a batch writes only the pieces it changed. The store does
/// not interpret kinds, keys or values.
public struct EnginePart: Sendable, Hashable {
    /// Which collection the piece belongs to (the engine's numbering).
    public var kind: Int
    /// The piece's key within its kind.
    public var key: [UInt8]
    /// The piece's encoded value.
    public var value: [UInt8]
    /// When the piece next has something to prune (the engine's clock, seconds since the
    /// epoch; `Int64.max`: not until it changes), so that pruning finds the stored pieces
    /// that are due by an index (``EnginePartReader/keysDue(kind:through:)``) instead of
    /// reading them all; `nil`: not known (pieces stored before due times were kept).
    public var due: Int64?

    /// Creates a part.
    public init(kind: Int, key: [UInt8], value: [UInt8], due: Int64? = nil) {
        self.kind = kind
        self.key = key
        self.value = value
        self.due = due
    }
}

/// The kind and key of an ``EnginePart`` (to remove it).
public struct EnginePartKey: Sendable, Hashable {
    /// Which collection.
    public var kind: Int
    /// The key within it.
    public var key: [UInt8]

    /// Creates a part key.
    public init(kind: Int, key: [UInt8]) {
        self.kind = kind
        self.key = key
    }
}
