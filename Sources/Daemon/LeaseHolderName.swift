import Glibc
import StateStore

/// The name an instance holds the lease under (`host:pid:start`), and how a standby
/// describes the holder in its `STATUS=`.
enum LeaseHolderName {
    /// This process's name: its host, its pid and when it started (microseconds since the
    /// epoch), so that a restarted instance with a reused pid is another holder.
    static func current(startedAt: Int64 = WallClock.now()) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count - 1) == 0 ? String(cString: buffer) : "unknown-host"
        return "\(host):\(getpid()):\(startedAt)"
    }

    /// `host H pid P since TIME` for a holder named by ``current(startedAt:)`` (the name as
    /// it is otherwise), `TIME` ISO 8601 UTC from the lease's `since`.
    static func describe(_ holder: LeaseHolder) -> String {
        let parts = holder.holder.split(separator: ":")
        let since = WallClock.text(holder.since)
        guard parts.count == 3 else { return "\(holder.holder) since \(since)" }
        return "host \(parts[0]) pid \(parts[1]) since \(since)"
    }
}
