import ClinicalEvents
import HL7
import Signs
import Sites

/// Where the drug flows when the order names no site (DESIGN §4). The exposure's site
/// comes from, in order: RXR-2 of the order; RXR-2 of an administration of that order;
/// a nursing row linking a line to the infusion ("Infusing", "Line contents"); the
/// patient's only line in place; else the exposure is unsited, and a sign at any of
/// the patient's catheter sites alerts (`"site_match": "unsited"`).
///
/// Sources 1-3 do not rank above each other in time: each sets the exposure's site from
/// its own time on, moving it as an XO would (the old site's exposure ends then and its
/// watch starts; the new site's starts then). An exposure that had no site yet takes
/// its first one from its start: the nurse picked the line at the bedside, the drug
/// flowed there from the first dose. When the exposure's line is removed while its
/// order goes on, the order continues unsited from the removal, and the only line then
/// in place (or the next one inserted) carries it.
extension SurveillanceEngine {
    // MARK: - Moving an exposure

    /// Sets the site of `order`'s exposure running at `time` to `site` (sources 2 and
    /// 3): an unsited exposure takes it in place; a sited one at another site ends at
    /// `time` (its watch starts) and the same drug flows at `site` from then. A site
    /// matching the current one (same, containing or contained) changes nothing, nor
    /// does a time after the order's exposures ended.
    static func move(_ order: inout InfusionOrder, to site: CanonicalSite, at time: Instant) {
        guard !order.exposures.isEmpty else { return }
        let running: Int
        if let index = order.exposures.lastIndex(where: { $0.start <= time }) {
            if let end = order.exposures[index].end, end <= time { return }
            running = index
        } else {
            running = 0  // before the first start (an administration documented earlier)
        }
        let current = order.exposures[running]
        guard let currentSite = current.site else {
            order.exposures[running].site = site
            return
        }
        guard siteMatch(observed: site, exposed: currentSite) == nil, time >= current.start else { return }
        var moved = current
        moved.site = site
        moved.start = time
        moved.administeredFrom = nil
        moved.administeredUntil = nil
        order.exposures[running].end = time
        order.exposures.insert(moved, at: running + 1)
        order.applyAdministrations()
    }

    /// Source 4: the running unsited exposures (of orders and of administrations without
    /// a known order) take the patient's only line in place at `time`, when there is one.
    func settleUnsitedExposures(in record: inout PatientRecord, at time: Instant) {
        func runs(_ exposure: SiteExposure) -> Bool {
            guard exposure.site == nil else { return false }
            guard let end = exposure.effectiveEnd else { return true }
            return time < end
        }
        // Most patients have no unsited exposure: looked for first, without the lines.
        let unsited =
            record.orders.contains { $0.exposures.contains(where: runs) }
            || record.standaloneAdministrations.contains { runs($0.exposure) }
        guard unsited, let only = record.onlyLine(inPlaceAt: time, forgetHours: settings.lineForgetHours)
        else {
            return
        }
        for order in record.orders.indices {
            for index in record.orders[order].exposures.indices
            where runs(record.orders[order].exposures[index]) {
                record.orders[order].exposures[index].site = only
            }
        }
        for index in record.standaloneAdministrations.indices
        where runs(record.standaloneAdministrations[index].exposure) {
            record.standaloneAdministrations[index].exposure.site = only
        }
    }

    /// After a line removal ended `order`'s exposure at `time`: when the order goes on,
    /// it continues unsited from `time` (the next source found carries it).
    static func continueAfterRemoval(_ order: inout InfusionOrder, at time: Instant) {
        guard !order.ended, order.plannedEnd.map({ $0 > time }) ?? true, let last = order.exposures.last,
            last.end == time, last.site != nil
        else { return }
        var next = last
        next.site = nil
        next.start = time
        next.end = order.plannedEnd
        next.administeredFrom = nil
        next.administeredUntil = nil
        order.exposures.append(next)
        order.applyAdministrations()
    }

    // MARK: - Lines documented in an ORU

    /// Records the lines an ORU documents (insertions, and site assessments of a line:
    /// ``MessagePreparer/lineCharts(_:of:namedSites:groups:message:)``), links infusions
    /// to lines ("Infusing: calcium gluconate" at a site), and gives running unsited
    /// exposures the only line in place.
    func chartLines(_ lines: [LineChart], in record: inout PatientRecord) {
        var latest: Instant? = nil
        for line in lines {
            record.chartLine(
                at: line.site, time: line.time, inserted: line.inserted, forgetHours: settings.lineForgetHours
            )
            if let entryID = line.infusedEntryID {
                linkInfusion(entryID, to: line.site, at: line.time, in: &record)
            }
            latest = max(latest ?? line.time, line.time)
        }
        if let latest { settleUnsitedExposures(in: &record, at: latest) }
    }

    /// Source 3: a row naming what infuses through the line at `site` moves the running
    /// exposures of the orders of that catalog entry there.
    private func linkInfusion(
        _ entryID: String, to site: CanonicalSite, at time: Instant, in record: inout PatientRecord
    ) {
        for index in record.orders.indices where record.orders[index].entryID == entryID {
            Self.move(&record.orders[index], to: site, at: time)
        }
    }

    // MARK: - Line removal

    /// A documented catheter removal ends the line and the running exposures at that
    /// site (the watch window starts); an order that goes on continues unsited from
    /// then (the only line still in place, or the next inserted, carries it). Without a
    /// site, the patient's only line in place and only running site.
    func removeLine(at site: CanonicalSite?, time: Instant, in record: inout PatientRecord) {
        let forget = settings.lineForgetHours
        if let site {
            record.removeLines(at: time, forgetHours: forget) {
                siteMatch(observed: site, exposed: $0) != nil
            }
        } else if let only = record.onlyLine(inPlaceAt: time, forgetHours: forget) {
            record.removeLines(at: time, forgetHours: forget) { $0 == only }
        }
        let running = record.exposures(where: { $0.site != nil && $0.isActive(at: time) }).compactMap(\.site)
        let targets: Set<CanonicalSite>
        if let site {
            targets = Set(running.filter { siteMatch(observed: site, exposed: $0) != nil })
        } else {
            let distinct = Set(running)
            targets = distinct.count == 1 ? distinct : []
        }
        guard !targets.isEmpty else { return }
        for order in record.orders.indices {
            var ended = false
            for index in record.orders[order].exposures.indices {
                let exposure = record.orders[order].exposures[index]
                guard let exposureSite = exposure.site, targets.contains(exposureSite),
                    exposure.isActive(at: time)
                else { continue }
                record.orders[order].exposures[index].end = time
                ended = true
            }
            if ended { Self.continueAfterRemoval(&record.orders[order], at: time) }
        }
    }

    // MARK: - Unsited exposures

    /// Source 5: an acute sign at one of the patient's catheter sites (a site a catheter
    /// row names, or where a line is documented and not forgotten) during an unsited
    /// exposure or its watch; or, from an IV-site assessment row naming no site, while
    /// the patient has an unsited exposure and no sited one. The site is the observed
    /// one (none for the latter); each observed site is its own episode.
    func unsitedTarget(
        in record: PatientRecord, observed: CanonicalSite?, at time: Instant, catheterRow: Bool
    )
        -> ExposureTarget?
    {
        var chosen: SiteExposure? = nil
        var active = false
        var sited = false
        func consider(_ exposure: SiteExposure) {
            guard exposure.isWatched(at: time) else { return }
            guard exposure.site == nil else {
                sited = true
                return
            }
            active = active || exposure.isActive(at: time)
            if chosen == nil || (chosen!.risk, chosen!.start) < (exposure.risk, exposure.start) {
                chosen = exposure
            }
        }
        for order in record.orders.indices {
            for exposure in record.orders[order].exposures.indices {
                consider(record.orders[order].exposures[exposure])
            }
        }
        for index in record.standaloneAdministrations.indices {
            consider(record.standaloneAdministrations[index].exposure)
        }
        guard let chosen else { return nil }
        if let observed {
            // A catheter row names its line itself (charted in this message); any other
            // row needs a line documented at that site.
            let forget = settings.lineForgetHours
            guard
                catheterRow
                    || record.lines.contains(where: {
                        $0.since <= time && !$0.isForgotten(at: time, forgetHours: forget)
                            && siteMatch(observed: observed, exposed: $0.site) != nil
                    })
            else { return nil }
        } else {
            guard catheterRow, !sited else { return nil }
        }
        return ExposureTarget(
            site: observed, match: .unsited, observedSite: observed, exposure: chosen, infusionActive: active,
            episode: ExposureIdentity(orderNumber: chosen.orderNumber, site: observed, start: chosen.start))
    }
}
