import Foundation
import Glibc

/// Reads a whole text file, or says why not in the words of `strerror`.
enum FileText {
    /// The file's text, or the reason it cannot be read ("No such file or directory",
    /// "Permission denied", "Is a directory", "not valid UTF-8").
    static func contents(of path: String) -> Result<String, FileTextError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(FileTextError(reason: errnoText())) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(FileTextError(reason: errnoText()))
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            return .failure(FileTextError(reason: "the file is not valid UTF-8 text"))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return .success(text)
    }

    /// `strerror(errno)`.
    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// Why a file could not be read.
struct FileTextError: Error, Sendable {
    /// The reason, e.g. "No such file or directory".
    var reason: String
}
