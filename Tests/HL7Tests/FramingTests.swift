import HL7
import Testing

/// DESIGN.md section 3, "Framing and dialects": where messages start and end.
@Suite("Framing")
struct FramingTests {
    @Test func messageStartsAtMSHAfterCRLFVerticalTabOrFrameEnd() {
        let text = "MSH|^~\\&|A\rPID|1\rMSH|^~\\&|B\nMSH|^~\\&|C\u{0B}MSH|^~\\&|D\u{1C}MSH|^~\\&|E\r"
        let read = messages(text)
        #expect(read.map { $0["MSH-3"] } == ["A", "B", "C", "D", "E"])
        #expect(read.map(\.offset) == [0, 17, 28, 39, 50])
    }

    @Test func msHNotAtLineStartDoesNotStartAMessage() {
        let read = messages("MSH|^~\\&|A\rNTE|1||see MSH|^~\\& inside text\r")
        #expect(read.count == 1)
        #expect(ids(read[0]) == ["MSH", "NTE"])
    }

    @Test func leadingNoiseBeforeTheFirstMessageIsSkipped() {
        let text = "garbage bytes\r\n\r\n\u{0B}\u{0B}MSH|^~\\&|A\rPID|1\r"
        let read = messages(text)
        #expect(read.count == 1)
        #expect(read[0].offset == 19)
        #expect(ids(read[0]) == ["MSH", "PID"])
    }

    @Test func byteOrderMarkIsSkippedAndCountedInOffsets() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("MSH|^~\\&|A\rPID|1\rMSH|^~\\&|B\r".utf8)
        let read = messages(bytes)
        #expect(read.map(\.offset) == [3, 20])
        #expect(read[0]["MSH-3"] == "A")
    }

    @Test func mllpFramedDumpIsRead() {
        let text = "\u{0B}MSH|^~\\&|A\rPID|1\r\u{1C}\r\u{0B}MSH|^~\\&|B\rPID|2\r\u{1C}\r"
        let read = messages(text)
        #expect(read.map { $0["MSH-3"] } == ["A", "B"])
        #expect(read.map(\.offset) == [1, 21])
        #expect(read.allSatisfy { !$0.bytes.contains(0x0B) && !$0.bytes.contains(0x1C) })
        #expect(read[1]["PID-1"] == "2")
    }

    @Test func messageEndsAtFrameEnd() {
        // Bytes after 0x1C up to the next MSH are framing, not part of any message.
        let text = "MSH|^~\\&|A\rPID|1\r\u{1C}\rOBX|9|stray\rMSH|^~\\&|B\r"
        let read = messages(text)
        #expect(read.count == 2)
        #expect(ids(read[0]) == ["MSH", "PID"])
        #expect(ids(read[1]) == ["MSH"])
    }

    @Test func batchEnvelopesAreSkipped() {
        let text =
            "FHS|^~\\&|APP\rBHS|^~\\&|APP\rMSH|^~\\&|A\rPID|1\rMSH|^~\\&|B\rPID|2\rBTS|2\rFTS|1\r"
        let read = messages(text)
        #expect(read.count == 2)
        #expect(ids(read[0]) == ["MSH", "PID"])
        #expect(ids(read[1]) == ["MSH", "PID"])
        #expect(read[1].warnings.isEmpty)
    }

    @Test func blankLinesAreSkipped() {
        let read = messages("\n\nMSH|^~\\&|A\r\rPID|1\r\n\r\n  \rOBX|1\r\n\n")
        #expect(read.count == 1)
        #expect(ids(read[0]) == ["MSH", "PID", "OBX"])
        #expect(read[0].warnings.isEmpty)
    }

    @Test func textLineStartingWithMSHStartsANewMessage() {
        // The accepted ambiguity: a lone-LF text line that begins with MSH| is a new message.
        let read = messages("MSH|^~\\&|A\rOBX|1|TX|||line one\nMSH|^~\\&|B\r")
        #expect(read.count == 2)
        #expect(read[1]["MSH-3"] == "B")
    }

    @Test func endOfInputCompletesTheLastMessage() {
        let read = messages("MSH|^~\\&|A\rPID|1")
        #expect(read.count == 1)
        #expect(read[0]["PID-1"] == "1")
    }

    @Test func settledCompletionNeedsATrailingTerminator() {
        var framer = MessageFramer()
        framer.append(contentsOf: Array("MSH|^~\\&|A\rPID|1".utf8))
        #expect(framer.next() == nil)
        #expect(framer.completePending() == nil, "the last segment is not terminated yet")
        framer.append(contentsOf: Array("23\r".utf8))
        #expect(framer.next() == nil)
        let settled = framer.completePending()
        #expect(settled?.completion == .settled)
        #expect(settled.map { String(decoding: $0.bytes, as: UTF8.self) } == "MSH|^~\\&|A\rPID|123\r")
        framer.append(contentsOf: Array("MSH|^~\\&|B\r".utf8))
        framer.finish()
        #expect(framer.next()?.offset == 19)
    }

    @Test func resumingAtACheckpointLosesAndRepeatsNothing() {
        let bytes = Array("MSH|^~\\&|A\rPID|1\rMSH|^~\\&|B\rPID|2\rMSH|^~\\&|C\r".utf8)
        var first = MessageFramer()
        first.append(contentsOf: bytes[0..<30])
        let a = first.next()
        #expect(a?.offset == 0)
        #expect(first.next() == nil)
        let checkpoint = first.consumedOffset
        #expect(checkpoint == 17)
        var resumed = MessageFramer(resumingAt: checkpoint)
        resumed.append(contentsOf: bytes[checkpoint...])
        resumed.finish()
        var offsets: [Int] = []
        while let message = resumed.next() { offsets.append(message.offset) }
        #expect(offsets == [17, 34])
    }

    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func messagesStraddlingChunksAreReadTheSame(chunkSize: Int) {
        let bytes: [UInt8] =
            [0xEF, 0xBB, 0xBF]
            + Array(
                "noise\r\u{0B}MSH|^~\\&|A\rPID|1\r\u{1C}\rMSH|^~\\&|B\r\nOBX|1|TX|||a\nb\r\nMSH|^~\\&|C\nPID|3\nMSH#$*@!%|D\rPID#9\r"
                    .utf8)
        let whole = MessageReader.readAll(bytes).map(describe)
        let chunked = readChunked(bytes, chunkSize: chunkSize).map(describe)
        #expect(whole.count == 4)
        #expect(chunked == whole)
    }

    private func describe(_ result: Result<Message, HL7ReadError>) -> String {
        switch result {
        case .success(let message): return "\(message.offset):\(message.bytes)"
        case .failure(let error): return "error \(error)"
        }
    }
}
