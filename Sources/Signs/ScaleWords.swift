/// Words around a number that tell a score from a measurement (fixed, not
/// configurable).
enum ScaleWords {
    /// What a word is around a number.
    enum Role: UInt8, Sendable, BitwiseCopyable {
        case none, scaleNoun, unit
    }

    /// Scale nouns may stand between a sign and its score: "pain score 3", "infiltration
    /// grade 0", "erythema level: 1". Units after a number make it a measurement, not a
    /// score: "redness 2 cm", "swelling 0.5 cm", "3 x 4 cm".
    static let roles: WordTable<Role> = {
        var table = WordTable<Role>(filler: .none)
        for word in ["score", "scale", "grade", "level", "rating", "stage"] {
            table.set(Array(word.utf8), .scaleNoun)
        }
        for word in [
            "cm", "mm", "in", "inch", "inches", "x", "by", "cms", "mms", "centimeter", "centimeters",
            "centimetre", "centimetres", "millimeter", "millimeters", "millimetre", "millimetres",
        ] {
            table.set(Array(word.utf8), .unit)
        }
        return table
    }()

    /// The role of `word`.
    @inline(__always)
    static func role(_ word: UnsafeBufferPointer<UInt8>) -> Role {
        roles.value(hash: WordTable<Role>.hash(word), bytes: word, start: 0, length: word.count) ?? .none
    }

    /// Whether `word` is a scale noun.
    static func isScaleNoun(_ word: UnsafeBufferPointer<UInt8>) -> Bool { role(word) == .scaleNoun }

    /// Whether `word` is a unit of length.
    static func isUnit(_ word: UnsafeBufferPointer<UInt8>) -> Bool { role(word) == .unit }
}
