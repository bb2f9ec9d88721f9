import Foundation
import Journal
import Testing

@Suite("SystemdNotifier", .serialized)
struct SystemdNotifierTests {
    @Test("notifications arrive on NOTIFY_SOCKET")
    func notificationsArrive() throws {
        let socket = try DatagramSocket.bind()
        defer { socket.close() }
        let saved = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
        setenv("NOTIFY_SOCKET", socket.path, 1)
        defer { restoreNotifySocket(saved) }

        let notifier = SystemdNotifier()
        #expect(notifier.isSupervised)
        #expect(try notifier.notify(.ready))
        #expect(try socket.receive() == "READY=1")

        try notifier.notify(.status("watching 3 feeds\nall quiet"), .mainPID(4242), .watchdog)
        #expect(try socket.receive() == "STATUS=watching 3 feeds all quiet\nMAINPID=4242\nWATCHDOG=1")

        try notifier.notify(.reloading)
        let reloading = try socket.receive()
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))

        try notifier.notify(.stopping)
        #expect(try socket.receive() == "STOPPING=1")
    }

    @Test("without NOTIFY_SOCKET nothing is sent")
    func unsupervised() throws {
        let saved = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
        unsetenv("NOTIFY_SOCKET")
        defer { restoreNotifySocket(saved) }
        let notifier = SystemdNotifier()
        #expect(!notifier.isSupervised)
        #expect(try !notifier.notify(.ready))
        #expect(notifier.watchdogInterval == nil)
    }
}

/// Puts NOTIFY_SOCKET back as it was before a test changed it.
private func restoreNotifySocket(_ saved: String?) {
    if let saved {
        setenv("NOTIFY_SOCKET", saved, 1)
    } else {
        unsetenv("NOTIFY_SOCKET")
    }
}
