/// How an observed site matches an exposed (catheter) site, or nil when it does not.
///
/// - Equal sites match ``SiteMatchKind/exact``.
/// - On the same side (or both without a side), one part containing the other matches
///   ``SiteMatchKind/contained`` (left-foot and left-heel, in either direction).
/// - When exactly one of the two has no side, the same part or a containing/contained
///   part matches ``SiteMatchKind/unlateralized`` ("heel" and right-heel or right-foot).
/// - Different sides never match, nor do siblings (left-hand and
///   left-antecubital-fossa) or unrelated parts.
public func siteMatch(observed: CanonicalSite, exposed: CanonicalSite) -> SiteMatchKind? {
    // Different sides never match: told before the parts are looked up.
    if let observedSide = observed.laterality, let exposedSide = exposed.laterality,
        observedSide != exposedSide
    {
        return nil
    }
    guard Anatomy.related(observed.part, exposed.part) else { return nil }
    switch (observed.laterality, exposed.laterality) {
    case (let observedSide?, let exposedSide?) where observedSide != exposedSide:
        return nil
    case (nil, _?), (_?, nil):
        return .unlateralized
    default:
        return observed.part == exposed.part ? .exact : .contained
    }
}
