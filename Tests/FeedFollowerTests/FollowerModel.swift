import FeedGen
import FeedFollower
import Glibc
import HL7
import Testing

// The model-based property test of the follower (issue 16): random sequences of file
// operations run against a real follower on real files, their outcome compared with a
// model of which messages must come out (exactly once) and which may (at most once).

/// One step of a sequence. Its description is a Swift literal (`.append(file: 0, count: 2)`),
/// so a shrunk failure can be pasted into ``FollowerModelTests/regressions``.
enum Operation: Equatable, Sendable, CustomStringConvertible {
    /// Opens `f<file>.hl7` for appending (created if missing), writes `count` whole
    /// messages, closes it.
    case append(file: Int, count: Int)
    /// A writer holding `f<file>.hl7` open writes one message in two parts, cut inside a
    /// segment, a few milliseconds apart, then closes it.
    case splitWrite(file: Int)
    /// logrotate's create: `f<file>.hl7` is renamed `f<file>.hl7.1` (older rotations move
    /// up to `.2`, `.3`, ...); the next write creates a new file.
    case renameRotate(file: Int)
    /// logrotate's copytruncate: `f<file>.hl7` is copied to `f<file>.hl7.1` (older
    /// rotations move up), then truncated to 0 bytes.
    case copyTruncate(file: Int)
    /// `f<file>.hl7` is truncated to 0 bytes, no copy kept: what it held unread may be lost.
    case truncate(file: Int)
    /// `f<file>.hl7` is deleted: what it held unread may be lost.
    case delete(file: Int)
    /// `count` files `m-K.hl7` of one message each, each written whole and closed.
    case oneFilePerMessage(count: Int)
    /// The follower is stopped and a new one started from the checkpoints the batches carried.
    case restart
    /// Nothing happens for `ms` milliseconds.
    case pause(ms: Int)

    var description: String {
        switch self {
        case .append(let file, let count): ".append(file: \(file), count: \(count))"
        case .splitWrite(let file): ".splitWrite(file: \(file))"
        case .renameRotate(let file): ".renameRotate(file: \(file))"
        case .copyTruncate(let file): ".copyTruncate(file: \(file))"
        case .truncate(let file): ".truncate(file: \(file))"
        case .delete(let file): ".delete(file: \(file))"
        case .oneFilePerMessage(let count): ".oneFilePerMessage(count: \(count))"
        case .restart: ".restart"
        case .pause(let ms): ".pause(ms: \(ms))"
        }
    }

    /// The same operation with a smaller count or pause (for shrinking), if there is one.
    var smaller: Operation? {
        switch self {
        case .append(let file, let count) where count > 1: .append(file: file, count: count - 1)
        case .oneFilePerMessage(let count) where count > 1: .oneFilePerMessage(count: count - 1)
        case .pause(let ms) where ms > 0: .pause(ms: ms / 2)
        default: nil
        }
    }

    /// The same operation on file 0 (for shrinking), if it names another file.
    var onFirstFile: Operation? {
        switch self {
        case .append(let file, let count) where file != 0: .append(file: 0, count: count)
        case .splitWrite(let file) where file != 0: .splitWrite(file: 0)
        case .renameRotate(let file) where file != 0: .renameRotate(file: 0)
        case .copyTruncate(let file) where file != 0: .copyTruncate(file: 0)
        case .truncate(let file) where file != 0: .truncate(file: 0)
        case .delete(let file) where file != 0: .delete(file: 0)
        default: nil
        }
    }
}

/// A sequence as a Swift literal: `[.append(file: 0, count: 1), .restart]`.
func literal(_ operations: [Operation]) -> String {
    "[" + operations.map(\.description).joined(separator: ", ") + "]"
}

/// Random sequences of operations.
enum SequenceGenerator {
    /// How many feed files (`f0.hl7`, `f1.hl7`) sequences use.
    static let files = 2

    /// A sequence of `lengths` operations (drawn from the range), weighted towards appends.
    static func sequence(
        _ random: inout SeededRandom, lengths: ClosedRange<Int> = 3...8,
        allowed: Set<Kind> = Set(Kind.allCases)
    ) -> [Operation] {
        let length = Int.random(in: lengths, using: &random)
        let table = Kind.allCases.filter(allowed.contains)
        let total = table.map(\.weight).reduce(0, +)
        return (0..<length).map { _ in
            var pick = Int.random(in: 0..<total, using: &random)
            var kind = table[0]
            for candidate in table {
                if pick < candidate.weight {
                    kind = candidate
                    break
                }
                pick -= candidate.weight
            }
            let file = Int.random(in: 0..<files, using: &random)
            switch kind {
            case .append: return .append(file: file, count: Int.random(in: 1...4, using: &random))
            case .splitWrite: return .splitWrite(file: file)
            case .renameRotate: return .renameRotate(file: file)
            case .copyTruncate: return .copyTruncate(file: file)
            case .truncate: return .truncate(file: file)
            case .delete: return .delete(file: file)
            case .oneFilePerMessage: return .oneFilePerMessage(count: Int.random(in: 1...3, using: &random))
            case .restart: return .restart
            case .pause: return .pause(ms: Int.random(in: 0...200, using: &random))
            }
        }
    }

    /// The kinds of operation, with how often each is drawn.
    enum Kind: CaseIterable, Hashable {
        case append, splitWrite, renameRotate, copyTruncate, truncate, delete, oneFilePerMessage, restart,
            pause

        var weight: Int {
            switch self {
            case .append: 30
            case .splitWrite: 12
            case .renameRotate: 12
            case .copyTruncate: 12
            case .truncate: 5
            case .delete: 5
            case .oneFilePerMessage: 8
            case .restart: 10
            case .pause: 10
            }
        }
    }
}

/// The seed of a property test run: `EXTRAVASD_PROPERTY_SEED` (decimal or `0x` hex) when
/// set, else `fixed`.
func propertySeed(default fixed: UInt64) -> UInt64 {
    guard let text = getenv("EXTRAVASD_PROPERTY_SEED").map({ String(cString: $0) }), !text.isEmpty else {
        return fixed
    }
    if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) ?? fixed }
    return UInt64(text) ?? fixed
}

/// The seed of sequence `index` of a run seeded `seed` (its operations and its split points).
func sequenceSeed(_ seed: UInt64, _ index: Int) -> UInt64 {
    var random = SeededRandom(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
    return random.next()
}

/// Runs one sequence against a follower in a fresh folder and checks the outcome against
/// the model. Returns what went wrong, or `nil`.
///
/// The model: every message written has its own control id. Each is certain (delivered
/// exactly once) or maybe (at most once). A message becomes maybe only when an operation
/// can destroy it before the follower may have read it: a truncation without a copy or a
/// deletion makes the messages of that file not yet delivered maybe. Rotation by rename
/// and copytruncate keep every byte somewhere (older rotations are kept as `.2`, `.3`,
/// ..., as logrotate does), and a restart resumes from the checkpoints: none of them
/// makes anything maybe.
///
/// Two limits the README states are kept out of the sequences rather than modelled: a
/// file renamed away before the follower ever opened it cannot be followed, and a copy
/// can be recognised only by bytes the follower read before the truncation. So before a
/// rename or a copytruncate of a file holding messages of which none was delivered yet,
/// the run waits until one is.
final class ModelRun {
    let operations: [Operation]
    private let folder = TemporaryFolder()
    private let settle: Duration = .milliseconds(50)
    private let rotationGrace: Duration = .milliseconds(300)
    private var random: SeededRandom
    private let tag: String

    // The model.
    private var written: [String] = []
    private var maybe = Set<String>()
    /// Per feed file: the ids of the messages in its current content (since it was created
    /// or last truncated), or `nil` when no file is at its path.
    private var content: [[String]?] = Array(repeating: nil, count: SequenceGenerator.files)
    /// Per feed file: how many rotations (`.1`, `.2`, ...) are kept.
    private var rotations = Array(repeating: 0, count: SequenceGenerator.files)
    private var oneMessageFiles = 0

    // The follower, and what the runs before the current one delivered.
    private var run: FollowerRun?
    private var earlier: [FollowedMessage] = []
    private var earlierOrphans = 0
    private var checkpoints: [FollowerCheckpoint] = []
    private var notes: [String] = []
    /// Messages not yet delivered when their file was rotated or copy-truncated: each one
    /// a race the follower had to win (read from the rotated file or the copy).
    private var raced = 0

    init(_ operations: [Operation], seed: UInt64) {
        self.operations = operations
        random = SeededRandom(seed: seed)
        let digits = String(seed % 10_000)
        tag = String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// Runs the sequence; what went wrong, or `nil`.
    static func check(_ operations: [Operation], seed: UInt64) async -> String? {
        await outcome(operations, seed: seed).failure
    }

    /// Runs the sequence; what went wrong (or `nil`), and how many messages were not yet
    /// delivered when their file was rotated or copy-truncated.
    static func outcome(_ operations: [Operation], seed: UInt64) async -> (failure: String?, raced: Int) {
        let model = ModelRun(operations, seed: seed)
        defer { model.folder.remove() }
        let failure = await model.execute()
        return (failure, model.raced)
    }

    private func followerSettings() -> FollowerSettings {
        settings(folder, settle: settle, rotationGrace: rotationGrace)
    }

    private func path(_ file: Int) -> String { folder.file("f\(file).hl7") }

    private func newID() -> String {
        let id = "Q\(tag)-\(written.count)"
        written.append(id)
        return id
    }

    private func execute() async -> String? {
        guard await start() else { return "the follower gave no first batch" }
        for operation in operations { await perform(operation) }
        guard let run else { return nil }

        let certain = Set(written).subtracting(maybe)
        let before = earlierIDs
        let complete = await run.waitUntil(timeout: .seconds(10)) { collected in
            certain.isSubset(of: before.union(await collected.controlIDs))
        }
        // Time for stray repeats (a rotated file let go after its grace, a copy read again).
        try? await Task.sleep(for: .milliseconds(300) + rotationGrace)
        await run.stop()
        let messages = earlier + (await run.collected.messages)
        let orphans = earlierOrphans + (await run.collected.orphans.count)
        return verdict(messages: messages, orphans: orphans, complete: complete, certain: certain)
    }

    private var earlierIDs: Set<String> { Set(earlier.map(\.controlID)) }

    private func verdict(messages: [FollowedMessage], orphans: Int, complete: Bool, certain: Set<String>)
        -> String?
    {
        var problems: [String] = []
        var counts: [String: Int] = [:]
        var notWhole: [String] = []
        var strangers: [String] = []
        for followed in messages {
            if let id = whole(followed) {
                counts[id, default: 0] += 1
            } else if let ids = cutShortMaybe(followed) {
                // A maybe message may come cut short: a truncation completes the pending
                // message as at the end of a file (README, "Rotation"). It counts as its
                // one delivery when its bytes name one message; a fragment shorter than the
                // header every message shares (before MSH-10) names none and counts for none.
                if ids.count == 1 { counts[ids[0], default: 0] += 1 }
            } else if written.contains(followed.controlID) {
                notWhole.append(followed.controlID)
                counts[followed.controlID, default: 0] += 1
            } else {
                var detail = ""
                if case .failure(let error) = followed.result {
                    detail =
                        " (\(error); \(followed.unreadableBytes.count) bytes: "
                        + "\(String(decoding: followed.unreadableBytes.prefix(24), as: UTF8.self).debugDescription))"
                }
                strangers.append("\(followed.controlID) at \(followed.offset)\(detail)")
            }
        }
        let lost = written.filter { certain.contains($0) && counts[$0] == nil }
        if !lost.isEmpty { problems.append("lost \(lost)") }
        let repeated = written.filter { (counts[$0] ?? 0) > 1 }.map { "\($0) x\(counts[$0]!)" }
        if !repeated.isEmpty { problems.append("delivered more than once \(repeated)") }
        if !strangers.isEmpty { problems.append("never written \(strangers)") }
        if !notWhole.isEmpty { problems.append("not whole \(notWhole)") }
        if orphans > 0 { problems.append("\(orphans) orphan segment event(s)") }
        if !complete && lost.isEmpty { problems.append("certain messages came late") }
        guard !problems.isEmpty else { return nil }
        let maybeText = written.filter(maybe.contains)
        return problems.joined(separator: "; ") + " (written \(written.count), maybe \(maybeText))"
            + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; "))
    }

    /// The id of `followed` when it is a message written, whole (its three segments, its length).
    private func whole(_ followed: FollowedMessage) -> String? {
        guard case .success(let parsed) = followed.result, written.contains(followed.controlID),
            parsed.segments.count == 3,
            followed.endOffset - followed.offset == message(followed.controlID).utf8.count
        else { return nil }
        return followed.controlID
    }

    /// The ids of the maybe messages that `followed` is the start of (one cut short): one
    /// id when its bytes reach the control id, several for a fragment of the shared header;
    /// `nil` when it starts none.
    private func cutShortMaybe(_ followed: FollowedMessage) -> [String]? {
        var bytes: [UInt8]
        switch followed.result {
        case .success(let parsed): bytes = parsed.bytes
        case .failure: bytes = followed.unreadableBytes
        }
        while let last = bytes.last, last == 0x0D || last == 0x0A { bytes.removeLast() }
        guard !bytes.isEmpty else { return nil }
        let ids = written.filter { maybe.contains($0) && Array(message($0).utf8).starts(with: bytes) }
        return ids.isEmpty ? nil : ids
    }

    // MARK: - The follower

    /// Starts a follower from ``checkpoints`` and waits for its first batch (its folders
    /// are watched: the daemon says READY then).
    private func start() async -> Bool {
        let started = FollowerRun(followerSettings(), checkpoints: checkpoints)
        run = started
        return await started.waitUntil(timeout: .seconds(10)) { await !$0.batches.isEmpty }
    }

    /// Stops the follower and keeps what it delivered and where its files stood, as the
    /// daemon's store does: checkpoints upserted by device and inode, those released forgotten.
    private func stop() async {
        guard let run else { return }
        await run.stop()
        earlier += await run.collected.messages
        earlierOrphans += await run.collected.orphans.count
        for batch in await run.collected.batches {
            for released in batch.released {
                checkpoints.removeAll {
                    $0.identity.hasSameInode(as: released.identity)
                        && released.identity.fingerprint.starts(with: $0.identity.fingerprint)
                }
            }
            for checkpoint in batch.checkpoints {
                if let index = checkpoints.firstIndex(where: {
                    $0.identity.hasSameInode(as: checkpoint.identity)
                }) {
                    checkpoints[index] = checkpoint
                } else {
                    checkpoints.append(checkpoint)
                }
            }
        }
        self.run = nil
    }

    /// The ids delivered so far (by every follower of the sequence).
    private func delivered() async -> Set<String> {
        guard let run else { return earlierIDs }
        return earlierIDs.union(await run.collected.controlIDs)
    }

    /// Waits (at most 10 s) until a message of `file`'s current content was delivered,
    /// when it holds any: the follower has opened it and read from it.
    private func waitUntilRead(_ file: Int) async {
        guard let ids = content[file], !ids.isEmpty, let run else { return }
        let earlier = earlierIDs
        let read = await run.waitUntil(timeout: .seconds(10)) { collected in
            let shown = await collected.controlIDs
            return ids.contains { earlier.contains($0) || shown.contains($0) }
        }
        if !read { notes.append("f\(file).hl7 not read within 10 s before rotating it") }
        let shown = await delivered()
        raced += ids.filter { !shown.contains($0) }.count
    }

    // MARK: - Operations

    private func perform(_ operation: Operation) async {
        switch operation {
        case .append(let file, let count):
            let ids = (0..<count).map { _ in newID() }
            Disk.append(ids.map { message($0) }.joined(), to: path(file))
            content[file] = (content[file] ?? []) + ids
        case .splitWrite(let file):
            let id = newID()
            let bytes = Array(message(id).utf8)
            // Cut inside a segment (never right after a CR): a trailing message ending in a
            // segment terminator would be complete once quiet for the settle time.
            let cuts = (1..<bytes.count).filter { bytes[$0 - 1] != 0x0D }
            let cut = cuts[Int.random(in: 0..<cuts.count, using: &random)]
            let pause = Int.random(in: 0...30, using: &random)
            notes.append("\(id) split at byte \(cut) of \(bytes.count), \(pause) ms apart")
            let writer = Writer(path(file))
            writer.write(String(decoding: bytes[..<cut], as: UTF8.self))
            content[file] = (content[file] ?? []) + [id]
            try? await Task.sleep(for: .milliseconds(pause))
            writer.write(String(decoding: bytes[cut...], as: UTF8.self))
            writer.close()
        case .renameRotate(let file):
            guard content[file] != nil else { return }
            await waitUntilRead(file)
            shiftRotations(file)
            precondition(rename(path(file), path(file) + ".1") == 0)
            content[file] = nil
        case .copyTruncate(let file):
            guard content[file] != nil else { return }
            await waitUntilRead(file)
            shiftRotations(file)
            copyFile(path(file), to: path(file) + ".1")
            precondition(Glibc.truncate(path(file), 0) == 0)
            content[file] = []
        case .truncate(let file):
            guard let ids = content[file] else { return }
            let shown = await delivered()
            maybe.formUnion(ids.filter { !shown.contains($0) })
            precondition(Glibc.truncate(path(file), 0) == 0)
            content[file] = []
        case .delete(let file):
            guard let ids = content[file] else { return }
            let shown = await delivered()
            maybe.formUnion(ids.filter { !shown.contains($0) })
            precondition(unlink(path(file)) == 0)
            content[file] = nil
        case .oneFilePerMessage(let count):
            for _ in 0..<count {
                Disk.append(message(newID()), to: folder.file("m-\(oneMessageFiles).hl7"))
                oneMessageFiles += 1
            }
        case .restart:
            await stop()
            if !(await start()) { notes.append("a restarted follower gave no first batch") }
        case .pause(let ms):
            try? await Task.sleep(for: .milliseconds(ms))
        }
    }

    /// Moves `f<file>.hl7.K` to `.K+1`, oldest first, so `.1` is free (nothing is overwritten).
    private func shiftRotations(_ file: Int) {
        for generation in stride(from: rotations[file], through: 1, by: -1) {
            precondition(rename(path(file) + ".\(generation)", path(file) + ".\(generation + 1)") == 0)
        }
        rotations[file] += 1
    }
}

/// Shrinks a failing sequence: tries it without each operation, then with smaller counts
/// and on file 0, keeping every candidate that still fails (run twice, failing if either
/// run fails: timing decides some failures), until no candidate fails. Returns the
/// smallest failing sequence and its failure.
func shrink(
    _ operations: [Operation], seed: UInt64, failure: String, budget: Int = 80
) async -> (operations: [Operation], failure: String, runs: Int) {
    var current = operations
    var currentFailure = failure
    var runs = 0
    func fails(_ candidate: [Operation]) async -> String? {
        for _ in 0..<2 where runs < budget {
            runs += 1
            if let failure = await ModelRun.check(candidate, seed: seed) { return failure }
        }
        return nil
    }
    var improved = true
    while improved && runs < budget {
        improved = false
        var candidates: [[Operation]] = current.indices.map { index in
            var fewer = current
            fewer.remove(at: index)
            return fewer
        }
        for (index, operation) in current.enumerated() {
            for simpler in [operation.smaller, operation.onFirstFile].compactMap({ $0 }) {
                var candidate = current
                candidate[index] = simpler
                candidates.append(candidate)
            }
        }
        for candidate in candidates where !candidate.isEmpty {
            if let failure = await fails(candidate) {
                current = candidate
                currentFailure = failure
                improved = true
                break
            }
        }
    }
    return (current, currentFailure, runs)
}
