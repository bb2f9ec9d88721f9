#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// MSH-7 and MSH-10 of the acknowledgements a listener writes: the current UTC time as
/// an HL7 date/time, and control ids unique to the listener (`X` the listener's start
/// time in seconds, `-`, a counter).
final class AcknowledgementStamps: Sendable {
    private let prefix: String
    private let counter = Atomic<Int>(0)

    init() {
        prefix = "X\(time(nil))-"
    }

    /// The next control id.
    func nextControlID() -> String {
        prefix + String(counter.add(1, ordering: .relaxed).newValue)
    }

    /// Now, `YYYYMMDDHHMMSS+0000`.
    func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        return String(parts.tm_year + 1900) + two(parts.tm_mon + 1) + two(parts.tm_mday) + two(parts.tm_hour)
            + two(parts.tm_min) + two(parts.tm_sec) + "+0000"
    }
}
