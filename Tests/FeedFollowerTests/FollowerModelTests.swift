import FeedGen
import FeedFollower
import Glibc
import Testing

/// Issue 16, proof of the guarantees: a model-based property test of the follower.
///
/// Random sequences of appends, split writes, rotations by rename, copytruncates,
/// truncations, deletions, one-message files and restarts (from the checkpoints the
/// batches carried) run against a follower on real files, several sequences at a time,
/// each in a folder of its own. Each is checked against the model of ``ModelRun``:
/// every message that nothing destroyed comes out exactly once, whole; none comes out
/// twice; nothing comes out that was not written; no orphan segments. A failing sequence
/// is shrunk to a smallest one that still fails, printed as a Swift literal for
/// ``regressions``.
///
/// Seeded and reproducible: `EXTRAVASD_PROPERTY_SEED` (decimal or `0x` hex) chooses the
/// sequences (default ``defaultSeed``); `EXTRAVASD_PROPERTY_SEQUENCES` how many (default
/// ``sequenceCount``).
@Suite("Follower against its model (property test)")
struct FollowerModelTests {
    /// Sequences that run first, every time. Hand-written ones cover the guarantees most
    /// at risk (copytruncate across a restart, rotation by rename around split writes);
    /// the others come from failures of ``randomSequencesMatchTheModel()``: it prints a
    /// shrunk failing sequence as a literal to add here once the follower is fixed.
    static let regressions: [[Operation]] = [
        // copytruncate, the follower restarted after reading, right after the truncation
        // (the copy found at start), and after reading the new content.
        [
            .append(file: 0, count: 2), .pause(ms: 150), .restart, .append(file: 0, count: 1),
            .copyTruncate(file: 0), .restart, .append(file: 0, count: 2), .pause(ms: 150), .restart,
            .append(file: 0, count: 1),
        ],
        // Rotation by rename around split writes, the new file written at once, a restart
        // while the renamed file may still be read.
        [
            .splitWrite(file: 0), .append(file: 0, count: 1), .renameRotate(file: 0), .splitWrite(file: 0),
            .renameRotate(file: 0), .restart, .append(file: 0, count: 2),
        ],
        // copytruncate twice over, a restart between, two files and one-message files.
        [
            .append(file: 1, count: 3), .copyTruncate(file: 1), .append(file: 0, count: 1),
            .append(file: 1, count: 1), .pause(ms: 100), .restart, .copyTruncate(file: 1),
            .oneFilePerMessage(count: 2), .splitWrite(file: 1), .pause(ms: 100), .restart,
        ],
        // Found by seed 1466093, sequence 172, shrunk: f1.hl7 copy-truncated (f1.hl7.1 holds
        // its message), f0.hl7 given a message in two writes, the follower reading only the
        // first (the header every message of the feed shares), then truncated without a
        // copy. f1.hl7.1 was taken for f0.hl7's copy and its message delivered twice; a copy
        // is now looked for only among names that start with the file's name
        // (DrainingAndRewriteTests.aCopyOfAnotherFileIsNotTakenForATruncatedFilesCopy).
        [.append(file: 1, count: 1), .copyTruncate(file: 1), .splitWrite(file: 0), .truncate(file: 0)],
        // Found by seed 3, sequence 156, shrunk: a message cut short by the truncation (its
        // first 5 bytes read) came out unreadable with no bytes for its dead letter (they
        // were read from the file, truncated by then); they come from the reader now
        // (DrainingAndRewriteTests.aMessageCutShortByATruncationKeepsItsBytesForTheDeadLetters).
        [.splitWrite(file: 0), .splitWrite(file: 0), .truncate(file: 0)],
        // Found by a clean-clone CI run of seed 1466093 (sequences 334 and 431), shrunk: a
        // truncation cut the next message after its first 5-6 bytes, and the model took
        // that fragment of the header every message shares for a second delivery of an
        // earlier maybe message. The model's error: such a fragment names no message now.
        [
            .append(file: 0, count: 1), .restart, .append(file: 0, count: 1), .splitWrite(file: 0),
            .truncate(file: 0), .splitWrite(file: 0),
        ],
        [
            .splitWrite(file: 1), .append(file: 1, count: 1), .truncate(file: 1), .splitWrite(file: 1),
            .delete(file: 1),
        ],
        // Seed 0x165EED, sequence 431, shrunk: see
        // ``aMessageWrittenRightAfterATruncationComesOutOnce(_:)``.
        [
            .splitWrite(file: 0), .splitWrite(file: 1), .append(file: 1, count: 1), .truncate(file: 1),
            .splitWrite(file: 1), .pause(ms: 5), .oneFilePerMessage(count: 1), .delete(file: 0),
        ],
    ]

    /// The seed when `EXTRAVASD_PROPERTY_SEED` is not set.
    static let defaultSeed: UInt64 = 0x16_5EED
    /// Random sequences per run (at least 500, issue 16).
    static let sequenceCount = 520
    /// Sequences run at once (each waits mostly: settle and rotation grace).
    static let concurrency = 6
    /// The most failing sequences shrunk per run (shrinking reruns each candidate twice).
    static let shrunkAtMost = 2

    /// A sequence to run: where it comes from, its operations, the seed of its split points.
    struct Job: Sendable {
        var name: String
        var operations: [Operation]
        var seed: UInt64
    }

    /// Runs `jobs`, ``concurrency`` at a time; the failing ones with their failure.
    static func run(_ jobs: [Job]) async -> (failed: [(job: Job, failure: String)], raced: Int) {
        await withTaskGroup(of: (Job, String?, Int).self) { group in
            var next = 0
            var failed: [(job: Job, failure: String)] = []
            var raced = 0
            func add() {
                guard next < jobs.count else { return }
                let job = jobs[next]
                next += 1
                group.addTask {
                    let outcome = await ModelRun.outcome(job.operations, seed: job.seed)
                    return (job, outcome.failure, outcome.raced)
                }
            }
            for _ in 0..<concurrency { add() }
            while let (job, failure, racedHere) = await group.next() {
                if let failure { failed.append((job, failure)) }
                raced += racedHere
                add()
            }
            return (failed.sorted { $0.job.name < $1.job.name }, raced)
        }
    }

    /// Every delivery guarantee of the follower (README, "Rotation") holds in the
    /// regression sequences and in ``sequenceCount`` random sequences of 3 to 8 operations:
    /// whatever the writers, logrotate and restarts do, a message nothing destroyed comes
    /// out exactly once and whole, and no message comes out twice.
    @Test func randomSequencesMatchTheModel() async {
        let seed = propertySeed(default: Self.defaultSeed)
        let count =
            getenv("EXTRAVASD_PROPERTY_SEQUENCES").flatMap { Int(String(cString: $0)) } ?? Self.sequenceCount
        let started = ContinuousClock.now
        print("FollowerModelTests: seed \(seed) (EXTRAVASD_PROPERTY_SEED), \(count) random sequences")

        let regressions = Self.regressions.enumerated().map { index, operations in
            Job(
                name: "regression \(index)", operations: operations,
                seed: sequenceSeed(Self.defaultSeed, 1_000_000 + index))
        }
        for (job, failure) in await Self.run(regressions).failed {
            Issue.record("\(job.name) failed: \(failure)\n\(literal(job.operations))")
        }

        let jobs = (0..<count).map { index in
            var random = SeededRandom(seed: sequenceSeed(seed, index))
            let operations = SequenceGenerator.sequence(&random)
            return Job(name: "sequence \(index)", operations: operations, seed: sequenceSeed(seed, index))
        }
        let (failed, raced) = await Self.run(jobs)
        let ran = ContinuousClock.now - started
        print(
            "FollowerModelTests: \(regressions.count) regression and \(count) random sequences in \(ran), "
                + "\(failed.count) failed; \(raced) message(s) not yet delivered when their file was rotated "
                + "or copy-truncated (races the follower had to win)")

        for (number, (job, failure)) in failed.enumerated() {
            var report =
                "\(job.name) of seed \(seed) failed: \(failure)\n  sequence: \(literal(job.operations))"
            if number < Self.shrunkAtMost {
                let shrunk = await shrink(job.operations, seed: job.seed, failure: failure)
                report +=
                    "\n  shrunk (\(shrunk.runs) runs): \(literal(shrunk.operations))\n  its failure: \(shrunk.failure)"
                    + "\n  Add the shrunk sequence to FollowerModelTests.regressions once fixed."
            }
            print("FollowerModelTests: " + report)
            Issue.record("\(report)")
        }
    }

    /// The generator is deterministic: one seed, the same sequences (so a failure's seed
    /// reproduces it), and its literals are valid operations of the length asked.
    @Test func theGeneratorIsSeededAndReproducible() {
        var first = SeededRandom(seed: 42)
        var second = SeededRandom(seed: 42)
        let one = (0..<50).map { _ in SequenceGenerator.sequence(&first) }
        let two = (0..<50).map { _ in SequenceGenerator.sequence(&second) }
        #expect(one == two)
        #expect(one.allSatisfy { (3...8).contains($0.count) })
        #expect(Set(one.map(literal)).count > 40, "different sequences")
        #expect(literal([.append(file: 1, count: 2), .restart]) == "[.append(file: 1, count: 2), .restart]")
    }

    /// A message written right after a truncation that cut a pending message comes out
    /// once. `f1.hl7` holds two messages, the first written in two parts (5 bytes, then the
    /// rest); it is truncated, and the next message is written to it in two parts with no
    /// pause. Found by seed 0x165EED, sequence 431 (a clean-clone CI run; 2 runs in 10 of
    /// twelve at once here, beside the property test), shrunk: "delivered more than once
    /// [Q3472-3 x2]", a certain message. The follower looked at the file's first bytes,
    /// then read: when the writer truncated and rewrote the file in between, it read the
    /// new content but kept the old first bytes as the file's fingerprint, took the file
    /// for rewritten at its next look, and read the new message again from the start. The
    /// fingerprint is now the first bytes as read. Run twelve times at once (timing
    /// decides it; `make test` runs this suite with `--no-parallel`), with the split points
    /// of its sequence.
    @Test func aMessageWrittenRightAfterATruncationComesOutOnce() async {
        let operations = Self.regressions.last!
        let failures = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<12 {
                group.addTask { await ModelRun.check(operations, seed: sequenceSeed(0x16_5EED, 431)) }
            }
            return await group.compactMap { $0 }.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(failures.isEmpty, "\(failures.count) of 12 runs failed; the first: \(failures.first ?? "")")
    }
}
