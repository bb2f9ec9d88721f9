import ClinicalEvents

/// One assessment of an exposed site on its timeline: the nursing rows (or an
/// administration's notes) of one message about that site at one time, normal (no sign
/// documented), with the sign kinds it documented, or the line's removal.
public struct AssessmentMark: Sendable, Hashable {
    /// The observation time (OBX-14, else OBR-7, else MSH-7; RXA-3 for notes).
    public var time: Instant
    /// The sign kinds documented, sorted (`calcinosis` for a calcinosis finding); empty:
    /// normal.
    public var signs: [String]
    /// Whether it documented the line's removal.
    public var lineRemoved: Bool

    /// Creates a mark.
    public init(time: Instant, signs: [String], lineRemoved: Bool = false) {
        self.time = time
        self.signs = signs
        self.lineRemoved = lineRemoved
    }

    /// Whether the assessment documented no sign and no removal.
    public var isNormal: Bool { signs.isEmpty && !lineRemoved }
}
