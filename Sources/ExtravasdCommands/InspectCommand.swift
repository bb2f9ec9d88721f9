import ArgumentParser
import FeedIO
import HL7

/// `extravasd inspect`: show how extravasd reads a feed, message by message.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Parse HL7 feed files and show each message's structure.",
        discussion: """
            A debugging aid for interface engineers: it shows exactly how extravasd frames and \
            reads each message. Messages are found wherever they stand (CR, LF or CRLF segment \
            ends, MLLP-framed dumps, batch files, a leading byte-order mark), with their encoding \
            characters taken from each message's own MSH.

            --format text (default) prints, per message, a header line and one line per sent field:
                feed.hl7 @0: ADT^A01, control ID 1001, version 2.5, 4 segments
                  PID-3: 4455^^^CHILDRENS^MR

            --format jsonl prints one JSON object per message, for tools:
                {"offset": 0, "segments": [["MSH", "|", "^~\\\\&", [[["EPIC"]]], ...], ...]}
            where offset is the byte offset of the message's MSH in its file, each field is an \
            array of repetitions of components of subcomponents, and values are unescaped. An \
            unreadable message prints {"offset": N, "error": "..."} and reading goes on.

            Examples:
              extravasd inspect examples/feeds/seed-case.hl7
              extravasd inspect --format jsonl /var/spool/hl7/*.hl7 | jq .offset
            """
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, jsonl
    }

    @Option(help: "Output format: text for people, jsonl for tools.")
    var format: Format = .text

    @Option(help: .hidden)
    var chunkSize: Int = FileByteSource.defaultChunkSize

    @Argument(help: "Feed files to read.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one feed file.") }
        guard chunkSize > 0 else { throw ValidationError("--chunk-size must be positive.") }
    }

    func run() throws {
        let output = OutputSink()
        let errors = OutputSink(descriptor: 2, threshold: 0)
        var unreadableFiles = 0
        var totals = (messages: 0, errors: 0, warnings: 0)
        for file in files {
            do {
                let counts = try inspect(file: file, output: output, errors: errors)
                totals.messages += counts.messages
                totals.errors += counts.errors
                totals.warnings += counts.warnings
            } catch let error as FeedIOError {
                output.flush()
                errors.write("extravasd inspect: \(error)\n")
                unreadableFiles += 1
            }
        }
        output.flush()
        errors.write(
            "inspect: \(files.count - unreadableFiles) file\(files.count - unreadableFiles == 1 ? "" : "s"), "
                + "\(totals.messages) messages, \(totals.errors) unreadable, \(totals.warnings) lines dropped"
                + (unreadableFiles > 0 ? ", \(unreadableFiles) file(s) could not be read" : "") + "\n")
        if unreadableFiles > 0 { throw ExitStatus.noInput }
    }

    private func inspect(file: String, output: OutputSink, errors: OutputSink) throws
        -> (messages: Int, errors: Int, warnings: Int)
    {
        let source = try FileByteSource(path: file, chunkSize: chunkSize)
        var reader = MessageReader()
        var counts = (messages: 0, errors: 0, warnings: 0)
        func drain() {
            while let result = reader.next() {
                counts.messages += 1
                switch result {
                case .success(let message):
                    switch format {
                    case .jsonl: output.write(InspectRenderer.jsonLine(message))
                    case .text: output.write(InspectRenderer.text(message, file: file))
                    }
                    for warning in message.warnings {
                        counts.warnings += 1
                        errors.write("\(file): warning: \(warning)\n")
                    }
                case .failure(let error):
                    counts.errors += 1
                    let offset = reader.lastMessageOffset
                    switch format {
                    case .jsonl: output.write(InspectRenderer.jsonErrorLine(error, messageOffset: offset))
                    case .text:
                        output.write(InspectRenderer.textError(error, messageOffset: offset, file: file))
                    }
                }
            }
        }
        while try source.readChunk({ reader.append($0) }) { drain() }
        reader.finish()
        drain()
        return counts
    }
}
