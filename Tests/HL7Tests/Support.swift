import HL7
import Testing

/// Reads every message of `text` (its UTF-8 bytes) at once.
func readAll(_ text: String, limits: ParseLimits = .unlimited) -> [Result<Message, HL7ReadError>] {
    MessageReader.readAll(Array(text.utf8), limits: limits)
}

/// Reads every message of `bytes` at once, expecting each to parse.
func messages(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> [Message] {
    MessageReader.readAll(bytes).compactMap { result in
        switch result {
        case .success(let message): return message
        case .failure(let error):
            Issue.record("unexpected read error: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

func messages(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Message] {
    messages(Array(text.utf8), sourceLocation: sourceLocation)
}

/// Segment IDs of a message, e.g. ["MSH", "PID"].
func ids(_ message: Message) -> [String] { message.segments.map(\.id.description) }

/// Reads `bytes` handing them to the reader in chunks of `chunkSize`.
func readChunked(_ bytes: [UInt8], chunkSize: Int) -> [Result<Message, HL7ReadError>] {
    var reader = MessageReader()
    var results: [Result<Message, HL7ReadError>] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + chunkSize)
        reader.append(contentsOf: bytes[start..<end])
        while let result = reader.next() { results.append(result) }
        start = end
    }
    reader.finish()
    while let result = reader.next() { results.append(result) }
    return results
}

/// The folder of public sample feeds beside the repository, when present.
let corpusDirectory: String? = {
    var url = #filePath
    // Tests/HL7Tests/Support.swift -> repository root -> ../shared/corpus
    for _ in 0..<3 { url = String(url[..<url.lastIndex(of: "/")!]) }
    let candidate = url + "/../shared/corpus"
    return FileSystem.isDirectory(candidate) ? candidate : nil
}()
