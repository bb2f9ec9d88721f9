// libFuzzer target for the HL7 reader. It is compiled together with the sources of
// the HL7 module into one module (see scripts/fuzz), because a SwiftPM executable
// target cannot link libFuzzer's `main`.
//
// Every input is read in chunks whose size comes from the first byte (so messages
// straddle chunk boundaries), and every part of every message is split and decoded,
// with the service limits on half of the runs.

/// libFuzzer's entry point: reads `data` as a feed (see above); always returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let first = input.first else { return 0 }
    let chunkSize = Int(first % 64) + 1
    let limits: ParseLimits =
        first & 0x80 == 0
        ? .unlimited
        : ParseLimits(
            maximumMessageBytes: 4096, maximumSegments: 50, maximumFieldBytes: 512)
    var reader = MessageReader(limits: limits)
    var start = 1
    var checksum = 0
    while start < size {
        let end = min(size, start + chunkSize)
        reader.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(input)[start..<end]))
        while let result = reader.next() { checksum &+= touch(result) }
        if first & 0x40 != 0, let settled = reader.framerCompletePendingForFuzzing() {
            checksum &+= settled.bytes.count
        }
        start = end
    }
    reader.finish()
    while let result = reader.next() { checksum &+= touch(result) }
    return checksum == Int.min ? 1 : 0
}

private func touch(_ result: Result<Message, HL7ReadError>) -> Int {
    switch result {
    case .failure(let error):
        return error.description.utf8.count
    case .success(let message):
        var total = message.offset &+ message.warnings.count
        var scratch: [UInt8] = []
        for segment in message.segments {
            for field in segment.fields {
                for repetition in field.repetitions {
                    for component in repetition.components {
                        for subcomponent in component.subcomponents {
                            scratch.removeAll(keepingCapacity: true)
                            subcomponent.decodeEscapes(into: &scratch)
                            total &+= HL7Text.string(scratch).utf8.count
                        }
                    }
                }
            }
        }
        if let time = message["MSH-7"], let parsed = HL7Timestamp(time) {
            total &+= Int(truncatingIfNeeded: parsed.epochSeconds(assumingOffset: 0))
        }
        if let value = message["OBX-5"] { total &+= HL7Number.parse(value) == nil ? 0 : 1 }
        total &+= message.controlID.utf8.count &+ message.messageType.code.utf8.count
        return total
    }
}

extension MessageReader {
    /// Fuzzing hook: completes a pending message as a follower's settle time would.
    fileprivate mutating func framerCompletePendingForFuzzing() -> FramedMessage? {
        completePending().map { _ in FramedMessage(bytes: []) }
    }
}
