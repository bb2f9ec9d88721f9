import Foundation
import JournalTesting

/// Runs the `journalctl` binary, for checking what journald stored independently of
/// libsystemd's reading API.
enum Journalctl {
    struct Failure: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let stderr: String
        var description: String {
            "journalctl \(arguments.joined(separator: " ")) exited \(status): \(stderr)"
        }
    }

    static var executable: URL {
        let candidates = ["/usr/bin/journalctl", "/bin/journalctl"]
        let path = candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
        return URL(fileURLWithPath: path)
    }

    /// Runs journalctl with `arguments` and returns its standard output.
    static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both read before waiting (at once), so that neither can fill its pipe and block.
        let (data, errorData) = readToEnd(output, errors)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                arguments: arguments, status: process.terminationStatus,
                stderr: String(decoding: errorData, as: UTF8.self))
        }
        return data
    }

    /// `journalctl --sync`: returns once journald has written everything sent before.
    static func sync() throws {
        _ = try run(["--sync"])
    }

    /// `journalctl -o json --all MATCH...`: one field map per entry, values as bytes.
    ///
    /// journalctl prints a value as a JSON string when it is printable UTF-8 and as an
    /// array of byte numbers otherwise; a field with several values becomes an array of
    /// those (the first is kept here).
    static func entries(matching matches: [String]) throws -> [[String: [UInt8]]] {
        let output = try run(["-o", "json", "--all", "--no-pager"] + matches)
        return try output.split(separator: UInt8(ascii: "\n")).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line))
            guard let fields = object as? [String: Any] else {
                throw Failure(arguments: matches, status: 0, stderr: "not a JSON object: \(object)")
            }
            return fields.compactMapValues(bytes(of:))
        }
    }

    private static func bytes(of value: Any) -> [UInt8]? {
        if let string = value as? String { return Array(string.utf8) }
        if let numbers = value as? [NSNumber] { return numbers.map(\.uint8Value) }
        if let many = value as? [Any], let first = many.first { return bytes(of: first) }
        return nil
    }
}
