import CSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Tells the service manager about the daemon's state through `sd_notify`
/// (`Type=notify` units, the watchdog, `systemctl status` text).
///
/// libsystemd finds the manager through the `NOTIFY_SOCKET` environment variable; when
/// it is unset (not started by systemd) every notification is a no-op that returns `false`.
public struct SystemdNotifier: Sendable {
    /// One state assignment sent to the service manager.
    public enum State: Sendable, Hashable {
        /// `READY=1`: start-up is finished.
        case ready
        /// `STOPPING=1`: the daemon is shutting down.
        case stopping
        /// `RELOADING=1` with `MONOTONIC_USEC=<now>`: the daemon is reloading its
        /// configuration (send ``ready`` when done). The timestamp is what
        /// `Type=notify-reload` (systemd 253+) requires; older managers ignore it.
        case reloading
        /// `WATCHDOG=1`: keep-alive ping for `WatchdogSec=`.
        case watchdog
        /// `STATUS=<text>`: one line shown by `systemctl status`; newlines in the text
        /// are replaced by spaces.
        case status(String)
        /// `MAINPID=<pid>`: the daemon's main process id.
        case mainPID(Int32)

        /// The `NAME=value` line(s) for this state.
        public var assignment: String {
            switch self {
            case .ready:
                return "READY=1"
            case .stopping:
                return "STOPPING=1"
            case .reloading:
                var now = timespec()
                clock_gettime(CLOCK_MONOTONIC, &now)
                let usec = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
                return "RELOADING=1\nMONOTONIC_USEC=\(usec)"
            case .watchdog:
                return "WATCHDOG=1"
            case .status(let text):
                let line = String(text.map { $0.isNewline ? " " : $0 })
                return "STATUS=\(line)"
            case .mainPID(let pid):
                return "MAINPID=\(pid)"
            }
        }
    }

    /// Creates a notifier. It keeps no state; `NOTIFY_SOCKET` is read on every call and
    /// never unset.
    public init() {}

    /// Whether `NOTIFY_SOCKET` is set, i.e. a service manager is listening.
    public var isSupervised: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// The watchdog interval the manager expects pings at (`WatchdogSec=`), or `nil`
    /// when the watchdog is off for this process. Ping at half this interval.
    public var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0 else { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    /// Sends `states` in one datagram, one assignment per line.
    ///
    /// - Returns: `true` when sent, `false` when `NOTIFY_SOCKET` is unset.
    /// - Throws: ``SystemdError`` from `sd_notify` (for example `ECONNREFUSED`).
    @discardableResult
    public func notify(_ states: State...) throws(SystemdError) -> Bool {
        try notify(states)
    }

    /// Sends `states` in one datagram, one assignment per line.
    ///
    /// - Returns: `true` when sent, `false` when `NOTIFY_SOCKET` is unset or `states` is empty.
    /// - Throws: ``SystemdError`` from `sd_notify` (for example `ECONNREFUSED`).
    @discardableResult
    public func notify(_ states: [State]) throws(SystemdError) -> Bool {
        guard !states.isEmpty else { return false }
        let message = states.map(\.assignment).joined(separator: "\n")
        return try SystemdError.check(sd_notify(0, message), "sd_notify") > 0
    }
}
