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

    /// Creates a part.
    public init(kind: Int, key: [UInt8], value: [UInt8]) {
        self.kind = kind
        self.key = key
        self.value = value
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
