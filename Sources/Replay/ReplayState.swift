import Foundation
import Surveillance

/// What `replay --state PATH` keeps between runs: the engine's state and, per feed
/// file (by path as given), the offset just past the last message replayed and the time
/// it was merged at (an implausible next message is merged at it), so a later run
/// continues where this one stopped.
public struct ReplayState: Codable, Sendable {
    /// The version of this file's layout.
    public static let currentVersion = 1

    /// The layout version this file was written with.
    public var version = ReplayState.currentVersion
    /// Per file, the offset just past the last message replayed from it.
    public var files: [String: Int] = [:]
    /// Per file, the merge key of the last message replayed from it (absent in files
    /// written before it was kept, and when files were not merged).
    public var mergeKeys: [String: Int64]?
    /// The engine's state (patients, exposures, episodes, clock).
    public var engine = SurveillanceState()

    /// An empty state: no file replayed yet, the engine as new.
    public init() {}

    /// The state saved at `path`; an empty state when no file is there. A file of
    /// another layout version is an error.
    public static func load(_ path: String) throws -> ReplayState {
        guard FileManager.default.fileExists(atPath: path) else { return ReplayState() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let state = try JSONDecoder().decode(ReplayState.self, from: data)
        guard state.version == currentVersion else {
            throw CocoaError(
                .fileReadCorruptFile,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "replay state version \(state.version) is not \(currentVersion)"
                ])
        }
        return state
    }

    /// Writes atomically (a temporary file renamed over the old one), mode 0600 from the
    /// moment it is created (`open(2)` with `O_CREAT | O_EXCL`, never tightened after).
    public func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        let temporary = path + ".tmp"
        func failure(_ file: String) -> CocoaError {
            CocoaError(
                .fileWriteUnknown,
                userInfo: [
                    NSFilePathErrorKey: file, NSLocalizedDescriptionKey: String(cString: strerror(errno)),
                ])
        }
        // A temporary file left by an interrupted run may have any mode: start afresh.
        if unlink(temporary) != 0 && errno != ENOENT { throw failure(temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(temporary) }
        var written = 0
        let complete = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return fsync(descriptor) == 0
        }
        let error = failure(temporary)
        close(descriptor)
        guard complete else {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else { throw failure(path) }
    }
}
