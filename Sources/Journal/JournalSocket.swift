#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Detects whether journald is present, by its socket.
///
/// `sd_journal_sendv` returns success when the socket does not exist (a container, a
/// laptop without systemd), so its return code cannot tell whether entries arrive.
public enum JournalSocket {
    /// Where journald listens for native-protocol entries.
    public static let defaultPath = "/run/systemd/journal/socket"

    /// What was found at a journald socket path.
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        /// A Unix socket that accepts a connection: journald is listening.
        case listening
        /// Nothing exists at the path (no journald on this machine or container).
        case missing
        /// Something other than a socket exists at the path.
        case notASocket
        /// A socket file exists but connecting failed with this errno; `ECONNREFUSED`
        /// means a journald that has exited left its socket file behind.
        case notListening(errno: Int32)

        /// One line describing the status, suitable for a one-time stderr notice.
        public var description: String {
            switch self {
            case .listening: "journald is listening"
            case .missing: "no journald socket"
            case .notASocket: "not a socket"
            case .notListening(let code):
                "socket does not accept connections (\(SystemdError(function: "connect", errno: code).errnoName))"
            }
        }
    }

    /// Whether journald is listening at `path`: the path is a Unix socket and a datagram
    /// connection to it succeeds (see ``status(path:)``).
    public static func isAvailable(path: String = defaultPath) -> Bool {
        status(path: path) == .listening
    }

    /// Looks at `path`: `stat` must find a socket, and a `connect` of an
    /// `AF_UNIX` datagram socket must succeed (nothing is sent).
    public static func status(path: String = defaultPath) -> Status {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { return .notASocket }

        var address = sockaddr_un()
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            return .notListening(errno: ENAMETOOLONG)
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }

        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .notListening(errno: errno) }
        defer { close(fd) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0 ? .listening : .notListening(errno: errno)
    }
}
