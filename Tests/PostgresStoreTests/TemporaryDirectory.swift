import Foundation

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
struct TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "extravasd-store-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        path = String(cString: created)
    }

    /// `<directory>/extravasd.sqlite`.
    var databasePath: String { path + "/extravasd.sqlite" }

    /// The permission bits of `path` (`nil` when it does not exist).
    static func mode(of path: String) -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return status.st_mode & 0o7777
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
