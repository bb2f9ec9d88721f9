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
