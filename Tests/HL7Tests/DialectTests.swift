import HL7
import Testing

/// DESIGN.md section 3: segment terminators, encoding characters, escapes, nulls,
/// Z-segments, non-segment lines and text decoding.
@Suite("Dialects")
struct DialectTests {
    @Test func carriageReturnTerminatedSegments() {
        let message = messages("MSH|^~\\&|A\rPID|1||4455\rPV1|1|I|PICU^12^A\r")[0]
        #expect(ids(message) == ["MSH", "PID", "PV1"])
        #expect(message["PV1-3.2"] == "12")
    }

    @Test func crlfTerminatedSegments() {
        let message = messages("MSH|^~\\&|A\r\nPID|1||4455\r\nPV1|1|I\r\n")[0]
        #expect(ids(message) == ["MSH", "PID", "PV1"])
        #expect(message["PID-3"] == "4455")
        #expect(message.warnings.isEmpty)
    }

    @Test func lineFeedOnlyMessageSegmentsEndAtLF() {
        let message = messages("MSH|^~\\&|A\nPID|1||4455\nOBX|1|TX|||text\n")[0]
        #expect(ids(message) == ["MSH", "PID", "OBX"])
        #expect(message["OBX-5"] == "text")
    }

    @Test func loneLineFeedInACarriageReturnMessageIsText() {
        let message = messages("MSH|^~\\&|A\rOBX|1|TX|||first line\nsecond line|F\rNTE|1\r")[0]
        #expect(ids(message) == ["MSH", "OBX", "NTE"])
        #expect(message["OBX-5"] == "first line\nsecond line")
        #expect(message["OBX-6"] == "F")
    }

    @Test func filesMixTerminators() {
        let read = messages("MSH|^~\\&|A\rPID|1\rMSH|^~\\&|B\nPID|2\nMSH|^~\\&|C\r\nPID|3\r\n")
        #expect(read.map { $0["PID-1"] } == ["1", "2", "3"])
        #expect(read.allSatisfy { ids($0) == ["MSH", "PID"] })
    }

    @Test func encodingCharactersComeFromEachMessage() {
        let message = messages("MSH#$*@!#A|B\rPID#1##4455$$$HOSP$MR*55$$$SSA$SS\r")[0]
        #expect(message.delimiters.field == UInt8(ascii: "#"))
        #expect(message["MSH-1"] == "#")
        #expect(message["MSH-2"] == "$*@!")
        #expect(message["MSH-3"] == "A|B")
        #expect(message["PID-3.4"] == "HOSP")
        #expect(message["PID-3(2).1"] == "55")
        #expect(message["PID-3(2).5"] == "SS")
    }

    @Test func twoCharacterMSH2HasNoEscapeOrSubcomponent() {
        let message = messages("MSH|^~|A\rOBX|1|TX|||a\\F\\b&c^d\r")[0]
        #expect(message.delimiters.escape == nil)
        #expect(message.delimiters.subcomponent == nil)
        #expect(message["OBX-5.1"] == "a\\F\\b&c")
        #expect(message["OBX-5.2"] == "d")
    }

    @Test func threeCharacterMSH2HasEscapeButNoSubcomponent() {
        let message = messages("MSH|^~\\|A\rOBX|1|TX|||a\\F\\b&c\r")[0]
        #expect(message.delimiters.escape == UInt8(ascii: "\\"))
        #expect(message.delimiters.subcomponent == nil)
        #expect(message["OBX-5"] == "a|b&c")
    }

    @Test func fiveCharacterMSH2IsReadPositionallyInAnyVersion() {
        let message = messages("MSH|^~\\&#|A|||||||||2.3\rOBX|1|ST|||truncated#value&sub\r")[0]
        #expect(message.delimiters.truncation == UInt8(ascii: "#"))
        #expect(message["MSH-2"] == "^~\\&#")
        #expect(message["MSH-12"] == "2.3")
        // The truncation character is literal.
        #expect(message["OBX-5.1.1"] == "truncated#value")
        #expect(message["OBX-5.1.2"] == "sub")
    }

    @Test func msh2TooShortIsAnErrorAndReadingContinues() {
        let results = readAll("MSH|^\rPID|1\rMSH|^~\\&|B\rPID|2\r")
        #expect(results.count == 2)
        guard case .failure(let error) = results[0] else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .encodingCharactersMissing)
        #expect(error.segment == "MSH" && error.field == 2)
        guard case .success(let next) = results[1] else {
            Issue.record("the next message must be read")
            return
        }
        #expect(next.offset == 12)
        #expect(next["PID-1"] == "2")
    }

    @Test func badEncodingCharactersAreAnError() {
        for text in ["MSH|^~\\&xx|A\r", "MSH|^^\\&|A\r", "MSH|^A\\&|A\r"] {
            let results = readAll(text)
            guard case .failure(let error) = results.first else {
                Issue.record("expected an error for \(text)")
                continue
            }
            #expect(error.code == .badEncodingCharacters)
        }
    }

    @Test func escapeSequencesAreDecoded() {
        let message = messages(
            "MSH|^~\\&|A\rOBX|1|FT|||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\H\\bold\\N\\h\\X414243\\i\\X0D0A\\\r"
        )[0]
        #expect(message["OBX-5"] == "a|b^c&d~e\\f\ngbold" + "hABCi\r\n")
    }

    @Test func unknownAndMalformedEscapesStayAsWritten() {
        let message = messages(
            "MSH|^~\\&|A\rOBX|1|FT|||\\Zfoo\\ \\X4\\ \\XZZ\\ \\.sp2\\ \\X\\ \\Cxxyy\\ tail\\unterminated\r")[
                0]
        #expect(message["OBX-5"] == "\\Zfoo\\ \\X4\\ \\XZZ\\ \\.sp2\\ \\X\\ \\Cxxyy\\ tail\\unterminated")
    }

    @Test func explicitNullDiffersFromEmpty() {
        let message = messages("MSH|^~\\&|A\rPID|1||\"\"|\r")[0]
        let pid = message.segment("PID")!
        #expect(pid[3].isNull)
        #expect(!pid[3].isEmpty)
        #expect(pid[3].string == "\"\"")
        #expect(pid[4].isEmpty && !pid[4].isNull)
        #expect(pid[2].isEmpty)
        #expect(message["PID-3"] == nil && message["PID-4"] == nil)
        #expect(pid.fieldCount == 4, "trailing empty fields count")
    }

    @Test func zSegmentsAndUnknownSegmentsAreKept() {
        let message = messages("MSH|^~\\&|A\rZNA|1|custom\rXYZ|2\rPID|1\r")[0]
        #expect(ids(message) == ["MSH", "ZNA", "XYZ", "PID"])
        #expect(message["ZNA-2"] == "custom")
    }

    @Test func nonSegmentLinesAreDroppedWithAWarning() {
        let message = messages(
            "MSH|^~\\&|A\rPID|1\r# a comment\rpid|lower\r\u{01}\u{02}binary\rPV|1\rOBX|1\r")[0]
        #expect(ids(message) == ["MSH", "PID", "OBX"])
        #expect(message.warnings.count == 4)
        #expect(message.warnings.map(\.offset) == [17, 29, 39, 48])
        // The message is still valid.
        #expect(message["OBX-1"] == "1")
    }

    @Test func textIsUTF8WhenValidElseLatin1() {
        let utf8 = Array("MSH|^~\\&|A\rPID|1||||Müller\r".utf8)
        #expect(messages(utf8)[0]["PID-5"] == "Müller")
        var latin1 = Array("MSH|^~\\&|A\rPID|1||||M".utf8)
        latin1 += [0xFC] + Array("ller\r".utf8)
        #expect(messages(latin1)[0]["PID-5"] == "Müller")
        // An escaped byte sequence is decoded the same way, after unescaping.
        #expect(messages("MSH|^~\\&|A\rPID|1||||M\\XC3BC\\ller\r")[0]["PID-5"] == "Müller")
        #expect(messages("MSH|^~\\&|A\rPID|1||||M\\XFC\\ller\r")[0]["PID-5"] == "Müller")
    }

    @Test func segmentFieldRepetitionComponentAndSubcomponentAccess() {
        let message = messages(
            "MSH|^~\\&|SND|FAC|||20260101120000||ORU^R01|C1|P|2.5\rPID|1||55^^^SSA^SS~4455^^^CHILDRENS&1.2.3&ISO^MR\r"
        )[0]
        #expect(message.messageType.code == "ORU" && message.messageType.event == "R01")
        #expect(message.controlID == "C1")
        #expect(message.version == "2.5")
        let pid3 = message.segment("PID")![3]
        #expect(pid3.repetitions.count == 2)
        #expect(pid3.repetition(2).component(4).subcomponent(2).string == "1.2.3")
        #expect(pid3.repetition(2).component(5).string == "MR")
        #expect(pid3.repetition(3).isEmpty)
        #expect(message["PID-3(2).4.3"] == "ISO")
        #expect(message["PID-99"] == nil)
    }

    @Test func terserPathsParseAndPrint() {
        #expect(TerserPath("OBX[2]-5(3).1.2")?.description == "OBX[2]-5(3).1.2")
        #expect(TerserPath("PID-3")?.field == 3)
        #expect(TerserPath("PID") == nil)
        #expect(TerserPath("PID-0") == nil)
        #expect(TerserPath("pid-3") == nil)
        let message = messages("MSH|^~\\&|A\rOBX|1|NM|||5\rOBX|2|TX|||second\r")[0]
        #expect(message["OBX[2]-5"] == "second")
        #expect(message["OBX[3]-5"] == nil)
    }
}
