import HL7
import MLLP
import Testing

/// `HL7Acknowledgement`: the codes in original and enhanced mode, the answered MSH, MSA-2,
/// ERR, escaping, custom encodings, read back with the project's own reader.
@Suite("HL7 acknowledgement")
struct AcknowledgementTests {
    static let received = Array(
        ("MSH|^~\\&|PHARM|NORTH^1.2.3^ISO|EXTRAVASD|HOSP|20240101120000||RDE^O11^RDE_O11|MSG-42|P^T|2.5.1\r"
            + "PID|1||123^^^H^MR\r").utf8)

    static func header(accept: String = "", application: String = "") throws -> ReceivedMessageHeader {
        var header = ReceivedMessageHeader(try Message(bytes: received))
        header.acceptAcknowledgementType = accept
        header.applicationAcknowledgementType = application
        return header
    }

    static let problem = AcknowledgementProblem(.applicationInternalError, reason: "the message is malformed")
    static let outcomes: [AcknowledgementOutcome] = [.committed, .notProcessed(problem), .rejected(problem)]

    static func read(_ bytes: [UInt8]) throws -> Message { try Message(bytes: bytes) }

    @Test("original mode: AA, AE, AR, one acknowledgement each")
    func originalMode() throws {
        let header = try Self.header()
        let codes = Self.outcomes.map { HL7Acknowledgement(answering: header, outcome: $0).codes }
        #expect(codes == [[.applicationAccept], [.applicationError], [.applicationReject]])
    }

    @Test(
        "enhanced mode: MSH-15 drives CA/CE/CR, MSH-16 AA/AE/AR, accept first",
        arguments: [
            // (MSH-15, MSH-16, codes for committed, not processed, rejected)
            ("AL", "NE", [["CA"], ["CE"], ["CR"]]),
            ("AL", "AL", [["CA", "AA"], ["CE", "AE"], ["CR", "AR"]]),
            ("NE", "AL", [["AA"], ["AE"], ["AR"]]),
            ("NE", "NE", [[], [], []]),
            ("ER", "ER", [[], ["CE", "AE"], ["CR", "AR"]]),
            ("SU", "SU", [["CA", "AA"], [], []]),
            ("ER", "SU", [["AA"], ["CE"], ["CR"]]),
            ("SU", "ER", [["CA"], ["AE"], ["AR"]]),
            ("AL", "", [["CA", "AA"], ["CE", "AE"], ["CR", "AR"]]),
            ("", "NE", [["CA"], ["CE"], ["CR"]]),
            ("ne", "er", [[], ["AE"], ["AR"]]),
        ])
    func enhancedMode(accept: String, application: String, expected: [[String]]) throws {
        let header = try Self.header(accept: accept, application: application)
        let codes = Self.outcomes.map {
            HL7Acknowledgement(answering: header, outcome: $0).codes.map(\.rawValue)
        }
        #expect(codes == expected)
        #expect(HL7Acknowledgement(answering: header, outcome: .committed).isEnhancedMode)
    }

    @Test("the messages come in the order of their codes, each with its own control id")
    func messagesInOrder() throws {
        let ack = HL7Acknowledgement(
            answering: try Self.header(accept: "AL", application: "AL"), outcome: .committed)
        let messages = ack.messages(timestamp: "20240101120001") { "ACK-\($0.rawValue)" }
        #expect(messages.map(\.code) == [.commitAccept, .applicationAccept])
        let read = try messages.map { try Self.read($0.bytes) }
        #expect(read.map(\.controlID) == ["ACK-CA", "ACK-AA"])
        #expect(read.map { $0["MSA-1"] } == ["CA", "AA"])
        #expect(ack.messages(timestamp: "", controlID: { _ in "" }).count == 2)
        let none = HL7Acknowledgement(
            answering: try Self.header(accept: "NE", application: "NE"), outcome: .committed)
        #expect(none.messages(timestamp: "20240101120001") { _ in "X" }.isEmpty)
    }

    @Test("MSH-3/4 become MSH-5/6 and back, MSH-9 names the trigger, MSH-11 and MSH-12 are kept")
    func answersTheHeader() throws {
        let ack = HL7Acknowledgement(answering: try Self.header(), outcome: .committed)
        let bytes = ack.message(code: .applicationAccept, timestamp: "20240101120001", controlID: "A1")
        let message = try Self.read(bytes)
        #expect(message["MSH-3"] == "EXTRAVASD")
        #expect(message["MSH-4"] == "HOSP")
        #expect(message["MSH-5"] == "PHARM")
        #expect(message["MSH-6.1"] == "NORTH")
        #expect(message["MSH-6.2"] == "1.2.3")
        #expect(message["MSH-6.3"] == "ISO")
        #expect(message["MSH-7"] == "20240101120001")
        #expect(message.messageType.code == "ACK")
        #expect(message.messageType.event == "O11")
        #expect(message["MSH-9.3"] == "ACK")
        #expect(message.controlID == "A1")
        #expect(message["MSH-11.1"] == "P")
        #expect(message["MSH-11.2"] == "T")
        #expect(message.version == "2.5.1")
        #expect(message["MSA-1"] == "AA")
        #expect(message["MSA-2"] == "MSG-42")
        #expect(message.segment("ERR") == nil)
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "MSH|^~\\&|EXTRAVASD|HOSP|PHARM|NORTH^1.2.3^ISO|20240101120001||ACK^O11^ACK|A1|P^T|2.5.1\r"
                + "MSA|AA|MSG-42\r")
    }

    @Test("an unknown trigger gives MSH-9 ACK; no MSH-11 gives P")
    func defaults() throws {
        var header = try Self.header()
        header.triggerEvent = ""
        header.processingID = []
        let message = try Self.read(
            HL7Acknowledgement(answering: header, outcome: .committed).message(
                code: .applicationAccept, timestamp: "20240101", controlID: "1"))
        #expect(message["MSH-9"] == "ACK")
        #expect(message["MSH-9.2"] == nil)
        #expect(message["MSH-11"] == "P")
    }

    @Test("AE, AR, CE and CR carry ERR: table 0357 code in ERR-3, severity E, the reason in ERR-8")
    func errSegment() throws {
        let header = try Self.header(accept: "AL", application: "AL")
        for outcome in Self.outcomes.dropFirst() {
            for message in HL7Acknowledgement(answering: header, outcome: outcome).messages(
                timestamp: "20240101", controlID: { $0.rawValue })
            {
                let read = try Self.read(message.bytes)
                #expect(read["ERR-3.1"] == "207")
                #expect(read["ERR-3.2"] == "Application internal error")
                #expect(read["ERR-3.3"] == "HL70357")
                #expect(read["ERR-4"] == "E")
                #expect(read["ERR-8"] == "the message is malformed")
                #expect(read["MSA-2"] == "MSG-42")
            }
        }
        let long = AcknowledgementProblem(
            .unsupportedVersionID, reason: String(repeating: "x", count: 200))
        let read = try Self.read(
            HL7Acknowledgement(answering: header, outcome: .rejected(long)).message(
                code: .applicationReject, timestamp: "1", controlID: "1"))
        #expect(read["ERR-3.1"] == "203")
        #expect(read["ERR-8"] == String(repeating: "x", count: 80) + "…")
    }

    @Test("a hostile MSH-10 is escaped: no segment, field or component can be injected")
    func hostileControlID() throws {
        var header = try Self.header()
        header.controlID = "X|Y^Z~W&V\\U\rERR|||1\n\u{1C}\u{0B}"
        let problem = AcknowledgementProblem(.segmentSequenceError, reason: "bad|reason\rPID|1")
        let bytes = HL7Acknowledgement(answering: header, outcome: .notProcessed(problem)).message(
            code: .applicationError, timestamp: "1", controlID: "1")
        #expect(!bytes.contains(0x1C) && !bytes.contains(0x0B) && !bytes.contains(0x0A))
        #expect(bytes.filter { $0 == 0x0D }.count == 3)
        #expect(MLLPFrameEncoder.frame(bytes) != nil)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.contains(
                "MSA|AE|X\\F\\Y\\S\\Z\\R\\W\\T\\V\\E\\U\\X0D\\ERR\\F\\\\F\\\\F\\1\\X0A\\\\X1C\\\\X0B\\\r"))
        let message = try Self.read(bytes)
        #expect(message.segments.map(\.id.description) == ["MSH", "MSA", "ERR"])
        #expect(message["MSA-2"] == header.controlID)
        #expect(message["ERR-8"] == "bad|reason\rPID|1")
    }

    @Test(
        "a custom encoding is answered in kind",
        arguments: [
            "MSH|^~\\&#|PHARM|NORTH|EXTRAVASD|HOSP|20240101||RDE^O11|A#B|P|2.7\r",
            "MSH#^~\\&#PHARM#NORTH#EXTRAVASD#HOSP#20240101##RDE^O11#A|B#P#2.5\r",
            "MSH|$*!@|PHARM|NORTH|EXTRAVASD|HOSP|20240101||RDE$O11|A^B$C|P|2.5\r",
        ])
    func customEncoding(text: String) throws {
        let received = try Message(bytes: Array(text.utf8))
        let header = ReceivedMessageHeader(received)
        let bytes = HL7Acknowledgement(answering: header, outcome: .committed).message(
            code: .applicationAccept, timestamp: "20240102", controlID: "C1")
        #expect(Array(bytes.prefix(9)) == Array(text.utf8.prefix(9)))
        let message = try Self.read(bytes)
        #expect(message.delimiters == received.delimiters)
        #expect(message["MSA-2"] == received.controlID)
        #expect(message["MSH-5"] == "PHARM")
        #expect(message["MSH-3"] == "EXTRAVASD")
        #expect(message.messageType.event == "O11")
        #expect(message.version == received.version)
    }

    @Test("encoding characters without an escape character: the answer uses |^~\\&")
    func noEscapeCharacter() throws {
        let received = try Message(bytes: Array("MSH|^~|PHARM|NORTH|EXT|HOSP|1||ADT^A01|A\\B|P|2.3\r".utf8))
        let bytes = HL7Acknowledgement(answering: ReceivedMessageHeader(received), outcome: .committed)
            .message(
                code: .applicationAccept, timestamp: "1", controlID: "1")
        let message = try Self.read(bytes)
        #expect(message.delimiters == .standard)
        #expect(message["MSA-2"] == "A\\B")
    }

    @Test("an unreadable MSH: AR in original mode, default encoding, MSA-2 what MSH-10 can be read")
    func unreadableHeader() throws {
        let broken = Array("MSH|^|A|B|C|D|1||ADT^A01|CTRL^9|P|2.5|||AL|AL\rPID|1\r".utf8)
        #expect(throws: HL7ReadError.self) { try Message(bytes: broken) }
        let header = ReceivedMessageHeader.salvaged(from: broken)
        #expect(header.controlID == "CTRL^9")
        let ack = HL7Acknowledgement(
            answering: header,
            outcome: .rejected(AcknowledgementProblem(.segmentSequenceError, reason: "MSH cannot be read")))
        #expect(ack.codes == [.applicationReject])
        let message = try Self.read(ack.message(code: .applicationReject, timestamp: "1", controlID: "1"))
        #expect(message.delimiters == .standard)
        #expect(message["MSA-1"] == "AR")
        #expect(message["MSA-2"] == "CTRL^9")
        #expect(message["ERR-3.1"] == "100")
        #expect(ReceivedMessageHeader.salvaged(from: Array("garbage".utf8)).controlID == "")
        #expect(ReceivedMessageHeader.salvaged(from: Array("MSH|x|1|2".utf8)).controlID == "")
    }
}
