import Foundation

/// A blocking MLLP client for the daemon tests: connects to 127.0.0.1, writes bytes,
/// reads acknowledgement frames (each `0x0B ... 0x1C 0x0D`), with a timeout.
final class MLLPClient {
    private let descriptor: Int32

    /// Connects to `127.0.0.1:port`.
    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Writes `bytes` as they are.
    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, 0)
            }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Writes `message` in an MLLP frame.
    func sendFrame(_ message: [UInt8]) {
        send([0x0B] + message + [0x1C, 0x0D])
    }

    private var pending: [UInt8] = []

    /// The next acknowledgement frame's message (segments split at CR), `nil` on timeout or close.
    func readAcknowledgement() -> [String]? {
        while true {
            if let start = pending.firstIndex(of: 0x0B), let end = pending[start...].firstIndex(of: 0x1C),
                end + 1 < pending.count
            {
                let message = Array(pending[(start + 1)..<end])
                pending.removeSubrange(0...(end + 1))
                return String(decoding: message, as: UTF8.self).split(separator: "\r").map(String.init)
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            pending += buffer[0..<count]
        }
    }

    /// Whether the peer closed the connection (reads until end of stream or timeout).
    func isClosedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return false }
        }
    }

    /// The client's own port: the daemon names the connection `127.0.0.1:PORT`.
    var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether the peer has closed the connection by now, without waiting: end of stream
    /// or a reset; `false` while it is open and has sent nothing (bytes it sent are kept).
    func isClosedNow() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
            pending += buffer[0..<count]
        }
    }

    /// Ends the connection both ways (the descriptor is closed at deinit).
    func hangUp() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// A TCP port free on 127.0.0.1 now (bound to port 0, then let go).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
