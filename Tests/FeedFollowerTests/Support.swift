import FeedFollower
import Glibc
import HL7
import Testing

/// A fresh folder under /tmp, removed (with the files in it) by ``remove()``.
struct TemporaryFolder {
    let path: String

    init() {
        var template = Array("/tmp/feedfollower-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name != "." && name != ".." { unlink(file(name)) }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}

/// Writes to files as an interface engine would.
enum Disk {
    /// Opens `path` for appending (created if missing), writes `text`, closes it.
    static func append(_ text: String, to path: String) {
        let writer = Writer(path)
        writer.write(text)
        writer.close()
    }

    /// Replaces the content of `path` with `text` (open with O_TRUNC, write, close).
    static func overwrite(_ path: String, with text: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(descriptor >= 0)
        writeAll(descriptor, Array(text.utf8))
        close(descriptor)
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        var start = 0
        while start < bytes.count {
            let written = bytes[start...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            precondition(written > 0)
            start += written
        }
    }
}

/// A file held open for appending, written in pieces.
final class Writer {
    private var descriptor: Int32

    init(_ path: String) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        precondition(descriptor >= 0, "cannot open \(path)")
    }

    func write(_ text: String) { Disk.writeAll(descriptor, Array(text.utf8)) }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}

/// An ORU message with control id `id`, segments ending in CR, and a last CR.
func message(_ id: String, patient: String = "12345") -> String {
    "MSH|^~\\&|LAB|HOSP|EXTRAVASD|HOSP|20240101120000||ORU^R01|\(id)|P|2.5\r"
        + "PID|1||\(patient)^^^HOSP^MR\r"
        + "OBX|1|TX|SITE^Site^L||left heel erythema||||||F\r"
}

/// What a follower handed out so far.
actor Collected {
    private(set) var batches: [FollowerBatch] = []

    func add(_ batch: FollowerBatch) { batches.append(batch) }

    var messages: [FollowedMessage] { batches.flatMap(\.messages) }
    var events: [FeedEvent] { batches.flatMap(\.events) }
    var controlIDs: [String] { messages.map(\.controlID) }
    var lastCheckpoints: [FollowerCheckpoint] { batches.last?.checkpoints ?? [] }
    var orphans: [(offset: Int, bytes: [UInt8])] {
        events.compactMap {
            if case .orphanSegments(_, let offset, let bytes) = $0 { return (offset, bytes) }
            return nil
        }
    }
}

extension FollowedMessage {
    /// MSH-10, or `error` for an unreadable message.
    var controlID: String {
        switch result {
        case .success(let message): return message.controlID
        case .failure: return "error"
        }
    }
}

/// A follower consuming its batches in a task until stopped.
final class FollowerRun: Sendable {
    let collected = Collected()
    private let task: Task<Void, Never>

    init(_ settings: FollowerSettings, checkpoints: [FollowerCheckpoint] = []) {
        let follower = FeedFollower(settings: settings, checkpoints: checkpoints)
        let stream = follower.batches()
        let collected = collected
        task = Task {
            for await batch in stream { await collected.add(batch) }
        }
    }

    /// Cancels the consuming task and waits until the stream has ended.
    func stop() async {
        task.cancel()
        await task.value
    }

    /// Waits, polling every 5 ms, until `condition` holds; `false` after `timeout`.
    @discardableResult
    func waitUntil(timeout: Duration = .seconds(5), _ condition: (Collected) async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if await condition(collected) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await condition(collected)
    }

    /// Waits until the follower has opened `path`.
    func waitForOpened(_ path: String) async -> Bool {
        await waitUntil { await $0.events.contains(.opened(path: path)) }
    }
}

/// Settings following `*.hl7` in `folder`. The rescan interval is long, so that what the
/// tests see within their timeouts comes through inotify, not through the safety net.
func settings(_ folder: TemporaryFolder, settle: Duration = .milliseconds(200)) -> FollowerSettings {
    FollowerSettings(patterns: [folder.path + "/*.hl7"], settle: settle, rescanInterval: .seconds(60))
}

/// How many of this process's descriptors are open on `path`.
func descriptorsOpen(on path: String) -> Int {
    guard let directory = opendir("/proc/self/fd") else { return 0 }
    defer { closedir(directory) }
    var count = 0
    var target = [CChar](repeating: 0, count: 4096)
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        let length = readlink("/proc/self/fd/" + name, &target, target.count - 1)
        guard length > 0 else { continue }
        let link = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if link == path || link == path + " (deleted)" { count += 1 }
    }
    return count
}

/// Waits, polling every 5 ms, until `condition` holds; `false` after `timeout`.
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
