import Yams

/// A line and column in a YAML file (both from 1; 0 when there is no place).
struct SourcePlace: Sendable, Hashable {
    /// Line, from 1.
    var line: Int
    /// Column, from 1, in Unicode scalars.
    var column: Int

    /// The place of a node (the start of the file when Yams gives none).
    init(_ node: Node?) {
        let mark = node?.mark
        self.line = mark?.line ?? 1
        self.column = mark?.column ?? 1
    }

    /// A place from its line and column.
    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// No place in the file (line 0, column 0).
    static let none = SourcePlace(line: 0, column: 0)
}
