import Foundation
import Yams

/// Seconds in a day (86,400).
@usableFromInline let secondsPerDay = 86_400

/// A duration as the configuration file writes it: a whole number and a unit, `90s`,
/// `30m`, `1h`, `7d` (seconds, minutes, hours, days).
struct DurationText: Sendable, Hashable {
    /// The duration in seconds.
    var seconds: Int

    /// The units and their length in seconds.
    static let units: [(suffix: Character, seconds: Int)] = [
        ("s", 1), ("m", 60), ("h", 3600), ("d", secondsPerDay),
    ]

    /// Reads `text` (`nil` unless digits followed by one of `s`, `m`, `h`, `d`).
    init?(_ text: String) {
        guard let suffix = text.last, let unit = Self.units.first(where: { $0.suffix == suffix }) else {
            return nil
        }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(digits)
        else { return nil }
        seconds = number * unit.seconds
    }

    /// `seconds` written with the largest unit that divides it (`604800` -> `7d`).
    static func describe(_ seconds: Int) -> String {
        for unit in units.reversed() where seconds % unit.seconds == 0 && seconds > 0 {
            return "\(seconds / unit.seconds)\(unit.suffix)"
        }
        return "\(seconds)s"
    }
}

extension YAMLFileReader {
    /// A duration (`90s`, `30m`, `1h`, `7d`) within `range` seconds; `nil` (reported
    /// with its line and column) otherwise.
    mutating func duration(_ node: Node, path: String, range: ClosedRange<Int>) -> Int? {
        let example = "a whole number and a unit: s, m, h or d (e.g. 90s, 30m, 1h, 7d)"
        guard case .scalar(let scalar) = node, YAMLFileReader.tag(of: node) != .null else {
            report(
                .wrongType, "'\(path)' must be a duration, \(example), not \(YAMLFileReader.describe(node))",
                at: node)
            return nil
        }
        guard let duration = DurationText(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            let quoted = scalar.string.count > 80 ? String(scalar.string.prefix(80)) + "..." : scalar.string
            report(.invalidValue, "'\(path)' must be a duration, \(example), not '\(quoted)'", at: node)
            return nil
        }
        guard range.contains(duration.seconds) else {
            report(
                .invalidValue,
                "'\(path)' must be between \(DurationText.describe(range.lowerBound)) and "
                    + "\(DurationText.describe(range.upperBound)), not \(scalar.string)",
                at: node)
            return nil
        }
        return duration.seconds
    }
}
