import AlertOutput
import FeedGen
import Foundation
import Journal
import StateStore
import Testing

/// DESIGN.md section 7, "Memory is bounded on any input": a giant message is skipped
/// while it streams (daemon and replay), and dead letters are durable: no checkpoint
/// passes a dead letter that is not on disk, also when the state directory is full.
@Suite(
    "Bounded memory and durable dead letters",
    .serialized,
    .enabled(
        if: JournalSocket.isAvailable(),
        "no journald listening on /run/systemd/journal/socket (.ci/run starts one)")
)
struct BoundedMemoryTests {
    /// The giant message's size: 2 GiB (about 35 s here), or 300 MB where the temporary
    /// folder has less than 8 GiB free (today's code reaches 564 MB resident on that);
    /// `EXTRAVASD_GIANT_MESSAGE_BYTES` sets it.
    static var giantBytes: Int {
        if let size = ProcessInfo.processInfo.environment["EXTRAVASD_GIANT_MESSAGE_BYTES"].flatMap({ Int($0) }
        ) {
            return size
        }
        var info = statvfs()
        guard statvfs(NSTemporaryDirectory(), &info) == 0, Int(info.f_bavail) * Int(info.f_frsize) >= 8 << 30
        else {
            return 300_000_000
        }
        return 2 << 30
    }

    /// The most replay may hold resident (DESIGN.md section 9: under 64 MB).
    static let residentCeiling = 64 << 20

    /// How much the giant message may raise the daemon's peak resident set above its own
    /// peak before the message. The daemon's absolute figure is not compared with the
    /// 64 MB target here: besides its own memory it counts the journal files that its
    /// three journal handles map (clean, shared page cache whose size follows the
    /// machine's journal: 17-23 MB on a journal of 38 files) and the Swift runtime's
    /// shared libraries (about 33 MB in a debug build). `make bench` reports it.
    static let daemonGrowthCeiling = 16 << 20

    /// A file read with read(2) until it ends; `nil` when it cannot be opened.
    static func wholeFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `RssAnon` / `RssFile` of a running process and the part of its resident set that
    /// maps journal files, in bytes: where a resident figure comes from.
    static func residentParts(of pid: Int32) -> (anonymous: Int, file: Int, journal: Int) {
        func kilobytes(_ line: Substring) -> Int {
            line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 } ?? 0
        }
        var anonymous = 0
        var file = 0
        if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) {
            for line in status.split(separator: "\n") {
                if line.hasPrefix("RssAnon:") { anonymous = kilobytes(line) }
                if line.hasPrefix("RssFile:") { file = kilobytes(line) }
            }
        }
        var journal = 0
        var inJournal = false
        // Read to its end with read(2): Foundation stops /proc/PID/smaps after its first page.
        if let maps = Self.wholeFile("/proc/\(pid)/smaps") {
            for line in maps.split(separator: "\n") {
                if let first = line.first, first.isHexDigit, line.contains("-") {
                    inJournal = line.hasSuffix(".journal") || line.hasSuffix(".journal~")
                } else if inJournal, line.hasPrefix("Rss:") {
                    journal += kilobytes(line)
                }
            }
        }
        return (anonymous, file, journal)
    }

    /// Writes, with large writes, an MSH and segment lines (no MSH among them) up to
    /// `bytes`, then `next`; returns the giant message's length and first 64 KiB.
    static func writeGiantMessage(to path: String, bytes: Int, then next: [UInt8]) throws -> (
        length: Int, prefix: [UInt8]
    ) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let header = Array("MSH|^~\\&|BIG|CHILDRENS|||20260305135900||ORU^R01|GIANT01|P|2.5.1\r".utf8)
        let line = Array("NTE|1||".utf8) + [UInt8](repeating: 0x61, count: 120) + [0x0D]
        var block: [UInt8] = []
        while block.count + line.count <= 8 << 20 { block += line }
        func put(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { buffer in
                var written = 0
                while written < buffer.count {
                    let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                    guard count > 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
                    written += count
                }
            }
        }
        try put(header)
        var length = header.count
        var prefix = header
        while length < bytes {
            try put(block)
            if prefix.count < 65_536 { prefix += block.prefix(65_536 - prefix.count) }
            length += block.count
        }
        try put(next)
        return (length, prefix)
    }

    /// `VmHWM` (peak resident set) of a running process, in bytes.
    static func peakResident(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            return nil
        }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }

    /// Runs `extravasd` with `arguments` to its end: exit status, peak resident set (bytes,
    /// `VmHWM` sampled every few milliseconds until the process has let its memory go;
    /// `wait4`'s `ru_maxrss` would count the test process's own, inherited through
    /// `posix_spawn`'s shared address space), stdout and stderr.
    static func runMeasured(_ arguments: [String], in directory: String) async throws
        -> (status: Int32, peakResident: Int, output: String, errors: String)
    {
        let outputPath = directory + "/measured.out"
        let errorsPath = directory + "/measured.err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([DaemonHarness.binary] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, DaemonHarness.binary, &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(.init(rawValue: spawned) ?? .EIO) }
        // Until it exits, and then as a zombie (not reaped yet) without VmHWM.
        var peak = 0
        while let sample = peakResident(of: pid) {
            peak = max(peak, sample)
            try? await Task.sleep(for: .milliseconds(5))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
        return (exit, peak, output, errors)
    }

    @Test func aGiantMessageIsSkippedInBoundedMemoryAndTheNextMessageAlerts() async throws {
        let harness = try DaemonHarness()
        defer { unlink(harness.feed) }
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let process = try #require(harness.process)
        // Its own peak before the message, once start-up (read-back marker, reconciliation,
        // acknowledgements caught up) is over.
        try await Task.sleep(for: .seconds(1))
        let peakBefore = try #require(Self.peakResident(of: process.processIdentifier))
        let mrn = "G" + String(UInt32.random(in: 0...UInt32.max))
        let seed = try DaemonTests.seedCaseFeed(mrn: mrn)
        let giant = try Self.writeGiantMessage(to: harness.feed, bytes: Self.giantBytes, then: seed)

        let alert = try await eventually(timeout: .seconds(240), every: .milliseconds(200)) {
            try harness.journalAlerts().first
        }
        #expect(alert?["EXTRAVASD_PATIENT"] == mrn, "the message after the giant one alerts")
        let daemonPeak = Self.peakResident(of: process.processIdentifier) ?? .max
        let parts = Self.residentParts(of: process.processIdentifier)
        #expect(
            daemonPeak - peakBefore < Self.daemonGrowthCeiling,
            "daemon peak resident \(peakBefore) bytes before the message, \(daemonPeak) after")
        #expect(harness.stop() == 0)
        #expect(try harness.journalAlerts().count == 1)

        // The journal names source, offset and reason (with the length), never the text.
        _ = try DaemonHarness.shell("/usr/bin/journalctl", ["--sync"])
        let malformed = try DaemonHarness.shell(
            "/usr/bin/journalctl",
            [
                "-o", "json", "--no-pager", "--since", "@\(harness.createdAt)",
                "_PID=\(process.processIdentifier)",
                "MESSAGE_ID=\(AlertJournalFields.malformedMessageID)",
            ])
        let entries = malformed.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(entries.count == 1)
        #expect(entries.first?["EXTRAVASD_OFFSET"] as? String == "0")
        #expect(
            (entries.first?["EXTRAVASD_REASON"] as? String)?.contains("message of \(giant.length) bytes")
                == true)

        // The dead letter: a header with the length, then the first 64 KiB as they were.
        let letters = try [UInt8](
            Data(contentsOf: URL(fileURLWithPath: harness.directory + "/state/dead-letters.hl7")))
        let headerEnd = try #require(letters.firstIndex(of: 0x0A))
        let header = String(decoding: letters[..<headerEnd], as: UTF8.self)
        #expect(
            header.hasPrefix(
                "# extravasd dead letter: file:\(harness.feed):0 offset 0: message of \(giant.length) bytes"))
        #expect(header.hasSuffix("its first 65536 of \(giant.length) bytes follow"), "\(header)")
        let body = Array(letters[(headerEnd + 1)...])
        let exactPrefix = body == giant.prefix + [0x0A]  // not inside #expect: no diff of 64 KiB arrays
        #expect(
            exactPrefix, "exactly the first 64 KiB, then a line feed (the record holds \(body.count) bytes)")

        // Replay: the same message skipped and reported, the alert raised, memory bounded.
        let replay = try await Self.runMeasured(
            ["replay", "--config", harness.config, "--format", "jsonl", harness.feed], in: harness.directory)
        #expect(replay.status == 0, "\(replay.errors)")
        #expect(replay.output.contains("\"patient\": \"\(mrn)\""))
        #expect(replay.errors.contains("malformed 1"), "\(replay.errors)")
        #expect(
            replay.errors.contains("\(harness.feed):0: message of \(giant.length) bytes exceeds the limit"))
        #expect(
            replay.peakResident < Self.residentCeiling, "replay peak resident \(replay.peakResident) bytes")
        print(
            "giant message of \(giant.length) bytes: peak resident daemon \(peakBefore) before, "
                + "\(daemonPeak) after (now anonymous \(parts.anonymous), file-backed \(parts.file), "
                + "of which journal maps \(parts.journal)), replay \(replay.peakResident)"
        )
    }

    /// Bytes a process has read so far (`rchar` in `/proc/PID/io`).
    static func bytesRead(by pid: Int32) -> Int? {
        guard let io = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
        for line in io.split(separator: "\n") where line.hasPrefix("rchar:") {
            return line.split(separator: " ").last.flatMap { Int($0) }
        }
        return nil
    }

    @Test func aRestartInTheMiddleOfAGiantMessageLosesAndRepeatsNothing() async throws {
        let harness = try DaemonHarness()
        defer { unlink(harness.feed) }
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let first = try #require(harness.process)
        let mrn = "M" + String(UInt32.random(in: 0...UInt32.max))
        let giant = try Self.writeGiantMessage(
            to: harness.feed, bytes: 400_000_000, then: try DaemonTests.seedCaseFeed(mrn: mrn))
        // Killed once it has read a third of the giant message: in the middle of the skip.
        let midway = await eventually(timeout: .seconds(120), every: .milliseconds(5)) { () -> Bool? in
            (Self.bytesRead(by: first.processIdentifier) ?? 0) > giant.length / 3 ? true : nil
        }
        #expect(midway == true)
        #expect(harness.stop(signal: SIGKILL) == SIGKILL)
        #expect(try harness.journalAlerts().isEmpty, "killed before it read the message after")
        // The checkpoint stands at the giant message's MSH (or nothing was committed).
        let store = try SQLiteStore(directory: harness.directory + "/state")
        let offsets = try await store.checkpoints().filter { $0.path == harness.feed }.map(\.offset)
        await store.close()
        #expect(offsets.allSatisfy { $0 == 0 }, "checkpoints \(offsets)")

        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let alert = try await eventually(timeout: .seconds(240), every: .milliseconds(200)) {
            try harness.journalAlerts().first
        }
        #expect(alert?["EXTRAVASD_PATIENT"] == mrn, "the message after the giant one alerts")
        #expect(harness.stop() == 0)
        #expect(try harness.journalAlerts().count == 1, "exactly once")
        let letters = try Data(
            contentsOf: URL(fileURLWithPath: harness.directory + "/state/dead-letters.hl7"))
        let headers = [UInt8](letters).split(separator: 0x0A).filter {
            $0.starts(with: Array("# extravasd dead letter:".utf8))
        }
        #expect(headers.count == 1, "the giant message dead-lettered once")
    }

    /// The seed case with a fresh MRN and fresh control ids (not a resend of an earlier copy).
    static func freshSeedCase(mrn: String) throws -> [UInt8] {
        let tag = String((0..<4).map { _ in "ABCDEFGHJKLMNPQRSTUVWXYZ".randomElement()! })
        return Array(
            String(decoding: try DaemonTests.seedCaseFeed(mrn: mrn), as: UTF8.self)
                .replacingOccurrences(of: "|SEED", with: "|" + tag).utf8)
    }

    static var canMountTmpfs: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")
    }

    /// Fills the file system holding `directory` with `filler` until `ENOSPC`.
    static func fill(_ filler: String) {
        let descriptor = open(filler, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        for size in [1 << 16, 4096, 512, 1] {
            let block = [UInt8](repeating: 0x46, count: size)
            while block.withUnsafeBytes({ write(descriptor, $0.baseAddress!, size) }) == size {}
        }
        fsync(descriptor)
    }

    @Test(.enabled(if: canMountTmpfs, "mounts a 16 MB tmpfs as the state directory: needs root and mount(8)"))
    func aFullStateDiskMovesNoCheckpointPastAnUnwrittenDeadLetterAndNothingIsLostOnceSpaceReturns()
        async throws
    {
        let harness = try DaemonHarness()
        let state = harness.directory + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        _ = try DaemonHarness.shell(
            "/bin/mount", ["-t", "tmpfs", "-o", "size=16m,mode=0700", "extravasd-test", state])
        defer {
            _ = try? DaemonHarness.shell("/bin/umount", ["-l", state])
            withExtendedLifetime(harness) {}
        }
        let filler = state + "/filler"

        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        // A daemon that has run a while: SQLite checkpointed its WAL (1,000 pages) and
        // starts it over, so its next commits reuse the WAL's space on a full disk (as
        // when the issue was seen: the offset moved, the dead-letter file stayed empty).
        let warmUp = FeedGenerator.feed(options: FeedOptions(seed: 11, patients: 300), messageCount: 6_000)
        try Data(warmUp).write(to: URL(fileURLWithPath: harness.directory + "/spool/warm-up.hl7"))
        let wal = state + "/" + SQLiteStore.fileName + "-wal"
        let wrapped = await eventually(timeout: .seconds(120)) { () -> Bool? in
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            return size > 4_000_000 ? true : nil
        }
        #expect(wrapped == true, "the WAL grew past its checkpoint size")
        let first = "F" + String(UInt32.random(in: 0...UInt32.max))
        let seedA = try Self.freshSeedCase(mrn: first)
        try harness.append(seedA)
        _ = try await eventually { try harness.journalAlerts().first { $0["EXTRAVASD_PATIENT"] == first } }
        try await Task.sleep(for: .seconds(1))  // the delivered mark committed too

        Self.fill(filler)
        // Malformed messages (bad encoding characters) larger than a page each, so that
        // their dead letters need space; then a case that alerts.
        let tokens = (1...3).map { "BADLETTER\($0)X" + String(UInt32.random(in: 0...UInt32.max)) }
        let bad = tokens.map { token in
            Array("MSH|^\rNTE|1||\(token)\r".utf8)
                + Array(repeating: Array("NTE|2||filler text\r".utf8), count: 400).flatMap { $0 }
        }
        let second = "S" + String(UInt32.random(in: 0...UInt32.max))
        try harness.append(bad.flatMap { $0 } + (try Self.freshSeedCase(mrn: second)))
        let firstBadOffset = seedA.count

        // The dead letters cannot be written: the batch fails as a failed commit does (the
        // daemon stops; systemd would restart it).
        let process = try #require(harness.process)
        let stopped = await eventually(timeout: .seconds(60)) { process.isRunning ? nil : true }
        #expect(stopped == true, "the daemon stops on a dead letter it cannot write")
        if stopped != true { _ = harness.stop(signal: SIGKILL) }
        #expect(process.terminationStatus != 0)
        let lettersPath = state + "/dead-letters.hl7"
        let whileFull = (try? Data(contentsOf: URL(fileURLWithPath: lettersPath))) ?? Data()
        #expect(
            !tokens.contains { String(decoding: whileFull, as: UTF8.self).contains($0) },
            "no partial dead letter")

        // Space returns. No checkpoint stands past a dead letter that was not written.
        unlink(filler)
        let store = try SQLiteStore(directory: state)
        let offsets = try await store.checkpoints().filter { $0.path == harness.feed }.map(\.offset)
        await store.close()
        #expect(
            offsets.allSatisfy { $0 <= firstBadOffset },
            "checkpoints \(offsets), first bad at \(firstBadOffset)")

        // Restarted (as systemd would): every dead letter once, every alert once.
        try harness.start()
        #expect(await harness.waitForNotification("READY=1"))
        let alerted = try await eventually {
            try harness.journalAlerts().first { $0["EXTRAVASD_PATIENT"] == second }
        }
        #expect(alerted != nil, "the case after the malformed messages alerts")
        let written = await eventually { () -> String? in
            let text = String(
                decoding: (try? Data(contentsOf: URL(fileURLWithPath: lettersPath))) ?? Data(), as: UTF8.self)
            return tokens.allSatisfy { text.contains($0) } ? text : nil
        }
        #expect(harness.stop() == 0)
        let text = written ?? ""
        for token in tokens {
            #expect(text.components(separatedBy: token).count == 2, "\(token) dead-lettered exactly once")
        }
        let alerts = try harness.journalAlerts()
        #expect(alerts.filter { $0["EXTRAVASD_PATIENT"] == first }.count == 1, "first alert exactly once")
        #expect(alerts.filter { $0["EXTRAVASD_PATIENT"] == second }.count == 1, "second alert exactly once")

        // The journal said why the daemon stopped.
        let failures = try DaemonHarness.shell(
            "/usr/bin/journalctl",
            [
                "-o", "json", "--no-pager", "--since", "@\(harness.createdAt)",
                "_PID=\(process.processIdentifier)",
                "MESSAGE_ID=\(AlertJournalFields.storeFailureMessageID)",
            ])
        #expect(failures.contains("dead letters: cannot"), "\(failures)")
    }
}
