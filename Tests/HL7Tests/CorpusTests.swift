import HL7
import Testing

/// The public sample files in ../shared/corpus (see its MANIFEST.md). A user's clone
/// has no such folder: then these tests are skipped, saying why.
@Suite(
    "Public corpus",
    .enabled(
        if: corpusDirectory != nil,
        "../shared/corpus is absent (it is beside the repository only in CI and dev sandboxes)")
)
struct CorpusTests {
    /// Messages per file, counted by hand from the files (MSH at a line or frame start).
    static let expectedCounts: [String: Int] = [
        "python-hl7/rep_sample_hl7.hl7": 1, "python-hl7/sample_bad_batch.hl7": 0,
        "python-hl7/sample_bad_batch1.hl7": 1, "python-hl7/sample_bad_file.hl7": 0,
        "python-hl7/sample_bad_file1.hl7": 1, "python-hl7/sample_bad_file2.hl7": 1,
        "python-hl7/sample_bad_file3.hl7": 0, "python-hl7/sample_batch.hl7": 1,
        "python-hl7/sample_batch1.hl7": 2, "python-hl7/sample_batch2.hl7": 2,
        "python-hl7/sample_batch3.hl7": 1, "python-hl7/sample_batch4.hl7": 1,
        "python-hl7/sample_file.hl7": 1, "python-hl7/sample_file1.hl7": 3,
        "python-hl7/sample_file2.hl7": 2, "python-hl7/sample_file3.hl7": 1,
        "python-hl7/sample_file4.hl7": 1, "python-hl7/sample_file5.hl7": 1,
        "python-hl7/sample_file6.hl7": 1, "python-hl7/sample_hl7.hl7": 1,
        "python-hl7/sample_msh.hl7": 1,
        "hapi-hl7v2/adt_a03.txt": 1, "hapi-hl7v2/cv.04_001_chem.hl7": 1,
        "hapi-hl7v2/example_oml_o21.hl7": 13, "hapi-hl7v2/messages.txt": 18,
        "hapi-hl7v2/omd_o03.txt": 1, "hapi-hl7v2/omd_o03_rep.txt": 1,
        "hapi-hl7v2/segmentfinder_a24.hl7": 1, "hapi-hl7v2/uuencoded.txt": 0,
        "hapi-hl7v2/uuencoded_escaped.txt": 0,
    ]

    static var allFiles: [String] {
        guard let corpusDirectory else { return [] }
        return ["python-hl7", "hapi-hl7v2", "FHIR-Converter"].flatMap {
            FileSystem.files(in: corpusDirectory + "/" + $0)
        }.filter { !$0.contains("LICENSE") }
    }

    @Test func everyCorpusFileIsReadWithoutACrash() {
        var total = 0
        for path in Self.allFiles {
            let results = MessageReader.readAll(FileSystem.bytes(path))
            total += results.count
            for case .success(let message) in results {
                #expect(message.segments.first?.id == .msh, "\(path) @\(message.offset)")
                _ = InspectProbe.touchEverything(message)
            }
        }
        #expect(Self.allFiles.count >= 150)
        #expect(total > 150)
    }

    @Test func messageCountsOfThePythonHL7AndHapiSamples() throws {
        let directory = try #require(corpusDirectory)
        for (name, expected) in Self.expectedCounts.sorted(by: { $0.key < $1.key }) {
            let results = MessageReader.readAll(FileSystem.bytes(directory + "/" + name))
            #expect(results.count == expected, "\(name)")
            for result in results {
                if case .failure(let error) = result { Issue.record("\(name): \(error)") }
            }
        }
    }

    @Test func fhirConverterSamplesHaveOneMessageEach() throws {
        let directory = try #require(corpusDirectory)
        let files = FileSystem.files(in: directory + "/FHIR-Converter").filter { $0.hasSuffix(".hl7") }
        #expect(files.count == 139)
        for file in files {
            let results = MessageReader.readAll(FileSystem.bytes(file))
            #expect(results.count >= 1, "\(file)")
            #expect(results.allSatisfy { if case .success = $0 { true } else { false } }, "\(file)")
        }
    }

    @Test func customDelimitersOfTheSegmentFinderSample() throws {
        let directory = try #require(corpusDirectory)
        let message = try #require(
            messages(FileSystem.bytes(directory + "/hapi-hl7v2/segmentfinder_a24.hl7")).first)
        #expect(message.delimiters.field == UInt8(ascii: "^"))
        #expect(message["MSH-9.2"] == "A24")
        #expect(message.segments("PID").count == 2)
        #expect(message["PID[2]-3.6.1"] == "FACILITY ID")
        #expect(message["PID-3.4.3"] == "0363")
        #expect(message["PID-5.2"] == "JOHN")
    }
}

/// Walks every part of a message (split and decode everything), as inspect does.
enum InspectProbe {
    static func touchEverything(_ message: Message) -> Int {
        var total = 0
        for segment in message.segments {
            for field in segment.fields {
                for repetition in field.repetitions {
                    for component in repetition.components {
                        for subcomponent in component.subcomponents {
                            total &+= subcomponent.string.utf8.count
                        }
                    }
                }
            }
        }
        return total
    }
}
