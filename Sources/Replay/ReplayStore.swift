import BinaryRecords
import ClinicalEvents
import EngineStorage
import Foundation
import StateStore
import Surveillance

/// Replay's state on disk: the daemon's state schema in a SQLite file (``SQLitePartFile``),
/// holding the engine's records and identities as parts (``PersistedEngineState``), its
/// remainder (clock, merges), and per feed file where replay stopped. The engine pages
/// records from it as the daemon does from its store, so replay's memory is bounded by
/// the engine's cache, not by the number of patients.
///
/// `replay --state PATH` uses PATH, committed every few thousand messages and at the end
/// (each commit consistent: the positions with the state they belong to, so a run that
/// was stopped continues from its last commit). Without `--state`, a temporary file
/// (mode 0600, in `TMPDIR`) is removed by ``close()``. A `--state` file written by an
/// earlier build (JSON) is read, kept beside as `PATH.json-v1`, and its content written
/// to PATH in the new format by the first commit.
public final class ReplayStore {
    /// The state file.
    public let path: String
    /// What the file held when opened: where each file stopped, and the engine state to
    /// start from (its remainder; records and identities are read when needed).
    public let loaded: ReplayState
    /// The engine's paged source over the file.
    public let source: StoredStateSource
    private let file: SQLitePartFile
    private var persisted: PersistedEngineState
    /// Positions to write at the next commit besides the run's own (those of a JSON
    /// state file of an earlier build).
    private var carriedPositions: [String: (offset: Int, mergeKey: Int64?)] = [:]
    /// The temporary folder to remove at close, when the file is temporary.
    private let temporaryFolder: String?

    /// Opens the state file at `path`, or a temporary one when `path` is `nil`.
    ///
    /// - Throws: a ``StateStoreError`` (the file is not an extravasd state database, or
    ///   SQLite cannot use it), a JSON state file's decoding error, or a file system error.
    public init(path: String?) throws {
        var legacy: ReplayState?
        if let path {
            temporaryFolder = nil
            self.path = path
            if Self.isJSON(path) {
                legacy = try ReplayState.load(path)
                guard rename(path, path + ".json-v1") == 0 else {
                    throw CocoaError(
                        .fileWriteUnknown,
                        userInfo: [
                            NSFilePathErrorKey: path + ".json-v1",
                            NSLocalizedDescriptionKey: String(cString: strerror(errno)),
                        ])
                }
            }
        } else {
            let base =
                (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
            var template = Array((base + "/extravasd-replay-XXXXXX").utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw CocoaError(
                    .fileWriteUnknown,
                    userInfo: [
                        NSFilePathErrorKey: base, NSLocalizedDescriptionKey: String(cString: strerror(errno)),
                    ])
            }
            temporaryFolder = String(cString: made)
            self.path = temporaryFolder! + "/replay-state.sqlite"
        }
        let directory = (self.path as NSString).deletingLastPathComponent
        file = try SQLitePartFile(
            path: self.path, directory: directory.isEmpty ? "." : directory, durable: temporaryFolder == nil)
        source = StoredStateSource(reader: file)
        if let legacy {
            persisted = .unstored(legacy.engine)
            for (file, offset) in legacy.files { carriedPositions[file] = (offset, legacy.mergeKeys?[file]) }
            loaded = legacy
        } else {
            let (engine, persisted) = try PersistedEngineState.load(
                remainder: try file.engineState()?.bytes,
                parts: try file.engineParts(
                    kinds: PersistedEngineState.startKinds,
                    unknownDueKinds: PersistedEngineState.startUnknownDueKinds))
            self.persisted = persisted
            var state = ReplayState()
            state.engine = engine
            for part in try file.engineParts(kinds: [PersistedEngineState.Kind.replayPosition.rawValue]) {
                let (path, offset, mergeKey) = try Self.position(part)
                state.files[path] = offset
                if let mergeKey {
                    state.mergeKeys = (state.mergeKeys ?? [:]).merging([path: mergeKey]) { $1 }
                }
            }
            loaded = state
        }
    }

    deinit { close() }

    /// Commits what `engine` changed since its changes were last taken, with where each
    /// of `positions` stopped, in one transaction; then lets the engine go of what is past
    /// `cacheBytes`.
    ///
    /// Identities are written back (``SurveillanceEngine/writesBackIdentities``): when the
    /// engine lets go of them, and those it holds at the last commit (`final`) of a state
    /// file that persists.
    public func commit(
        _ engine: inout SurveillanceEngine, positions: [(path: String, offset: Int, mergeKey: Int64?)],
        cacheBytes: Int, final: Bool
    ) throws {
        let changes = try persisted.changes(to: engine.state, tracked: engine.takeChanges()) {
            engine.pruneDue(of: $0)
        }
        var parts = changes.parts
        if final && temporaryFolder == nil {
            parts += engine.state.processed.map(Self.identityPart).sorted {
                $0.key.lexicographicallyPrecedes($1.key)
            }
        }
        var all = carriedPositions
        for position in positions { all[position.path] = (position.offset, position.mergeKey) }
        for (path, position) in all.sorted(by: { $0.key < $1.key }) {
            var writer = BinaryWriter(capacity: 24)
            writer.byte(1)
            writer.signed(Int64(position.offset))
            writer.optional(position.mergeKey) { $0.signed($1) }
            parts.append(
                EnginePart(
                    kind: PersistedEngineState.Kind.replayPosition.rawValue, key: Array(path.utf8),
                    value: writer.bytes))
        }
        try file.commit(
            engineState: changes.remainder, version: SurveillanceState.currentVersion, parts: parts,
            removed: changes.removed)
        persisted.committed(remainder: changes.remainder)
        carriedPositions = [:]
        try engine.evict(keepingBytes: cacheBytes) { identities in
            try file.commit(
                engineState: nil, version: SurveillanceState.currentVersion,
                parts: identities.map(Self.identityPart),
                removed: [])
        }
    }

    private static func identityPart(_ identity: MessageIdentity, _ time: Instant) -> EnginePart {
        EnginePart(
            kind: PersistedEngineState.Kind.processedMessage.rawValue,
            key: ProcessedMessageFormat.key(identity),
            value: ProcessedMessageFormat.value(time), due: time.seconds)
    }

    /// Open episodes (with at least one alert) across every record: those `held` holds
    /// and those only stored. Call it after a commit.
    func openEpisodeCount(held: SurveillanceState) throws -> Int {
        var count = held.openEpisodeCount
        for part in try file.engineParts(kinds: [PersistedEngineState.Kind.patientRecord.rawValue]) {
            let record = try PatientRecordFormat.decode(part.value)
            if held.patients[record.key] == nil { count += record.episodes.count }
        }
        return count
    }

    /// Sets `engine` up to page through this file as replay does (``ReplayRun/page(through:cacheBytes:)``):
    /// its source, identities written back; then call ``commit(_:positions:cacheBytes:final:)``
    /// every ``ReplayRun/changesTakenEvery`` messages.
    public func page(_ engine: inout SurveillanceEngine) {
        engine.pagedState = source
        engine.writesBackIdentities = true
    }

    /// Closes the file; a temporary one is removed with its folder.
    public func close() {
        file.close()
        if let temporaryFolder {
            for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
            rmdir(temporaryFolder)
        }
    }

    private static func isJSON(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        return !head.isEmpty && !head.starts(with: Array("SQLite format 3".utf8))
    }

    private static func position(_ part: EnginePart) throws -> (String, Int, Int64?) {
        var reader = BinaryReader(part.value)
        let (offset, mergeKey) = try reader.reading("replay position") { reader throws(BinaryDecodingError) in
            guard try reader.byte() == 1 else {
                throw reader.error(.unknownVersion, "replay position of an unknown version")
            }
            return (
                Int(try reader.signed()),
                try reader.optional { reader throws(BinaryDecodingError) in try reader.signed() }
            )
        }
        try reader.expectEnd()
        return (String(decoding: part.key, as: UTF8.self), offset, mergeKey)
    }
}
