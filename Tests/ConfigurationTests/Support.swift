import Configuration
import Foundation
import Testing

/// A temporary folder holding files for one test, removed when dropped.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "extravasd-config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` inside the folder (creating subfolders); returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        let folder = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// The repository's `config/` folder.
let repositoryConfigFolder: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("config").path
}()

/// The issues of a configuration that must fail to load.
func issues(yaml: String, path: String = "/etc/extravasd/extravasd.yaml") -> [ConfigurationIssue] {
    do {
        _ = try ConfigurationLoader.load(yaml: yaml, path: path)
        Issue.record("expected configuration errors, got none")
        return []
    } catch {
        return error.issues
    }
}

/// The issues of a configuration file that must fail to load.
func issues(path: String) -> [ConfigurationIssue] {
    do {
        _ = try ConfigurationLoader.load(path: path)
        Issue.record("expected configuration errors, got none")
        return []
    } catch {
        return error.issues
    }
}

/// Loads a configuration that must be valid.
func load(_ yaml: String, path: String = "/etc/extravasd/extravasd.yaml") throws -> ExtravasdConfiguration {
    do {
        return try ConfigurationLoader.load(yaml: yaml, path: path)
    } catch {
        Issue.record("unexpected configuration errors:\n\(error)")
        throw error
    }
}
