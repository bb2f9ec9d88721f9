// libFuzzer target for the MLLP frame decoder. It is compiled together with the
// decoder's sources into one module (see scripts/fuzz-mllp), because a SwiftPM
// executable target cannot link libFuzzer's `main`.
//
// The first byte chooses the chunk size (so frames straddle chunk boundaries), the
// second the frame limit; the rest is the stream. Every byte must be accounted for
// (handed out in a frame, counted in an oversized frame or discarded), and the decoder
// must never hold more than its limit: either failing traps, which libFuzzer reports.

/// libFuzzer's entry point: decodes `data` as an MLLP stream (see above); always returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let chunkSize = Int(input[0] % 64) + 1
    let limit = Int(input[1]) * 4
    var decoder = MLLPFrameDecoder(maximumFrameBytes: limit)
    var accounted = 0
    func account(_ events: [MLLPFrameEvent]) {
        for event in events {
            switch event {
            case .frame(let bytes):
                precondition(bytes.count <= limit, "a frame over the limit was handed out")
                accounted += bytes.count + 3
            case .oversizedFrame(let frame):
                precondition(frame.length > limit && frame.head.count <= limit, "a wrong oversized frame")
                accounted += frame.length + 3
            case .discarded(let discard):
                precondition(discard.byteCount > 0, "an empty discard")
                accounted += discard.byteCount
            }
        }
    }
    var start = 2
    while start < size {
        let end = min(size, start + chunkSize)
        account(decoder.append(UnsafeRawBufferPointer(rebasing: input[start..<end])))
        precondition(decoder.bufferedByteCount <= limit, "the decoder held more than its limit")
        start = end
    }
    account(decoder.finish())
    precondition(accounted == size - 2, "bytes were lost or counted twice")
    precondition(decoder.discardedByteCount <= size - 2, "more bytes discarded than read")
    return 0
}
