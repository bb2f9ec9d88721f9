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
}
