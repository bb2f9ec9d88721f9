import ClinicalEvents
import Configuration
import FeedGen
import Foundation
import HL7
import Testing

@testable import Surveillance

/// The engine's work split in two: a pure preparation (``MessagePreparer``, which may run
/// on another thread) and the stateful apply stage. Applying prepared messages must give
/// what processing the messages gives, whoever prepared them and however deeply.
@Suite("Prepared messages")
struct PreparedMessageTests {
    static var settings: SurveillanceSettings {
        SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog)
    }

    /// A feedgen feed with resends, other delimiters and many signs.
    static let feed: [Message] = {
        let bytes = FeedGenerator.feed(
            options: FeedOptions(
                seed: 5, patients: 12, alternateDelimitersShare: 0.05, signShare: 0.3, resendShare: 0.05),
            simulatedSeconds: 6 * 86_400)
        return MessageReader.readAll(bytes).compactMap { try? $0.get() }
    }()

    @Test func messagesPreparedApartGiveTheSameOutcomesAndState() {
        var reference = SurveillanceEngine(settings: Self.settings)
        var apart = SurveillanceEngine(settings: Self.settings)
        var mixed = SurveillanceEngine(settings: Self.settings)
        var preparer = MessagePreparer(settings: apart.settings)
        var mixedPreparer = MessagePreparer(settings: mixed.settings)
        var alerts = 0
        for (index, message) in Self.feed.enumerated() {
            let source = MessageSource.file("feed.hl7", offset: message.offset)
            let expected = reference.process(message, source: source)
            alerts += expected.alerts.count
            #expect(apart.process(preparer.prepare(message), source: source) == expected)
            // Every other message with its header only: the engine reads the rest.
            let prepared =
                index % 2 == 0 ? mixedPreparer.prepareHeader(message) : mixedPreparer.prepare(message)
            #expect(mixed.process(prepared, source: source) == expected)
        }
        #expect(alerts > 0)
        #expect(apart.state == reference.state)
        #expect(mixed.state == reference.state)
    }

    @Test func aMessagePreparedUnderOtherSettingsIsPreparedAgain() {
        // MSH-7 without an offset: read in the configured zone.
        let text =
            "MSH|^~\\&|APP|FAC|EXT|FAC|20260302080000||ADT^A01|M1|P|2.5.1\rEVN|A01|20260302080000\r"
            + "PID|1||4455^^^CHILDRENS^MR||DOE^JANE||20241005|F\rPV1|1|I|PICU^12^A\r"
        let message = try! Message(bytes: Array(text.utf8))
        var engine = SurveillanceEngine(settings: Self.settings)
        var preparer = MessagePreparer(settings: engine.settings)
        let early = preparer.prepare(message)
        engine.settings.times = TimeReader(zone: FixedOffsetZone(offsetSeconds: 3600))
        #expect(engine.process(early, source: .file("a.hl7", offset: 0)) == .processed([]))
        // Read with the engine's new zone: 07:00 UTC, not 08:00.
        #expect(engine.state.processed.values.first == Instant(seconds: 1_772_434_800))
    }

    @Test func aMessageThatIsIgnoredOrRejectedByItsHeaderIsReadNoFurther() {
        var preparer = MessagePreparer(settings: Self.settings)
        let ignored = try! Message(
            bytes: Array("MSH|^~\\&|A|B|C|D|20260302080000||ADT^A99|M1|P|2.5.1\r".utf8))
        let noTime = try! Message(bytes: Array("MSH|^~\\&|A|B|C|D|||ORU^R01|M2|P|2.5.1\rPID|1||1\r".utf8))
        #expect(preparer.prepare(ignored).problem == .ignored)
        let rejected = preparer.prepare(noTime)
        #expect(rejected.problem == .noMessageTime)
        guard case .none = rejected.content else {
            Issue.record("no MSH-7: rejected, content not read")
            return
        }
    }
}
