/// Reads stored engine pieces (``EnginePart``) one at a time, on the thread that calls it:
/// how the engine pages patient records from the store instead of holding them all.
///
/// A reader sees what was committed, never a batch in progress: the engine keeps every
/// piece it changed until the store committed it, and reads only the others. Calls on
/// one reader are serialized by the reader; it may be used from any thread.
public protocol EnginePartReader: Sendable {
    /// The value stored for `key` of `kind`, or `nil` when none is.
    func value(kind: Int, key: [UInt8]) throws -> [UInt8]?
    /// The keys of `kind` stored with a due time at or before `time` (seconds), by key.
    func keysDue(kind: Int, through time: Int64) throws -> [[UInt8]]
    /// Calls `body` with the key of each piece of `kind`, by key (streamed).
    func forEachKey(kind: Int, _ body: ([UInt8]) throws -> Void) throws
    /// How many pieces of `kind` are stored.
    func count(kind: Int) throws -> Int
    /// Closes the reader; later calls throw. Safe to call more than once.
    func close()
    /// The values stored for those of `keys` of `kind` that are stored, by key. A reader
    /// whose every read is a round trip to a server reads them in one; the default reads
    /// them one at a time with ``value(kind:key:)``.
    func values(kind: Int, keys: [[UInt8]]) throws -> [[UInt8]: [UInt8]]
    /// Whether reading many values in one call (``values(kind:keys:)``) costs much less
    /// than reading them one at a time (a server's round trip per read); `false` by default.
    var readsManyAtOnce: Bool { get }
}

extension EnginePartReader {
    /// Reads each key with ``value(kind:key:)``.
    public func values(kind: Int, keys: [[UInt8]]) throws -> [[UInt8]: [UInt8]] {
        var found: [[UInt8]: [UInt8]] = [:]
        for key in keys {
            if let value = try value(kind: kind, key: key) { found[key] = value }
        }
        return found
    }

    /// `false`: a read costs about as much alone as in a batch (a local file).
    public var readsManyAtOnce: Bool { false }
}
