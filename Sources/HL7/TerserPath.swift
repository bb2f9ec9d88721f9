/// A location in a message written the way interface engineers write it:
/// `PID-3`, `PID-3.4`, `PID-3(2).1` (second repetition), `OBX[2]-5` (second OBX),
/// `PID-3.4.1` (subcomponent). Numbers are 1-based.
public struct TerserPath: Sendable, Hashable, CustomStringConvertible {
    /// The segment ID.
    public var segment: SegmentID
    /// Which occurrence of the segment (1 = first).
    public var occurrence: Int
    /// The field number.
    public var field: Int
    /// The repetition (1 = first).
    public var repetition: Int
    /// The component, when the path names one.
    public var component: Int?
    /// The subcomponent, when the path names one.
    public var subcomponent: Int?

    /// Parses a path; `nil` when it is not one.
    public init?(_ text: String) {
        var rest = Substring(text)
        guard rest.count >= 5, let id = SegmentID(String(rest.prefix(3))) else { return nil }
        segment = id
        rest = rest.dropFirst(3)
        occurrence = 1
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]"),
                let value = Int(rest[rest.index(after: rest.startIndex)..<close]),
                value >= 1
            else { return nil }
            occurrence = value
            rest = rest[rest.index(after: close)...]
        }
        guard rest.first == "-" else { return nil }
        rest = rest.dropFirst()
        let fieldDigits = rest.prefix(while: \.isNumber)
        guard let field = Int(fieldDigits), field >= 1 else { return nil }
        self.field = field
        rest = rest.dropFirst(fieldDigits.count)
        repetition = 1
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")"),
                let value = Int(rest[rest.index(after: rest.startIndex)..<close]),
                value >= 1
            else { return nil }
            repetition = value
            rest = rest[rest.index(after: close)...]
        }
        let parts =
            rest.isEmpty ? [] : rest.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard rest.isEmpty || rest.first == "." else { return nil }
        guard parts.count <= 2 else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count, numbers.allSatisfy({ $0 >= 1 }) else { return nil }
        component = numbers.first
        subcomponent = numbers.count > 1 ? numbers[1] : nil
    }

    /// The path in its canonical written form.
    public var description: String {
        var text = segment.description
        if occurrence != 1 { text += "[\(occurrence)]" }
        text += "-\(field)"
        if repetition != 1 { text += "(\(repetition))" }
        if let component { text += ".\(component)" }
        if let subcomponent { text += ".\(subcomponent)" }
        return text
    }
}

extension Message {
    /// The decoded value at a terser path (`"PID-3.1"`), or `nil` when the path is
    /// invalid or the value empty or null.
    public subscript(path: String) -> String? {
        guard let parsed = TerserPath(path) else { return nil }
        return self[parsed]
    }

    /// The decoded value at a path, or `nil` when empty or null.
    public subscript(path: TerserPath) -> String? {
        let matching = segments(path.segment)
        guard path.occurrence <= matching.count else { return nil }
        let field = matching[path.occurrence - 1][path.field]
        if field.isLiteral { return field.isEmpty ? nil : field.literalText }
        let repetition = field.repetition(path.repetition)
        guard let component = path.component else { return repetition.value }
        let part = repetition.component(component)
        guard let subcomponent = path.subcomponent else { return part.value }
        return part.subcomponent(subcomponent).value
    }
}
