import Foundation
import Journal
import Testing

@Suite("JournalSocket detection")
struct JournalSocketTests {
    @Test func missingPathIsNotAvailable() {
        #expect(!JournalSocket.isAvailable(path: "/nonexistent/extravasd/socket"))
    }

    @Test func regularFileIsNotASocket() throws {
        let path = NSTemporaryDirectory() + "extravasd-notsocket-\(UUID().uuidString)"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(JournalSocket.status(path: path) == .notASocket)
        #expect(!JournalSocket.isAvailable(path: path))
    }

    @Test func missingPathStatus() {
        #expect(JournalSocket.status(path: "/nonexistent/extravasd/socket") == .missing)
    }

    @Test func boundUnixSocketIsAvailable() throws {
        let socket = try DatagramSocket.bind()
        defer { socket.close() }
        #expect(JournalSocket.status(path: socket.path) == .listening)
        #expect(JournalSocket.isAvailable(path: socket.path))
    }

    @Test func socketLeftBehindByAnExitedListenerIsNotAvailable() throws {
        // Closing the descriptor without unlinking leaves a socket file nobody listens on,
        // as a journald that was killed does.
        let socket = try DatagramSocket.bind()
        close(socket.fd)
        defer { unlink(socket.path) }
        #expect(JournalSocket.status(path: socket.path) == .notListening(errno: ECONNREFUSED))
        #expect(!JournalSocket.isAvailable(path: socket.path))
    }

    @Test func systemdErrorNamesTheErrno() {
        let error = SystemdError(function: "sd_journal_sendv", errno: -ECONNREFUSED)
        #expect(error.errno == ECONNREFUSED)
        #expect(error.description.hasPrefix("sd_journal_sendv failed: ECONNREFUSED ("))
    }

    @Test func emptyEntryIsRejected() {
        #expect(throws: SystemdError(function: "sd_journal_sendv", errno: EINVAL)) {
            try SystemdJournal().send(JournalEntry())
        }
    }
}
