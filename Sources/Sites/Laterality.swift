/// The side of the body a site is on.
///
/// A site with no laterality is written without a side (`heel`, `scalp`,
/// `umbilical`); a site on both sides (table 0163 `BE`, `BN`, `OU`) has none either.
public enum Laterality: String, Sendable, Hashable, Codable, CaseIterable {
    /// The patient's left side.
    case left
    /// The patient's right side.
    case right
}

extension Laterality {
    /// Whole side words (lower-cased; "Lt." is the word "lt" and a period).
    static let sideWords: [String: Laterality] = [
        "l": .left, "lt": .left, "left": .left,
        "r": .right, "rt": .right, "right": .right,
    ]

    /// The side a text names, as an "Orientation" or "Laterality" row gives it
    /// ("Left", "Rt", "Right;Upper", "left side"): its first side word (L, Lt, Lt., left, R,
    /// Rt, Rt., right; case-insensitive, whole words); nil when it names none
    /// ("Bilateral", "Anterior", "Distal").
    public init?(sideText text: String) {
        for word in SiteText.words(text) {
            if let side = Laterality.sideWords[word.text] {
                self = side
                return
            }
        }
        return nil
    }
}
