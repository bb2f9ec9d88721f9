/// How an observation's site was matched to an exposed (catheter) site; written as
/// `"site_match"` in alerts.
public enum SiteMatchKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// The same site ("left-heel" and "left-heel").
    case exact
    /// One site contains the other on the same side (order at left-foot, signs at
    /// left-heel).
    case contained
    /// One of the two sites has no side; the parts are equal or one contains the other.
    case unlateralized
    /// The observation named no site; the patient had exactly one site exposed or under
    /// watch (decided by the engine, never by ``siteMatch(observed:exposed:)``).
    case soleSite = "sole-site"
    /// The order named no site and no later source (administration, infusing row, only
    /// line in place) gave one: the sign was at one of the patient's catheter sites
    /// (decided by the engine, never by ``siteMatch(observed:exposed:)``).
    case unsited
}
