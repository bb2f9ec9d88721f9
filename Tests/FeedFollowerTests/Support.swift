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
    /// Where every followed file stands after the last batch: batches carry the
    /// checkpoints that moved, and the released ones of files let go.
    var lastCheckpoints: [FollowerCheckpoint] {
        var standing: [FollowerCheckpoint] = []
        for batch in batches {
            for released in batch.released {
                standing.removeAll { $0.identity.hasSameInode(as: released.identity) }
            }
            for checkpoint in batch.checkpoints {
                let same = { (stood: FollowerCheckpoint) in
                    stood.identity.hasSameInode(as: checkpoint.identity)
                }
                if let index = standing.firstIndex(where: same) {
                    standing[index] = checkpoint
                } else {
                    standing.append(checkpoint)
                }
            }
        }
        return standing
    }
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

/// Whether a consumer may take the next batch.
actor Gate {
    private(set) var isOpen: Bool
    init(open: Bool) { isOpen = open }
    func open() { isOpen = true }
}

/// A follower consuming its batches in a task until stopped.
final class FollowerRun: Sendable {
    let collected = Collected()
    private let task: Task<Void, Never>
    private let gate: Gate

    /// Starts following. `paused`: after the first batch, no batch is taken until
    /// ``resume()`` (the follower's thread blocks once its hand-off is full).
    init(_ settings: FollowerSettings, checkpoints: [FollowerCheckpoint] = [], paused: Bool = false) {
        let follower = FeedFollower(settings: settings, checkpoints: checkpoints)
        let stream = follower.batches()
        let collected = collected
        let gate = Gate(open: !paused)
        self.gate = gate
        task = Task {
            for await batch in stream {
                await collected.add(batch)
                while await !gate.isOpen {
                    if Task.isCancelled { return }
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
        }
    }

    /// Lets a paused run take batches again.
    func resume() async { await gate.open() }

    /// Cancels the consuming task and waits until the stream has ended.
    func stop() async {
        task.cancel()
        await task.value
    }

    /// Waits, polling every 5 ms, until `condition` holds; `false` after `timeout`.
    @discardableResult
    func waitUntil(timeout: Duration = .seconds(30), _ condition: (Collected) async -> Bool) async -> Bool {
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
/// tests see within their timeouts comes through inotify, not through the safety net; the
/// rotation grace is short (1 s), so that rotated files are let go within them.
func settings(
    _ folder: TemporaryFolder, settle: Duration = .milliseconds(200), rotationGrace: Duration = .seconds(1)
) -> FollowerSettings {
    // Files stay open (closeIdle of 10 minutes) however slow a loaded machine makes the
    // test: closing idle files is tested on its own (ManyFilesFollowingTests).
    FollowerSettings(
        patterns: [folder.path + "/*.hl7"], settle: settle, rescanInterval: .seconds(60),
        rotationGrace: rotationGrace, closeIdle: .seconds(600))
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
func eventually(timeout: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// A batch header line longer than a fingerprint (64 bytes): files that start with it have
/// the same first bytes. Readers skip it (batch envelope), and it is no orphan line.
let sameHeader =
    "FHS|^~\\&|ENGINE|HOSP|EXTRAVASD|HOSP|20240101000000||batch-header-longer-than-a-fingerprint\r"

/// The inode of `path` (0 when it cannot be read).
func inode(of path: String) -> UInt64 {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return UInt64(info.st_ino)
}

/// A new empty file in `folder` (named `*.tmp`, which no `*.hl7` pattern matches) that got
/// inode `wanted`, freed just before; `nil` when the file system gave other inodes.
/// Files made on the way are removed.
func fileReusingInode(_ wanted: UInt64, in folder: TemporaryFolder) -> String? {
    var others: [String] = []
    defer { others.forEach { unlink($0) } }
    for attempt in 0..<20 {
        let path = folder.file("reuse-\(attempt).tmp")
        Disk.append("", to: path)
        if inode(of: path) == wanted { return path }
        others.append(path)
    }
    return nil
}

/// Copies `source` to `destination` (as logrotate's copytruncate does before truncating).
func copyFile(_ source: String, to destination: String) {
    let input = open(source, O_RDONLY)
    precondition(input >= 0)
    defer { close(input) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = read(input, &buffer, buffer.count)
        guard count > 0 else { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(output >= 0)
    Disk.writeAll(output, bytes)
    close(output)
}

/// `/proc/sys/fs/inotify/max_queued_events`: how many events an inotify instance queues
/// before it overflows (`nil` when it cannot be read).
func maximumQueuedInotifyEvents() -> Int? {
    guard let file = fopen("/proc/sys/fs/inotify/max_queued_events", "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 32)
    guard fgets(&line, Int32(line.count), file) != nil else { return nil }
    let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return Int(text.filter { $0.isNumber })
}

/// `max_queued_events` for a test that overflows the inotify queue on purpose; the test is
/// cancelled, saying why, when the limit is too large to overflow quickly.
func overflowableInotifyQueueLimit() throws -> Int {
    let limit = try #require(maximumQueuedInotifyEvents())
    guard limit <= 100_000 else {
        try Test.cancel("max_queued_events is \(limit): too many events to overflow the queue quickly")
    }
    return limit
}

/// Fills a paused follower's inotify queue past `limit` with events no pattern names:
/// writes to two `.txt` files in turn (inotify merges only an event equal to the last one).
func overflowInotifyQueue(in folder: TemporaryFolder, limit: Int) {
    let noise = [Writer(folder.file("noise-1.txt")), Writer(folder.file("noise-2.txt"))]
    for index in 0..<(limit + 64) { noise[index % 2].write("\r") }
    noise.forEach { $0.close() }
}

/// Takes every descriptor the process may open (its soft `RLIMIT_NOFILE` lowered to at
/// most 4,096 meanwhile), so that the next `open` or `opendir` fails with `EMFILE`, until
/// ``release()``.
final class DescriptorExhaustion: @unchecked Sendable {
    private var held: [Int32] = []
    private var saved = rlimit()

    init() {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        _ = getrlimit(resource, &saved)
        var lowered = saved
        lowered.rlim_cur = min(saved.rlim_cur, 4096)
        _ = setrlimit(resource, &lowered)
        while true {
            let descriptor = Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { break }
            held.append(descriptor)
        }
    }

    /// Closes the descriptors taken and restores the limit (again: nothing).
    func release() {
        for descriptor in held { Glibc.close(descriptor) }
        held = []
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved)
    }
}

/// The messages of `a.hl7` in ``pausedAfterTheFirstBatch(of:_:)``.
let firstFileMessages = ["A1", "A2", "A3", "A4", "A5"]

/// Writes ``firstFileMessages`` to `a.hl7` in `folder` and follows it with `settings`,
/// one message a batch, paused after the first batch: the follower's thread blocks
/// handing over A's messages and reads no event until ``FollowerRun/resume()``, so that
/// the inotify queue can be overflowed for real.
func pausedAfterTheFirstBatch(of folder: TemporaryFolder, _ settings: FollowerSettings) async -> FollowerRun {
    Disk.append(firstFileMessages.map { message($0) }.joined(), to: folder.file("a.hl7"))
    var settings = settings
    settings.maximumBatchMessages = 1
    let run = FollowerRun(settings, paused: true)
    #expect(await run.waitUntil { await !$0.batches.isEmpty })
    return run
}
