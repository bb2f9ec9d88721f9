import AlertOutput
import ArgumentParser
import Configuration
import Daemon
import FeedFollower
import FeedIO
import Foundation
import HL7
import Replay
import StateStore

/// `extravasd state rebuild --from FILE...`: a new state store built by replaying the
/// retained feeds, the damaged one moved aside (DESIGN.md section 2).
struct StateRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Move a damaged state store aside and build a new one by replaying the retained feeds.",
        discussion: """
            Stop the daemon first. The store and its -wal/-shm files are renamed to \
            extravasd.sqlite.damaged-TIMESTAMP (kept for analysis, never deleted), then the feed \
            files are replayed in MSH-7 order, as `extravasd replay` does, into a new store: the \
            engine's records, a checkpoint at the end of each file (the daemon goes on from \
            there), and every alert the feeds raise in the outbox. At its next start the daemon \
            looks each alert up in the journal: one already there is not sent again, one the \
            damage lost is sent. Acknowledgements are read back from the journal. A healthy store \
            is refused unless --force is given. It works on the SQLite store only \
            (store.kind: sqlite).

            Examples:
              extravasd state rebuild --from /var/spool/hl7/archive/*.hl7 /var/spool/hl7/*.hl7
            """
    )

    @Option(
        help:
            "Configuration file (default: $EXTRAVASD_CONFIG, else /etc/extravasd/extravasd.yaml, else built-in defaults)."
    )
    var config: String?

    @Option(name: .customLong("from"), parsing: .upToNextOption, help: "The retained feed files to replay.")
    var from: [String] = []

    @Flag(help: "Rebuild even when the store is healthy.")
    var force = false

    func validate() throws {
        guard !from.isEmpty else {
            throw ValidationError("Name the retained feed files with --from FILE....")
        }
    }

    func run() async throws {
        umask(0o077)
        let (configuration, key) = try ConfigurationSource.loadForCommand(option: config)
        try StoreOpening.requireSQLite(configuration, command: "state rebuild")
        let directory = configuration.stateDirectory
        let files = from.map(Self.absolute)
        for file in files where access(file, R_OK) != 0 {
            StandardStreams.writeError(
                "extravasd state rebuild: \(file): \(String(cString: strerror(errno)))\n")
            throw ExitStatus.noInput
        }
        let check = SQLiteStore.check(directory: directory)
        if check.exists && check.isHealthy && !force {
            StandardStreams.writeError(
                "extravasd state rebuild: \(check.path) is healthy: nothing to rebuild "
                    + "(--force rebuilds it anyway)\n")
            throw ExitStatus.dataError
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if check.exists {
                let aside = try Self.moveAside(check.path, directory: directory)
                StandardStreams.printLine("\(check.path): moved aside to \(aside)")
            }
            unlink(directory + "/" + SQLiteStore.cleanStopMarkerName)
        } catch {
            StandardStreams.writeError("extravasd state rebuild: \(error)\n")
            throw ExitStatus.failure
        }

        // The engine's state: replayed into the new file (the daemon's schema).
        let settings = EngineSetup.settings(configuration, identityKey: key)
        let renderer = EngineSetup.renderer(configuration, identityKey: key)
        let limits = ParseLimits(
            maximumMessageBytes: configuration.limits.maxMessageBytes,
            maximumSegments: configuration.limits.maxSegments,
            maximumFieldBytes: configuration.limits.maxFieldBytes)
        var outbox: [OutboxEntry] = []
        let summary: ReplaySummary
        do {
            let replayStore = try ReplayStore(path: check.path)
            defer { replayStore.close() }
            var replay = try ReplayRun(files: files, settings: settings, limits: limits)
            replay.page(through: replayStore, cacheBytes: configuration.limits.stateCacheBytes)
            let progress = ProgressLine()
            try replay.run(
                maxMessages: nil, progress: progress.update,
                implausibleTime: { path, offset in
                    progress.clear()
                    StandardStreams.writeError(ReplaySummary.implausibleTimeLine(path, offset))
                }
            ) { alert in
                let fields = AlertJournalFields.fields(alert, renderer: renderer)
                outbox.append(
                    OutboxEntry(
                        alertID: alert.id, payload: AlertJournalFields.encode(fields),
                        review: OutboxReviewFacts(alert: alert, identityKey: key)))
            }
            progress.clear()
            summary = replay.summary
        } catch {
            StandardStreams.writeError("extravasd state rebuild: replay: \(error)\n")
            throw ExitStatus.failure
        }

        // The daemon's part: a checkpoint at each file's end, the alerts in the outbox.
        do {
            let checkpoints = try files.map(Self.checkpointAtEnd)
            let store = try SQLiteStore(directory: directory)
            try await store.commit(StoreBatch(checkpoints: checkpoints, outbox: outbox))
            await store.close()
        } catch {
            StandardStreams.writeError("extravasd state rebuild: \(error)\n")
            throw ExitStatus.failure
        }
        StandardStreams.writeError(summary.text)
        StandardStreams.printLine(
            "\(check.path): rebuilt from \(files.count) file(s): \(summary.messages) messages, "
                + "\(outbox.count) alert(s) in the outbox (looked up in the journal at the next start: "
                + "only those not there are sent), a checkpoint at the end of each file")
    }

    /// `path` made absolute against the working directory.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Renames the database and its `-wal`/`-shm` files to `NAME.damaged-TIMESTAMP...`;
    /// the new name of the database.
    static func moveAside(_ path: String, directory: String) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let aside = path + ".damaged-" + formatter.string(from: Date())
        for suffix in ["", "-wal", "-shm"] where access(path + suffix, F_OK) == 0 {
            guard rename(path + suffix, aside + suffix) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        return aside
    }

    /// The checkpoint the follower would keep for `path` read to its end: its identity
    /// (device, inode, first bytes) and the signature of its last bytes.
    static func checkpointAtEnd(_ path: String) throws -> FileCheckpoint {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let size = Int(info.st_size)
        func bytes(_ range: Range<Int>) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: range.count)
            let count = buffer.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, range.count, off_t(range.lowerBound))
            }
            return Array(buffer.prefix(max(0, count)))
        }
        let fingerprint = bytes(0..<min(FileIdentity.fingerprintLength, size))
        let tail = TailSignature.of(bytes(TailSignature.window(endingAt: size)))
        return FileCheckpoint(
            identity: FileIdentity(
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino), fingerprint: fingerprint),
            path: path, offset: size, tail: tail)
    }
}
