import Foundation

/// The wall clock, in microseconds since the epoch (the unit journald stamps entries
/// with): reminders and suppressions run on it, never on the messages' clock (DESIGN.md
/// section 7: "Reminders run on the wall clock").
enum WallClock {
    /// Now.
    static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// `microseconds` as ISO 8601 in UTC (`2026-03-05T14:10:00Z`), for messages.
    static func text(_ microseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(microseconds) / 1_000_000))
    }
}
