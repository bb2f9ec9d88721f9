import Daemon
import Foundation
import Testing

/// The dead-letter file: records whole, mode 0600, rotated by size.
@Suite("Dead letters")
struct DeadLettersTests {
    func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "extravasd-dead-letters-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    func records(in path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        // By bytes: a record's CR before the LF would make "\r\n" one Character.
        return Array(data).split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
            .filter { $0.hasPrefix("# extravasd dead letter:") }
    }

    @Test func deadLettersRotateBySizeKeepingTheConfiguredNumberOfFiles() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let letters = try DeadLetters(directory: directory, rotation: .init(maximumBytes: 1024, keptFiles: 2))
        let body = Array("MSH|^~\\&|A|B\rPID|1\r".utf8)
        for index in 0..<40 {
            try letters.append(
                source: "file:/spool/feed.hl7:\(index * 100)", offset: index * 100, reason: "bad", bytes: body
            )
        }
        let paths = [letters.path, letters.rotatedPath(1), letters.rotatedPath(2)]
        for path in paths {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.size] as? Int ?? 0) <= 1024, "\(path) within the limit")
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(path) mode 0600")
        }
        #expect(
            !FileManager.default.fileExists(atPath: letters.rotatedPath(3)), "only two rotated files kept")
        // Oldest in .2, newest in the current file, none split, none repeated.
        let offsets = paths.reversed().flatMap(records).map { record -> Int in
            let after = record.split(separator: " offset ").last ?? ""
            return Int(after.prefix { $0.isNumber }) ?? -1
        }
        #expect(offsets == offsets.sorted() && Set(offsets).count == offsets.count)
        #expect(offsets.last == 3900, "the newest record is in the current file")
        #expect(records(in: letters.path).last?.contains("offset 3900") == true)
    }

    @Test func aRecordLargerThanTheLimitGoesWholeIntoAFreshFile() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let letters = try DeadLetters(directory: directory, rotation: .init(maximumBytes: 1024, keptFiles: 1))
        try letters.append(source: "file:/a:0", offset: 0, reason: "small", bytes: Array("MSH|x\r".utf8))
        try letters.append(
            source: "file:/a:6", offset: 6, reason: "large", bytes: [UInt8](repeating: 0x41, count: 4096))
        #expect(records(in: letters.rotatedPath(1)).count == 1)
        let current = try Data(contentsOf: URL(fileURLWithPath: letters.path))
        #expect(current.count > 4096, "not split")
        #expect(records(in: letters.path).count == 1)
    }

    @Test func aDeadLetterThatCannotBeWrittenThrowsAndLeavesNothing() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let letters = try DeadLetters(directory: directory)
        // The file is /dev/full: every write fails with ENOSPC, as on a full disk.
        try FileManager.default.removeItem(atPath: letters.path)
        try FileManager.default.createSymbolicLink(atPath: letters.path, withDestinationPath: "/dev/full")
        let letter = DeadLetter(source: "file:/a:0", offset: 0, reason: "bad", bytes: Array("MSH|^\r".utf8))
        #expect(throws: DeadLetterError.self) { try letters.write([letter]) }
        do {
            _ = try letters.write([letter])
        } catch {
            #expect(error.code == ENOSPC)
            #expect(error.description.contains(letters.path), "\(error)")
        }
    }

    @Test func aWithdrawnBatchIsRemovedAndTheNextIsWrittenOnce() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let letters = try DeadLetters(directory: directory)
        let body = Array("MSH|^\rPID|1\r".utf8)
        _ = try letters.write([DeadLetter(source: "file:/a:0", offset: 0, reason: "kept", bytes: body)])
        let batch = (1...3).map {
            DeadLetter(source: "file:/a:\($0)", offset: $0, reason: "batch", bytes: body)
        }
        let receipt = try letters.write(batch)
        #expect(records(in: letters.path).count == 4)
        // Its commit failed: withdrawn, then written again when the batch is read again.
        letters.withdraw(receipt)
        #expect(records(in: letters.path).count == 1)
        _ = try letters.write(batch)
        let offsets = records(in: letters.path).map {
            $0.split(separator: " offset ").last.map(String.init) ?? ""
        }
        #expect(offsets == ["0: kept", "1: batch", "2: batch", "3: batch"])
    }
}
