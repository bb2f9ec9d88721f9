import FeedGen
import Foundation
import Testing

/// `extravasd inspect`, run as a process: the JSON-lines form is a contract (DESIGN.md section 2).
@Suite("extravasd inspect")
struct InspectCommandTests {
    func inspect(_ bytes: [UInt8], _ extra: [String] = []) async throws -> Executables.Output {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("feed.hl7", bytes)
        return try await Executables.run("extravasd", ["inspect", "--format", "jsonl"] + extra + [file])
    }

    func jsonLines(_ output: Executables.Output) throws -> [[String: Any]] {
        try output.text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func jsonLineIsExactlyTheContractForACarriageReturnFile() async throws {
        let output = try await inspect(
            Array(
                "MSH|^~\\&|APP|FAC|||20260302||ADT^A01|C1|P|2.5\rPID|1||4455^^^H&1.2&ISO^MR~9||\"\"|\r".utf8))
        #expect(output.status == 0)
        #expect(
            output.text
                == #"{"offset": 0, "segments": [["MSH", "|", "^~\\&", [[["APP"]]], [[["FAC"]]], [[[""]]], [[[""]]], [[["20260302"]]], [[[""]]], [[["ADT"], ["A01"]]], [[["C1"]]], [[["P"]]], [[["2.5"]]]], ["PID", [[["1"]]], [[[""]]], [[["4455"], [""], [""], ["H", "1.2", "ISO"], ["MR"]], [["9"]]], [[[""]]], [[["\"\""]]], [[[""]]]]]}"#
                + "\n")
    }

    @Test(arguments: [
        ("cr", "MSH|^~\\&|A\rPID|1\r", 0),
        ("lf", "MSH|^~\\&|A\nPID|1\n", 0),
        ("crlf", "MSH|^~\\&|A\r\nPID|1\r\n", 0),
        ("mllp", "\u{0B}MSH|^~\\&|A\rPID|1\r\u{1C}\r", 1),
    ])
    func everyTerminatorStyleGivesTheSameSegments(style: String, text: String, offset: Int) async throws {
        let output = try await inspect(Array("noise?".utf8).prefix(0) + Array(text.utf8))
        #expect(
            output.text
                == "{\"offset\": \(offset), \"segments\": [[\"MSH\", \"|\", \"^~\\\\&\", [[[\"A\"]]]], [\"PID\", [[[\"1\"]]]]]}\n",
            "\(style)")
    }

    @Test func offsetsCountAByteOrderMarkAndMllpFraming() async throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("MSH|^~\\&|A\r\u{1C}\r\u{0B}MSH|^~\\&|B\r".utf8)
        let lines = try jsonLines(try await inspect(bytes))
        #expect(lines.map { $0["offset"] as? Int } == [3, 17])
    }

    @Test func customDelimitersAndFiveCharacterMSH2() async throws {
        let output = try await inspect(
            Array("MSH#$*@!%#A|B#X$Y*Z#20260101\rOBX#1#TX####a@F@b@T@c%d!e$f*g\r".utf8))
        #expect(
            output.text
                == ##"{"offset": 0, "segments": [["MSH", "#", "$*@!%", [[["A|B"]]], [[["X"], ["Y"]], [["Z"]]], [[["20260101"]]]], ["OBX", [[["1"]]], [[["TX"]]], [[[""]]], [[[""]]], [[[""]]], [[["a#b!c%d", "e"], ["f"]], [["g"]]]]]}"##
                + "\n")
    }

    @Test func escapesAreDecodedAndUnknownOnesKept() async throws {
        let output = try await inspect(
            Array("MSH|^~\\&|A\rNTE|1||x\\.br\\y\\H\\z\\N\\\\X41\\\\Q\\\\X4\\\r".utf8))
        let lines = try jsonLines(output)
        let segments = try #require(lines.first?["segments"] as? [[Any]])
        let value = try #require((segments[1][3] as? [[[String]]])?.first?.first?.first)
        #expect(value == "x\nyzA\\Q\\\\X4\\")
    }

    @Test func latin1TextIsDecodedAsISO88591() async throws {
        var bytes = Array("MSH|^~\\&|A\rPID|1||||M".utf8)
        bytes += [0xFC] + Array("ller\r".utf8)
        let lines = try jsonLines(try await inspect(bytes))
        let segments = try #require(lines.first?["segments"] as? [[Any]])
        #expect((segments[1][5] as? [[[String]]])?.first?.first?.first == "Müller")
    }

    @Test func unreadableMessagePrintsAnErrorLineAndReadingGoesOn() async throws {
        let lines = try jsonLines(try await inspect(Array("MSH|^\rPID|1\rMSH|^~\\&|B\r".utf8)))
        #expect(lines.count == 2)
        #expect(lines[0]["offset"] as? Int == 0)
        #expect((lines[0]["error"] as? String)?.contains("MSH-2") == true)
        #expect(lines[1]["offset"] as? Int == 12)
        #expect(lines[1]["segments"] != nil)
    }

    @Test func envelopesAndNonSegmentLinesAreLeftOut() async throws {
        let output = try await inspect(
            Array("FHS|^~\\&\rBHS|^~\\&\rMSH|^~\\&|A\r# note\rPID|1\rBTS|1\rFTS|1\r".utf8))
        #expect(output.text.contains("\"PID\""))
        #expect(!output.text.contains("BTS") && !output.text.contains("FHS") && !output.text.contains("note"))
        #expect(output.stderr.contains("warning"))
    }

    @Test func outputIsIdenticalWhateverTheChunkSize() async throws {
        var feed = FeedGenerator.feed(options: FeedOptions(seed: 11, terminator: .mixed), messageCount: 300)
        feed = [0xEF, 0xBB, 0xBF] + feed
        let scratch = try ScratchDirectory()
        var files = [try scratch.write("generated.hl7", feed)]
        if let corpusDirectory {
            files += [
                "hapi-hl7v2/messages.txt", "hapi-hl7v2/example_oml_o21.hl7", "python-hl7/sample_batch1.hl7",
            ]
            .map { corpusDirectory + "/" + $0 }
        }
        for file in files {
            let reference = try await Executables.run("extravasd", ["inspect", "--format", "jsonl", file])
            #expect(reference.status == 0)
            #expect(!reference.stdout.isEmpty)
            for chunkSize in [1, 7, 4096] {
                let chunked = try await Executables.run(
                    "extravasd", ["inspect", "--format", "jsonl", "--chunk-size", String(chunkSize), file])
                #expect(chunked.stdout == reference.stdout, "chunk size \(chunkSize) on \(file)")
            }
        }
    }

    @Test func textFormatNumbersFields() async throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write(
            "feed.hl7", "MSH|^~\\&|A|||||||C9|P|2.5\rPID|1||4455^^^CHILDRENS^MR\rOBX|1\rOBX|2|TX\r")
        let output = try await Executables.run("extravasd", ["inspect", file])
        #expect(output.status == 0)
        #expect(output.text.contains("  PID-3: 4455^^^CHILDRENS^MR\n"))
        #expect(output.text.contains("  OBX[2]-2: TX\n"))
        #expect(output.text.contains("control ID C9"))
    }

    @Test func unreadableFileExits66NamingIt() async throws {
        let output = try await Executables.run("extravasd", ["inspect", "/nonexistent/feed.hl7"])
        #expect(output.status == 66)
        #expect(output.stderr.contains("/nonexistent/feed.hl7"))
        #expect(output.stderr.contains("No such file"))
    }

    @Test func noFileIsAUsageError() async throws {
        let output = try await Executables.run("extravasd", ["inspect"])
        #expect(output.status == 64)
    }
}
