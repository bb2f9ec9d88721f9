import FeedGen
import Foundation
import HL7
import Surveillance
import Testing

@testable import Replay

/// Files read ahead on threads of their own replay exactly as files read in place: the
/// same alerts in the same order, the same summary, the same state to continue from.
@Suite("Replay read ahead")
struct ReplayReadAheadTests {
    /// Generated feeds with unreadable messages and junk among them.
    static func feeds(_ scratch: ScratchDirectory, count: Int) throws -> [String] {
        try (0..<count).map { index in
            var bytes = FeedGenerator.feed(
                options: FeedOptions(
                    seed: UInt64(20 + index), patients: 4, terminator: .mixed, signShare: 0.3,
                    lateMessageShare: 0.05),
                messageCount: 300)
            bytes += Array("MSH|\rjunk\r".utf8)
            bytes += FeedGenerator.feed(
                options: FeedOptions(seed: UInt64(40 + index), patients: 3, terminator: .lf, signShare: 0.3),
                messageCount: 100)
            return try scratch.write("feed\(index).hl7", bytes)
        }
    }

    struct Outcome: Equatable {
        var alerts: [String]
        var messages: Int
        var summary: String
        var files: [String: Int]
        var mergeKeys: [String: Int64]?
        var engine: SurveillanceState
    }

    static func replay(
        _ files: [String], readAheadFiles: Int, from state: ReplayState = ReplayState(),
        maxMessages: Int? = nil
    ) throws -> Outcome {
        var run = try ReplayRun(
            files: files, settings: bundledSettings, limits: .service, continuing: state,
            readAheadFiles: readAheadFiles)
        var alerts: [String] = []
        try run.run(maxMessages: maxMessages) { alerts.append($0.id) }
        let saved = run.state
        return Outcome(
            alerts: alerts, messages: run.summary.messages, summary: run.summary.text, files: saved.files,
            mergeKeys: saved.mergeKeys,
            engine: saved.engine)
    }

    @Test(arguments: [1, 2, 5])
    func filesReadAheadReplayAsFilesReadInPlace(fileCount: Int) throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let files = try Self.feeds(scratch, count: fileCount)
        let inPlace = try Self.replay(files, readAheadFiles: 0)
        #expect(!inPlace.alerts.isEmpty)
        #expect(inPlace.summary.contains("malformed"))
        #expect(try Self.replay(files, readAheadFiles: fileCount) == inPlace)
    }

    @Test func aReplayInPiecesReadAheadContinuesWhereItStopped() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let files = try Self.feeds(scratch, count: 2)
        let whole = try Self.replay(files, readAheadFiles: 0)
        var state = ReplayState()
        var alerts: [String] = []
        while true {
            let piece = try Self.replay(files, readAheadFiles: 2, from: state, maxMessages: 97)
            var resumed = ReplayState()
            (resumed.files, resumed.mergeKeys, resumed.engine) = (piece.files, piece.mergeKeys, piece.engine)
            // Each piece stops where the same piece read in place stops.
            let inPlacePiece = try Self.replay(files, readAheadFiles: 0, from: state, maxMessages: 97)
            #expect(piece == inPlacePiece)
            alerts += piece.alerts
            state = resumed
            if piece.messages < 97 { break }
        }
        #expect(alerts == whole.alerts)
        #expect(state.files == whole.files)
        #expect(state.engine == whole.engine)
    }
}
