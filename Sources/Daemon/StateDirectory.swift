import Foundation

/// The state directory (SQLite state, dead letters: PHI): created with `mkdir(2)` at mode
/// 0700 (and any missing parent likewise), never created wider and tightened after.
enum StateDirectory {
    /// The mode of the state directory.
    static let mode: mode_t = 0o700

    /// Makes sure `path` is a directory of mode 0700: creates it (and its missing parents)
    /// at that mode, or takes away group and other access from an existing one.
    ///
    /// - Throws: `CocoaError` naming the path and the system's reason.
    static func prepare(_ path: String) throws {
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw failure(path, ENOTDIR) }
            if status.st_mode & 0o077 != 0, chmod(path, mode) != 0 { throw failure(path, errno) }
            return
        }
        guard errno == ENOENT else { throw failure(path, errno) }
        if let slash = path.dropLast().lastIndex(of: "/"), slash != path.startIndex {
            try prepareParent(String(path[..<slash]))
        }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw failure(path, errno) }
    }

    /// A missing parent: created at 0700 too (nothing else is meant to live there).
    private static func prepareParent(_ path: String) throws {
        var status = stat()
        if stat(path, &status) == 0 { return }
        if let slash = path.dropLast().lastIndex(of: "/"), slash != path.startIndex {
            try prepareParent(String(path[..<slash]))
        }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw failure(path, errno) }
    }

    private static func failure(_ path: String, _ code: Int32) -> CocoaError {
        CocoaError(
            .fileWriteUnknown,
            userInfo: [
                NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey:
                    "cannot create the state directory \(path): \(String(cString: strerror(code)))",
            ])
    }
}
