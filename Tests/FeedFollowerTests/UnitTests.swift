@testable import FeedFollower
import Testing

@Suite("Identity and orphan lines")
struct UnitTests {
    @Test func identityContinuesAGrownFileOnly() {
        let earlier = FileIdentity(device: 1, inode: 2, fingerprint: Array("MSH|^~".utf8))
        #expect(FileIdentity(device: 1, inode: 2, fingerprint: Array("MSH|^~\\&|".utf8)).continues(earlier))
        #expect(!FileIdentity(device: 1, inode: 2, fingerprint: Array("MSH|".utf8)).continues(earlier))
        #expect(!FileIdentity(device: 1, inode: 2, fingerprint: Array("XSH|^~\\&".utf8)).continues(earlier))
        #expect(!FileIdentity(device: 1, inode: 3, fingerprint: Array("MSH|^~\\&|".utf8)).continues(earlier))
    }

    @Test func orphanLinesSkipBlankFramingAndEnvelopeLines() {
        #expect(OrphanLines.range(in: Array("\r\n\u{0B}\u{1C}\r".utf8)) == nil)
        #expect(OrphanLines.range(in: Array("BTS|1\rFTS|1\r".utf8)) == nil)
        let bytes = Array("\r\nOBX|1|TX\rNTE|1\r\r\u{1C}\r".utf8)
        #expect(OrphanLines.range(in: bytes) == 2..<17)
        #expect(OrphanLines.range(in: Array("PID|1".utf8)) == 0..<5)
    }

    @Test func aTailSignatureTellsWindowsApartAndAnEmptyOneMatchesAnything() {
        let window = Array("OBX|5|TX|IVSITE^IV site appearance^L|1|red\r".utf8)
        let signature = TailSignature.of(window)
        #expect(signature.count == 12)
        #expect(TailSignature.of(window) == signature, "deterministic")
        #expect(TailSignature.matches(signature, window))
        var changed = window
        changed[10] = UInt8(ascii: "x")
        #expect(!TailSignature.matches(signature, changed))
        #expect(!TailSignature.matches(signature, window.dropLast()))
        #expect(TailSignature.of([UInt8]()).isEmpty)
        #expect(TailSignature.matches([], changed), "unknown: not checked")
        #expect(TailSignature.window(endingAt: 10_000) == 5904..<10_000)
        #expect(TailSignature.window(endingAt: 100) == 0..<100)
    }
}
