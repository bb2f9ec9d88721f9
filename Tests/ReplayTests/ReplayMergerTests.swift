import ClinicalEvents
import Configuration
import HL7
import Surveillance
import Testing

@testable import Replay

/// The merger's order: file order within a file, MSH-7 across files (ties: argument
/// order, then offset).
@Suite("Replay merger")
struct ReplayMergerTests {
    /// The control ids (MSH-10) in the order the merger hands the messages out.
    func order(_ files: [String]) throws -> [String] {
        let feeds = try files.enumerated().map { index, path in
            try ReplayFeed(
                path: path, argumentIndex: index, limits: .service,
                settings: SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog))
        }
        var merger = try ReplayMerger(feeds: feeds)
        var ids: [String] = []
        while let (_, result, _, _) = try merger.next() {
            ids.append(try result.get().header[10].string)
        }
        return ids
    }

    @Test func filesAreMergedByMessageTime() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let first = try scratch.write(
            "a.hl7", message("A1", at: "20260302080000") + message("A2", at: "20260302140000"))
        let second = try scratch.write(
            "b.hl7", message("B1", at: "20260302120000") + message("B2", at: "20260302160000"))
        #expect(try order([first, second]) == ["A1", "B1", "A2", "B2"])
        #expect(try order([second, first]) == ["A1", "B1", "A2", "B2"])
    }

    @Test func withinAFileTheOrderIsTheFilesEvenWhenTimeGoesBackwards() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = try scratch.write(
            "a.hl7", message("A1", at: "20260302140000") + message("A2", at: "20260302120000"))
        #expect(try order([file]) == ["A1", "A2"])
        let other = try scratch.write("b.hl7", message("B1", at: "20260302130000"))
        #expect(try order([file, other]) == ["B1", "A1", "A2"], "A2 waits behind A1 in its file")
    }

    @Test func equalTimesGoInArgumentOrder() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let first = try scratch.write("a.hl7", message("A1", at: "20260302120000"))
        let second = try scratch.write("b.hl7", message("B1", at: "20260302120000"))
        #expect(try order([first, second]) == ["A1", "B1"])
        #expect(try order([second, first]) == ["B1", "A1"])
    }

    @Test func anUnreadableTimeSortsFirst() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let first = try scratch.write("a.hl7", message("A1", at: "20260302120000"))
        let second = try scratch.write("b.hl7", message("B1", at: "not a time"))
        #expect(try order([first, second]) == ["B1", "A1"])
    }
}
