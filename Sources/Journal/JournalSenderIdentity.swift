import CSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What journald records about the process sending an entry, in the trusted fields it
/// adds itself (a sender cannot set them): `_PID`, `_UID`, `_COMM` and `_SYSTEMD_UNIT`.
///
/// ``current()`` gives them for this process as journald would record them, so the
/// daemon can tell its own entries from look-alikes another program wrote.
public struct JournalSenderIdentity: Sendable, Hashable {
    /// `_PID`: the process id.
    public var pid: String
    /// `_UID`: the effective user id (what the socket's credentials carry).
    public var uid: String
    /// `_COMM`: the process name as the kernel keeps it (`/proc/PID/comm`, at most 15
    /// bytes: the executable's file name unless the process renamed itself).
    public var comm: String
    /// `_SYSTEMD_UNIT`: the systemd unit whose control group holds the process, `nil`
    /// when it runs in none (journald then records no unit).
    public var unit: String?

    /// Creates an identity.
    public init(pid: String, uid: String, comm: String, unit: String?) {
        self.pid = pid
        self.uid = uid
        self.comm = comm
        self.unit = unit
    }

    /// This process, read the way journald reads it.
    public static func current() -> JournalSenderIdentity {
        var unitName: UnsafeMutablePointer<CChar>?
        var unit: String?
        if sd_pid_get_unit(0, &unitName) >= 0, let unitName {
            unit = String(cString: unitName)
            free(unitName)
        }
        return JournalSenderIdentity(
            pid: String(getpid()), uid: String(geteuid()), comm: processName(), unit: unit)
    }

    /// `/proc/self/comm` (the main thread's name, which journald reads), without its newline.
    static func processName() -> String {
        let file = open("/proc/self/comm", O_RDONLY | O_CLOEXEC)
        if file >= 0 {
            defer { close(file) }
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = read(file, &buffer, buffer.count)
            if count > 0 {
                return String(decoding: buffer[0..<count], as: UTF8.self)
                    .trimmingSuffix(while: { $0 == "\n" })
            }
        }
        let path = CommandLine.arguments.first ?? "extravasd"
        return String(String(path.split(separator: "/").last ?? "extravasd").utf8.prefix(15)) ?? "extravasd"
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var text = self
        while let last = text.last, predicate(last) { text.removeLast() }
        return text
    }
}
