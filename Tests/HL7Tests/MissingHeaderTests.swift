import HL7
import Testing

/// Bytes that do not start with an MSH segment are not a message (`missing_header`):
/// an MLLP frame may hold anything, and a message without a header would trap whoever
/// reads its MSH. Found by `make fuzz-engine`: a frame starting `|^~\&|` parsed into a
/// message with no segment at all.
@Suite("Messages start with MSH")
struct MissingHeaderTests {
    @Test(arguments: [
        "|^~\\&|\r\u{0}\u{0}\u{1}|CHMC|EXTRAVASD|IT|20260101000737||ADT^A01|8966087|P|2.3\rEVN|A01|20260101000737\r",
        "PID|1||123^^^H^MR\rMSH|^~\\&|A|B|||20260101||ADT^A01|1|P|2.5\r",
        "XYZ|^~\\&|A|B|||20260101||ADT^A01|1|P|2.5\r",
        "msh|^~\\&|A|B|||20260101||ADT^A01|1|P|2.5\r",
    ])
    func bytesThatDoNotStartWithAnMSHSegmentAreRefused(_ text: String) {
        let error = #expect(throws: HL7ReadError.self) { try Message(bytes: Array(text.utf8)) }
        #expect(error?.code == .missingHeader, "\(String(describing: error))")
    }

    @Test func aMessageStartingWithMSHStillReads() throws {
        let message = try Message(bytes: Array("MSH|^~\\&|A|B|||20260101||ADT^A01|1|P|2.5\rEVN|A01\r".utf8))
        #expect(message.header.id == .msh)
        #expect(message.segments.count == 2)
    }
}
