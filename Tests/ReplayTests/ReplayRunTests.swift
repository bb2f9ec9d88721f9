import FeedGen
import Foundation
import HL7
import Replay
import Surveillance
import Testing

/// A replay driven in-process: the engine's alerts, the summary, and the state a later
/// run continues from.
@Suite("Replay run")
struct ReplayRunTests {
    static func feed(_ scratch: ScratchDirectory, seed: UInt64) throws -> String {
        let bytes = FeedGenerator.feed(
            options: FeedOptions(seed: seed, patients: 6, terminator: .mixed, signShare: 0.3),
            messageCount: 400)
        return try scratch.write("feed\(seed).hl7", bytes)
    }

    /// The alerts' ids of a replay of `files` from `state`, and the state after it.
    static func replay(
        _ files: [String], from state: ReplayState = ReplayState(), maxMessages: Int? = nil
    ) throws -> (alerts: [String], summary: ReplaySummary, state: ReplayState) {
        var run = try ReplayRun(files: files, settings: bundledSettings, limits: .service, continuing: state)
        var alerts: [String] = []
        try run.run(maxMessages: maxMessages) { alerts.append($0.id) }
        return (alerts, run.summary, run.state)
    }

    @Test func aReplayInPiecesThroughItsStateRaisesWhatOneRunRaises() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let files = [try Self.feed(scratch, seed: 3), try Self.feed(scratch, seed: 4)]
        let whole = try Self.replay(files)
        #expect(whole.summary.messages == 800)
        #expect(!whole.alerts.isEmpty)
        var state = ReplayState()
        var alerts: [String] = []
        var messages = 0
        while true {
            let piece = try Self.replay(files, from: state, maxMessages: 150)
            alerts += piece.alerts
            messages += piece.summary.messages
            state = piece.state
            if piece.summary.messages < 150 { break }
        }
        #expect(messages == 800)
        #expect(alerts == whole.alerts)
        #expect(state.files == whole.state.files)
        #expect(state.mergeKeys == whole.state.mergeKeys)
        #expect(state.engine == whole.state.engine)
    }

    @Test func theSummaryCountsTypesAndMalformedMessages() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = try scratch.write(
            "a.hl7",
            message("A1", at: "20260302120000") + "MSH|^~\\&|A|H|||2026X4455||ORU^R01|M9|P|2.5\rPID|1\r"
                + message("A1", at: "20260302120000"))
        let result = try Self.replay([file])
        #expect(result.summary.messages == 3)
        #expect(result.summary.countsByTypeName["ADT^A01"] == 2)
        #expect(result.summary.duplicates == 1)
        #expect(result.summary.malformed == 1)
        #expect(result.summary.malformedLines.first?.hasPrefix("\(file):") == true)
    }

    @Test func anErrorThrownForAnAlertEndsTheReplay() throws {
        struct Stop: Error {}
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var run = try ReplayRun(
            files: [try Self.feed(scratch, seed: 5)], settings: bundledSettings, limits: .service)
        #expect(throws: Stop.self) { try run.run { _ in throw Stop() } }
        #expect(run.summary.alerts == 1)
    }

    @Test func aFileThatCannotBeOpenedIsNamed() throws {
        #expect {
            _ = try ReplayRun(files: ["/nonexistent/feed.hl7"], settings: bundledSettings, limits: .service)
        } throws: { error in
            "\(error)".contains("/nonexistent/feed.hl7")
        }
    }
}

/// The state file: round trip, private mode, layout version.
@Suite("Replay state file")
struct ReplayStateFileTests {
    @Test func savedStateLoadsEqualAndIsPrivate() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var state = ReplayState()
        state.files["/feeds/a.hl7"] = 1234
        state.mergeKeys = ["/feeds/a.hl7": 1_772_000_000]
        let path = scratch.path + "/state.json"
        try state.save(path)
        let loaded = try ReplayState.load(path)
        #expect(loaded.files == state.files)
        #expect(loaded.mergeKeys == state.mergeKeys)
        #expect(loaded.engine == state.engine)
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
    }

    @Test func anAbsentFileIsAnEmptyState() throws {
        let loaded = try ReplayState.load("/nonexistent/state.json")
        #expect(loaded.files.isEmpty && loaded.mergeKeys == nil)
    }

    @Test func anotherVersionIsRefused() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        var state = ReplayState()
        state.version = ReplayState.currentVersion + 1
        let path = scratch.path + "/state.json"
        try state.save(path)
        #expect(throws: (any Error).self) { try ReplayState.load(path) }
    }
}
