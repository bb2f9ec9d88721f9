import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// The exposure an observation resolved to.
struct ExposureTarget {
    /// The exposed site; for an unsited exposure the observed site (`nil` when none).
    var site: CanonicalSite?
    var match: SiteMatch
    var observedSite: CanonicalSite?
    /// The exposure named in the alert: highest risk at the site, ties the most recently started.
    var exposure: SiteExposure
    /// Whether any exposure at that site was flowing at the observation time.
    var infusionActive: Bool
    /// The episode the observation belongs to: the exposure's identity; for an unsited
    /// exposure, with the observed site (each observed site is its own episode).
    var episode: ExposureIdentity

    /// Which assessment draft of a message the observation joins.
    var draftKey: String { match == .unsited ? "unsited|" + (site?.name ?? "") : site?.name ?? "" }
}

extension SurveillanceEngine {
    // MARK: - Resolving the exposure

    /// The exposed site an observation at `time` refers to: the observed site's best
    /// match among the sites under watch (or, for calcinosis, under the late watch at a
    /// calcium entry), else, without an observed site, the patient's only site under
    /// (acute) watch, but only for an observation `aboutCatheter` (an IV, catheter,
    /// line or infusion-site assessment: ``MessagePreparer/isAboutCatheter(_:row:message:groups:)``).
    /// An unsited exposure is the target of a sign at a catheter site (`catheterRow`: the
    /// row or its OBR group names a catheter site; else a line documented there).
    func target(
        in record: PatientRecord, observed: CanonicalSite?, at time: Instant, late: Bool,
        aboutCatheter: Bool = true, catheterRow: @autoclosure () -> Bool = false
    ) -> ExposureTarget? {
        if observed == nil && !aboutCatheter { return nil }
        // The exposures are read where they lie (by position, in the order of
        // `record.exposures`): no list of them is built, and none is copied but the chosen one.
        let lateWatchDays = settings.lateWatchDays
        func isWatched(_ exposure: SiteExposure) -> Bool {
            guard exposure.site != nil else { return false }
            return late
                ? exposure.isUnderLateWatch(at: time, lateWatchDays: lateWatchDays)
                : exposure.isWatched(at: time)
        }
        var best: (site: CanonicalSite, match: SiteMatch)? = nil
        if let observed {
            func consider(_ exposure: SiteExposure) {
                guard isWatched(exposure), let site = exposure.site,
                    let kind = siteMatch(observed: observed, exposed: site)
                else { return }
                let match = SiteMatch(kind)
                if best == nil || match.strength > best!.match.strength
                    || (match.strength == best!.match.strength && site < best!.site)
                {
                    best = (site, match)
                }
            }
            record.forEachExposure(consider)
        } else {
            // The patient's only site under acute watch, when one is also watched as asked.
            var only: CanonicalSite? = nil
            var several = false
            record.forEachExposure { exposure in
                guard !several, let site = exposure.site, exposure.isWatched(at: time) else { return }
                if only == nil {
                    only = site
                } else if only != site {
                    several = true
                }
            }
            if !several, let only {
                var watchedThere = false
                record.forEachExposure { exposure in
                    if !watchedThere && exposure.site == only && isWatched(exposure) { watchedThere = true }
                }
                if watchedThere { best = (only, .soleSite) }
            }
        }
        guard let best else {
            guard !late else { return nil }
            return unsitedTarget(in: record, observed: observed, at: time, catheterRow: catheterRow())
        }
        // The first of the highest risk, ties the most recently started, at that site.
        var chosen: SiteExposure? = nil
        var active = false
        record.forEachExposure { exposure in
            guard exposure.site == best.site, isWatched(exposure) else { return }
            if chosen == nil || (chosen!.risk, chosen!.start) < (exposure.risk, exposure.start) {
                chosen = exposure
            }
            if !active && exposure.isActive(at: time) { active = true }
        }
        guard let chosen else { return nil }
        return ExposureTarget(
            site: best.site, match: best.match, observedSite: best.match == .soleSite ? nil : observed,
            exposure: chosen, infusionActive: active, episode: chosen.identity)
    }
}

extension SiteMatch {
    init(_ kind: SiteMatchKind) {
        switch kind {
        case .exact: self = .exact
        case .contained: self = .contained
        case .unlateralized: self = .unlateralized
        case .soleSite: self = .soleSite
        case .unsited: self = .unsited
        }
    }
}
