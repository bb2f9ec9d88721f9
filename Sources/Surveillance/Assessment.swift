import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// One OBX of an ORU message, with what the engine reads from it.
struct ObservationItem {
    var segment: Segment
    /// Index of the OBR group (0 before any OBR).
    var group: Int
    /// OBX-14, else OBR-7, else MSH-7.
    var time: Instant
    /// OBX-11, as far as the engine reads it.
    var status: ObservationStatus
    /// What the engine reads from it (once read; never for a withdrawn observation).
    var row: ObservationRow? = nil

    /// OBX-4, the sub-ID that ties observations about the same site together.
    var subID: String { segment[4].string }
}

/// The lists ``SurveillanceEngine/applyObservations(_:key:time:source:)`` fills for one
/// message, kept by the engine between messages (empty, with their capacity): a message
/// allocates none.
struct ObservationScratch: Sendable {
    /// The message's OBX, in order.
    var items: [ObservationItem] = []
    /// Positions in `items` of the observations that may assert something.
    var readings: [Int] = []
    /// Positions in `items` of the rows that may document a line.
    var lineRows: [Int] = []
    /// Sites named by site-location observations, per OBR group and sub-ID.
    var namedSites = GroupValues<CanonicalSite>()
    /// Sides named by orientation observations ("Orientation: Left"), likewise.
    var namedSides = GroupValues<Laterality>()

    /// Empties the lists, keeping their capacity.
    mutating func removeAll() {
        items.removeAll(keepingCapacity: true)
        readings.removeAll(keepingCapacity: true)
        lineRows.removeAll(keepingCapacity: true)
        namedSites.removeAll()
        namedSides.removeAll()
    }
}

/// Values kept per OBR group and sub-ID while one ORU is read (the sites named by
/// site-location rows, the sides named by orientation rows): a list searched in order
/// while it is short (a message names few, and the engine keeps the list with its
/// capacity), indexed by a table once it grows long, so that a message of many sub-IDs
/// is still read in linear time.
struct GroupValues<Value: Sendable>: Sendable {
    /// The keys and values, in the order first set.
    private(set) var entries: [(key: ObservationGroupKey, value: Value)] = []
    /// The position of each key in `entries`, once they are more than ``listLimit``.
    private var positions: [ObservationGroupKey: Int] = [:]
    /// The most entries searched in order.
    static var listLimit: Int { 16 }

    /// Whether no key has a value.
    var isEmpty: Bool { entries.isEmpty }

    private func position(of key: ObservationGroupKey) -> Int? {
        if entries.count > Self.listLimit { return positions[key] }
        for index in entries.indices where entries[index].key == key { return index }
        return nil
    }

    /// The value of `key`; setting one replaces the value of the same key.
    subscript(key: ObservationGroupKey) -> Value? {
        get { position(of: key).map { entries[$0].value } }
        set {
            guard let newValue else { preconditionFailure("values are never removed") }
            if let index = position(of: key) {
                entries[index].value = newValue
                return
            }
            entries.append((key, newValue))
            if entries.count == Self.listLimit + 1 {
                for index in entries.indices { positions[entries[index].key] = index }
            } else if entries.count > Self.listLimit + 1 {
                positions[key] = entries.count - 1
            }
        }
    }

    /// Empties the values, keeping the list's capacity.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        if !positions.isEmpty { positions.removeAll() }
    }
}

/// Observations about the same site: one OBR group and one sub-ID (OBX-4).
struct ObservationGroupKey: Hashable {
    var group: Int
    var subID: String

    init(_ item: ObservationItem) {
        group = item.group
        subID = item.subID
    }

    init(group: Int, subID: String) {
        self.group = group
        self.subID = subID
    }
}

/// What an observation's result status (OBX-11) means to the engine.
enum ObservationStatus {
    /// `D` deleted, `W` wrong, `X` not obtained: the observation does not count.
    case withdrawn
    /// `C`: corrects what the same observation documented before.
    case corrected
    /// Anything else (`F`, `P`, not sent, ...).
    case other

    /// The status in an OBX's OBX-11 (as ``init(_:)``), read from the message's bytes
    /// when it is empty or one plain ASCII byte (the usual cases), without a Field.
    init(obx: borrowing Segment, bytes: borrowing [UInt8], escape: UInt8?) {
        let range = obx.fieldRange(11)
        if range.isEmpty {
            self = .other
            return
        }
        if range.count == 1 {
            let byte = bytes[range.lowerBound]
            if byte < 0x80 && byte != escape {
                switch byte | 0x20 {
                case 0x64, 0x77, 0x78: self = .withdrawn  // d, w, x
                case 0x63: self = .corrected  // c
                default: self = .other
                }
                return
            }
        }
        self.init(obx[11])
    }

    /// The status of OBX-11, read case-insensitively.
    init(_ field: Field) {
        // One ASCII character (the usual case) is read as a byte.
        let byte: UInt8? = field.withDecodedBytes { bytes in
            bytes.count == 1 && bytes[0] < 0x80 ? bytes[0] : nil
        }
        if field.hasValue, let byte {
            switch byte | 0x20 {
            case 0x64, 0x77, 0x78: self = .withdrawn  // d, w, x
            case 0x63: self = .corrected  // c
            default: self = .other
            }
            return
        }
        // Otherwise compared as text.
        switch field.uppercasedValue ?? "" {
        case "D", "W", "X": self = .withdrawn
        case "C": self = .corrected
        default: self = .other
        }
    }
}

/// What an OBR group is, as far as reading its observations goes.
struct ResultGroup {
    /// Nursing, lab or imaging (``ResultKind``).
    var kind: ResultKind
    /// Whether OBR-4 names an IV, catheter, line or infusion-site assessment.
    var namesVascularAccess: Bool
}

/// The OBR group of a message last read (``SurveillanceEngine/resultGroup(_:of:known:)``):
/// a message's observations come group by group, so one is enough, and costs no allocation.
struct ResultGroupMemo {
    /// The group's index; -1 before any.
    var group = -1
    /// What it is.
    var value = ResultGroup(kind: .nursing, namesVascularAccess: false)
}

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

/// All sign-bearing observations of one message that resolve to one exposed site.
struct AssessmentDraft {
    var target: ExposureTarget
    var time: Instant
    var signs: Set<SignKind>
    var controlID: String
    /// The observations behind it (OBX-3 and sub-ID) and the signs each documented.
    var sources: [String: Set<SignKind>] = [:]
    /// Whether every observation behind it is a correction (OBX-11 `C`).
    var onlyCorrections = true
}

extension SurveillanceEngine {
    // MARK: - ORU^R01

    mutating func applyObservations(
        _ message: Message, key: PatientKey, time messageTime: Instant, source: MessageSource
    )
        -> Result<[Alert], MessageRejection>
    {
        // The lists below are the engine's, kept between messages with their capacity
        // (a message allocates none); they go back empty.
        var scratch = ObservationScratch()
        swap(&scratch, &observationScratch)
        defer {
            scratch.removeAll()
            swap(&scratch, &observationScratch)
        }
        // Read and validate everything first: a rejected message changes nothing.
        var group = 0
        var groupTime: Instant? = nil
        var occurrence = 0
        // The OBX-14 last read and its instant: the observations of a message usually share one time.
        var lastObserved: (range: Range<Int>, time: Instant)? = nil
        let messageBytes = message.bytes
        let escape = message.delimiters.escape
        for segment in message.segments {
            let id = segment.id
            if id == "OBR" {
                group += 1
                groupTime = nil
                let range = segment.fieldRange(7)
                if Self.hasValue(messageBytes, range) {
                    guard let time = settings.times.instant(segment[7]) else {
                        return .failure(
                            MessageRejection(location: "OBR-7", reason: "not a valid HL7 date/time"))
                    }
                    groupTime = time
                    // The group's OBX-14 are usually OBR-7 again: read once.
                    lastObserved = (range, time)
                }
            } else if id == "OBX" {
                occurrence += 1
                var time = groupTime ?? messageTime
                // OBX-14 and OBX-11 are read from their byte ranges (no Field per OBX).
                let range = segment.fieldRange(14)
                if Self.hasValue(messageBytes, range) {
                    if let last = lastObserved, Self.sameBytes(messageBytes, last.range, range) {
                        time = last.time
                    } else {
                        guard let observedTime = settings.times.instant(segment[14]) else {
                            let label = occurrence == 1 ? "OBX" : "OBX[\(occurrence)]"
                            return .failure(
                                MessageRejection(location: "\(label)-14", reason: "not a valid HL7 date/time")
                            )
                        }
                        lastObserved = (range, observedTime)
                        time = observedTime
                    }
                }
                scratch.items.append(
                    ObservationItem(
                        segment: segment, group: group, time: time,
                        status: ObservationStatus(obx: segment, bytes: messageBytes, escape: escape)))
            }
        }
        let resolved = state.resolve(key)

        // Labs go to the record. Of the other observations, those that may assert something
        // (or correct what they documented before) go on to the assessments (`readings`);
        // rows that may document a line (site locations, catheter rows, insertions,
        // contents) go to `lineRows`; named sites and sides are kept per OBR group and sub-ID.
        observationCache.prepare(for: message.delimiters)
        var labs: [LabResult] = []
        for index in scratch.items.indices where scratch.items[index].status != .withdrawn {
            let row = observationRow(scratch.items[index].segment, bytes: messageBytes)
            scratch.items[index].row = row
            if let lab = row.analyte,
                let result = labResult(scratch.items[index], analyte: lab.analyte, unit: lab.unit)
            {
                labs.append(result)
                continue
            }
            if let site = row.namedSite {
                scratch.namedSites[ObservationGroupKey(scratch.items[index])] = site
            }
            if row.reading.namesCatheterSite || row.reading.isLineInsertion || row.reading.lineContents != nil
                || row.namedSite != nil
            {
                scratch.lineRows.append(index)
            }
            if let side = row.namedSide {
                scratch.namedSides[ObservationGroupKey(scratch.items[index])] = side
            }
            // Site locations and orientations name sites, not signs; normal observations change nothing.
            let namesPlace = row.reading.isSiteLocation || row.reading.isOrientation
            if namesPlace || (row.saysNothing && scratch.items[index].status != .corrected) { continue }
            scratch.readings.append(index)
        }
        // A message that documents nothing of this kind (vital signs: most rows) leaves a
        // known patient's record as it is: it is neither taken out nor listed as changed.
        if labs.isEmpty && scratch.lineRows.isEmpty && scratch.readings.isEmpty
            && state.patients.index(forKey: resolved) != nil
        {
            return .success([])
        }
        var (record, slot) = takeRecord(resolved)
        record.labs.append(contentsOf: labs)
        // A side charted in its own row joins the location of the same sub-ID.
        for (key, side) in scratch.namedSides.entries where scratch.namedSites[key]?.laterality == nil {
            scratch.namedSites[key]?.laterality = side
        }
        let namedSites = scratch.namedSites
        // Lines documented in this message are in place as of it (before its signs are read).
        var catheterGroups = CatheterGroups()
        if !scratch.lineRows.isEmpty {
            chartLines(
                scratch.lineRows, of: scratch.items, namedSites: namedSites, groups: &catheterGroups,
                message: message, in: &record)
        }
        // Most messages assert nothing: the record goes back as it is.
        if scratch.readings.isEmpty {
            putRecord(consume record, key: resolved, slot: slot)
            return .success([])
        }
        // Acute signs and calcinosis findings, grouped into assessments per exposed site.
        var acute: [String: AssessmentDraft] = [:]
        var calcinosis: [String: AssessmentDraft] = [:]
        var removals: [(site: CanonicalSite?, time: Instant)] = []
        var corrections: [(key: String, signs: Set<SignKind>, target: ExposureTarget)] = []
        // What each OBR group is (nursing, lab, imaging), read for groups with something to say.
        var groups = ResultGroupMemo()
        // Acute targets found among the sites under watch, by observed site, time and
        // whether the row is about a catheter (a few per message).
        var sitedTargets:
            [(observed: CanonicalSite?, time: Instant, aboutCatheter: Bool, target: ExposureTarget)] =
                []
        for index in scratch.readings {
            let item = scratch.items[index]
            let row = item.row!
            let reading = row.reading
            // Only nursing observations are read for acute signs: a lab result for risk
            // factors only, an imaging report ("soft tissue swelling") for calcinosis only.
            let group = resultGroup(item.group, of: message, known: &groups)
            let kind = row.isLabResult ? .lab : group.kind
            if kind == .lab { continue }
            var signs = reading.signs
            signs.remove(.calcinosis)
            if kind == .imaging || row.namesImaging { signs = [] }
            let lineRemoval = reading.isLineRemoval && kind == .nursing
            let correction = item.status == .corrected
            // Most observations are normal: resolve a site only for those that need one.
            guard !signs.isEmpty || reading.calcinosisFinding || lineRemoval || correction else { continue }
            let named = observedSite(item, namedSites: namedSites, bytes: messageBytes)
            if lineRemoval { removals.append((named, item.time)) }
            // Without a site, only an IV/catheter/line assessment is about the catheter.
            let aboutCatheter =
                named != nil || isAboutCatheter(item, row: row, message: message, groups: &groups)
            let key = observationCache.observationKey(item.segment, bytes: messageBytes) {
                Self.observationKey(item)
            }
            var acuteTarget: ExposureTarget? = nil
            if correction || !signs.isEmpty {
                // The signs of one site are usually charted in several rows at one time:
                // a target found among the sites under watch (its record unchanged
                // meanwhile) is found once. An unsited one depends on the row: never reused.
                if let known = sitedTargets.first(where: {
                    $0.observed == named && $0.time == item.time && $0.aboutCatheter == aboutCatheter
                }) {
                    acuteTarget = known.target
                } else {
                    acuteTarget = target(
                        in: record, observed: named, at: item.time, late: false, aboutCatheter: aboutCatheter,
                        catheterRow: row.reading.namesCatheterSite
                            || catheterGroups.namesCatheterSite(item.group, in: message, settings: settings))
                    if let found = acuteTarget, found.match != .unsited, sitedTargets.count < 8 {
                        sitedTargets.append((named, item.time, aboutCatheter, found))
                    }
                }
            }
            if correction, let target = acuteTarget { corrections.append((key, signs, target)) }
            if !signs.isEmpty, let target = acuteTarget {
                add(signs, target: target, time: item.time, controlID: message.controlID, to: &acute) {
                    draft in
                    draft.sources[key, default: []].formUnion(signs)
                    if !correction { draft.onlyCorrections = false }
                }
            }
            if reading.calcinosisFinding,
                let target = target(
                    in: record, observed: named, at: item.time, late: true, aboutCatheter: aboutCatheter)
            {
                add(
                    [.calcinosis], target: target, time: item.time, controlID: message.controlID,
                    to: &calcinosis)
            }
        }
        // Corrections replace what the same observation documented before.
        for correction in corrections {
            let identity = correction.target.episode
            guard let index = record.episodes.firstIndex(where: { $0.exposure == identity }) else { continue }
            record.episodes[index].correct(observation: correction.key, signs: correction.signs)
        }
        var alerts: [Alert] = []
        // Visit and location as of this message, for the alerts (most messages raise none).
        var visit: String? = nil
        var location: String? = nil
        if !acute.isEmpty || !calcinosis.isEmpty {
            let pv1 = message.segment("PV1")
            visit = pv1.flatMap { $0[19].component(1).value } ?? record.visit
            location = pv1.flatMap(Self.location) ?? record.location
        }
        for name in Self.sortedKeys(acute) {
            if let alert = raiseAcute(
                acute[name]!, record: &record, visit: visit, location: location, source: source)
            {
                alerts.append(alert)
            }
        }
        for name in Self.sortedKeys(calcinosis) {
            if let alert = raiseCalcinosis(
                calcinosis[name]!, record: &record, visit: visit, location: location, source: source)
            {
                alerts.append(alert)
            }
        }
        for removal in removals { removeLine(at: removal.site, time: removal.time, in: &record) }
        if !removals.isEmpty { settleUnsitedExposures(in: &record, at: removals.map(\.time).max()!) }
        putRecord(consume record, key: resolved, slot: slot)
        return .success(alerts)
    }

    /// Adds `signs` to the draft of `target`'s exposed site (made when missing), then
    /// `update`s that draft. The draft is changed where it lies in `drafts`.
    private func add(
        _ signs: Set<SignKind>, target: ExposureTarget, time: Instant, controlID: @autoclosure () -> String,
        to drafts: inout [String: AssessmentDraft], then update: (inout AssessmentDraft) -> Void = { _ in }
    ) {
        let name = target.draftKey
        if let index = drafts.index(forKey: name) {
            drafts.values[index].signs.formUnion(signs)
            if target.match.strength > drafts.values[index].target.match.strength {
                drafts.values[index].target.match = target.match
                drafts.values[index].target.observedSite = target.observedSite
            }
            update(&drafts.values[index])
        } else {
            var draft = AssessmentDraft(target: target, time: time, signs: signs, controlID: controlID())
            update(&draft)
            drafts[name] = draft
        }
    }

    /// Whether the part at `range` of `bytes` has a value (``MessagePart/hasValue``):
    /// neither empty nor the explicit null `""`.
    static func hasValue(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        if range.isEmpty { return false }
        return !(range.count == 2 && bytes[range.lowerBound] == 0x22 && bytes[range.lowerBound + 1] == 0x22)
    }

    /// Whether two ranges of `bytes` hold the same bytes.
    static func sameBytes(_ bytes: [UInt8], _ first: Range<Int>, _ second: Range<Int>) -> Bool {
        guard first.count == second.count else { return false }
        if first.isEmpty || first.lowerBound == second.lowerBound { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            ByteTable<Never>.equal(
                UnsafeBufferPointer(rebasing: buffer[first]), UnsafeBufferPointer(rebasing: buffer[second]))
        }
    }

    /// The keys of a message's drafts in order (most messages have none, and sorting
    /// one key needs no sort).
    static func sortedKeys(_ drafts: [String: AssessmentDraft]) -> [String] {
        switch drafts.count {
        case 0: return []
        case 1: return [drafts.first!.key]
        default: return drafts.keys.sorted()
        }
    }

    // MARK: - Resolving the exposure

    /// The site an observation names: OBX-20 (body site), else the site named by a
    /// site-location observation of its group and sub-ID, else a site in the
    /// identifier's text, else in a value repetition.
    /// `bytes` are the message's (the cache's delimiters).
    mutating func observedSite(
        _ item: ObservationItem, namedSites: GroupValues<CanonicalSite>, bytes: [UInt8]
    ) -> CanonicalSite? {
        let obx = item.segment
        if Self.hasValue(bytes, obx.fieldRange(20)), let site = bodySite(obx, bytes: bytes) { return site }
        if let site = namedSites[ObservationGroupKey(item)] { return site }
        if let site = identifierSite(obx, bytes: bytes) { return site }
        if let known = observationCache.site(.values, of: obx, bytes: bytes) { return known }
        var named: CanonicalSite? = nil
        for repetition in obx[5].repetitions {
            if let site = site(freeText: repetition.string) {
                named = site
                break
            }
        }
        observationCache.store(named, .values, of: obx, bytes: bytes)
        return named
    }

    /// The site OBX-20 names as a coded value, by its bytes (see ``observedSite(_:namedSites:bytes:)``).
    mutating func bodySite(_ obx: Segment, bytes: [UInt8]) -> CanonicalSite? {
        if let known = observationCache.site(.bodySite, of: obx, bytes: bytes) { return known }
        let coded = CodedValue(obx[20])
        let named = site(code: coded.code, text: coded.text, system: coded.system)
        observationCache.store(named, .bodySite, of: obx, bytes: bytes)
        return named
    }

    /// The site the text of OBX-3 names, by its bytes (see ``observedSite(_:namedSites:bytes:)``).
    mutating func identifierSite(_ obx: Segment, bytes: [UInt8]) -> CanonicalSite? {
        if let known = observationCache.site(.identifier, of: obx, bytes: bytes) { return known }
        let named = site(freeText: CodedValue(obx[3]).displayText)
        observationCache.store(named, .identifier, of: obx, bytes: bytes)
        return named
    }

    /// The site named in free text (``SiteNormalizer/site(freeText:)``), memoized.
    mutating func site(freeText text: String) -> CanonicalSite? {
        let sites = settings.sites
        return freeTextSiteMemo.value(text) { sites.site(freeText: text) }
    }

    /// Whether an observation or order name is an imaging study (``namesImaging(_:)``), memoized.
    mutating func namesImaging(_ text: String) -> Bool {
        imagingMemo.value(text) { Self.namesImaging(text) }
    }

    /// The exposed site an observation at `time` refers to: the observed site's best
    /// match among the sites under watch (or, for calcinosis, under the late watch at a
    /// calcium entry), else, without an observed site, the patient's only site under
    /// (acute) watch, but only for an observation `aboutCatheter` (an IV, catheter,
    /// line or infusion-site assessment: ``isAboutCatheter(_:row:message:groups:)``).
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

    // MARK: - Raising alerts

    mutating func raiseAcute(
        _ draft: AssessmentDraft, record: inout PatientRecord, visit: String?, location: String?,
        source: MessageSource
    ) -> Alert? {
        let exposure = draft.target.exposure
        let index = record.episodeIndex(for: draft.target.episode)
        var episode = record.episodes[index]
        for (key, documented) in draft.sources
        where episode.documentedSigns[key] == nil || !draft.onlyCorrections {
            episode.documentedSigns[key] = documented
        }
        let factors = riskFactors(of: record, at: draft.time)
        let current = episode.currentSigns
        let signs = current.union(draft.signs)
        let severity = Severity.assess(
            risk: exposure.risk, signs: signs, riskFactors: factors,
            infusionActive: draft.target.infusionActive)
        let kind: AlertKind
        if episode.lastSeverity == nil {
            kind = .extravasationSuspected
        } else if !draft.signs.isSubset(of: episode.alertedSigns) || severity > episode.lastSeverity! {
            // A sign corrected away and documented again is not new: alerted before.
            kind = .extravasationEscalated
        } else {
            return nil
        }
        episode.alertedSigns.formUnion(signs)
        episode.lastSeverity = severity
        let sequence = episode.nextSequence(for: kind)
        record.episodes[index] = episode
        return makeAlert(
            kind: kind, sequence: sequence, severity: severity, signs: signs, factors: factors, draft: draft,
            record: record, visit: visit, location: location, source: source)
    }

    mutating func raiseCalcinosis(
        _ draft: AssessmentDraft, record: inout PatientRecord, visit: String?, location: String?,
        source: MessageSource
    ) -> Alert? {
        let index = record.episodeIndex(for: draft.target.episode)
        guard !record.episodes[index].calcinosisAlerted else { return nil }
        record.episodes[index].calcinosisAlerted = true
        let sequence = record.episodes[index].nextSequence(for: .calcinosisSuspected)
        return makeAlert(
            kind: .calcinosisSuspected, sequence: sequence, severity: .high, signs: [.calcinosis],
            factors: riskFactors(of: record, at: draft.time), draft: draft, record: record, visit: visit,
            location: location, source: source)
    }

    private func makeAlert(
        kind: AlertKind, sequence: Int, severity: Severity, signs: Set<SignKind>, factors: Set<RiskFactor>,
        draft: AssessmentDraft, record: PatientRecord, visit: String?, location: String?,
        source: MessageSource
    ) -> Alert {
        let exposure = draft.target.exposure
        return Alert(
            id: AlertIdentifier.make(
                patient: record.key, site: draft.target.site, exposureStart: exposure.start, kind: kind,
                sequence: sequence, key: settings.identityKey),
            kind: kind, severity: severity, observedAt: draft.time, patient: record.key.identifier,
            patientKey: record.key, visit: visit, location: location, site: draft.target.site,
            observedSite: draft.target.observedSite, siteMatch: draft.target.match, signs: signs.sorted(),
            drug: exposure.drug, order: exposure.orderNumber, infusionActive: draft.target.infusionActive,
            riskFactors: factors.sorted(), controlID: draft.controlID, source: source,
            exposureStartedAt: exposure.start, catalogEntry: exposure.entryID)
    }

    // MARK: - Line removal

    /// A documented catheter removal ends the line and the running exposures at that
    /// site (the watch window starts); an order that goes on continues unsited from
    /// then (the only line still in place, or the next inserted, carries it). Without a
    /// site, the patient's only line in place and only running site.
    private func removeLine(at site: CanonicalSite?, time: Instant, in record: inout PatientRecord) {
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

    // MARK: - Reading OBX

    /// What an OBR group is, from `known` or read from its OBR (the `group`-th OBR of
    /// the message; group 0, before any OBR, is nursing).
    mutating func resultGroup(
        _ group: Int, of message: Message, known: inout ResultGroupMemo
    ) -> ResultGroup {
        if known.group == group { return known.value }
        var made = ResultGroup(kind: .nursing, namesVascularAccess: false)
        if let obr = Self.obr(group, of: message) {
            let procedure = CodedValue(obr[4])
            let imaging = namesImaging(procedure.displayText)
            made.kind = ResultKind.section(obr) ?? (imaging ? .imaging : .nursing)
            made.namesVascularAccess = settings.signs.namesVascularAccess(procedure)
        }
        known = ResultGroupMemo(group: group, value: made)
        return made
    }

    /// The OBR that opens observation group `group` (1-based; group 0, before any OBR, has none).
    static func obr(_ group: Int, of message: Message) -> Segment? {
        guard group > 0 else { return nil }
        var index = 0
        for obr in message.segments("OBR") {
            index += 1
            if index == group { return obr }
        }
        return nil
    }

    /// Whether an observation is an IV, catheter, line, cannula, PIV/PICC/CVC or
    /// infusion-site assessment: its OBX-3 or the OBR-4 of its group says so
    /// (``SignRecognizer/namesVascularAccess(_:)``). Only such an observation is about a
    /// catheter when it names no site.
    /// `groups` keeps the group last read (a message's observations come group by group).
    mutating func isAboutCatheter(
        _ item: ObservationItem, row: ObservationRow, message: Message, groups: inout ResultGroupMemo
    ) -> Bool {
        row.namesVascularAccess || resultGroup(item.group, of: message, known: &groups).namesVascularAccess
    }

    /// Whether an observation or order name is an imaging study (X-ray, ultrasound, CT, MRI).
    static func namesImaging(_ text: String) -> Bool {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-") }
        return words.contains { word in
            [
                "x-ray", "xray", "xr", "radiograph", "radiography", "ultrasound", "sonography", "imaging",
                "radiology",
                "ct", "mri", "us",
            ].contains(String(word))
        }
    }

    /// Which observation an OBX is, for corrections: OBX-3 and OBX-4.
    static func observationKey(_ item: ObservationItem) -> String {
        let identifier = CodedValue(item.segment[3])
        return "\(identifier.code)|\(identifier.text)|\(item.subID)"
    }

    /// What an OBX's identifier and value type say, from the cache when seen before.
    mutating func observationFacts(_ obx: Segment) -> IdentifierFacts {
        if let known = observationCache.facts(obx) { return known }
        let identifier = CodedValue(obx[3])
        let valueType = obx[2].uppercasedValue ?? ""
        let element = identifier
        let alternate = (code: obx[3].component(4).value ?? "", text: obx[3].component(5).value ?? "")
        let alternateSystem = obx[3].component(6).value ?? ""
        var facts = IdentifierFacts(
            analyte: labAnalyte(identifier, alternate: alternate.code),
            namesImaging: Self.namesImaging(identifier.displayText), fixedRow: nil)
        // A configured code carries its unit (recognition by name does not).
        facts.isLabResult =
            facts.analyte?.unit != nil
            || (ResultKind.isLOINC(identifier.system) && ResultKind.namesSpecimen(identifier.text))
            || (ResultKind.isLOINC(alternateSystem) && ResultKind.namesSpecimen(alternate.text))
        facts.namesVascularAccess = settings.signs.namesVascularAccess(element)
        if !settings.signs.readsValues(identifier: element, valueType: valueType) {
            let reading = settings.signs.read(
                ObservationInput(valueType: valueType, identifier: element, values: []))
            facts.fixedRow = ObservationRow(facts: facts, reading: reading, namedSite: nil)
        }
        observationCache.store(facts, for: obx)
        return facts
    }

    /// What an OBX says: the facts of its identifier, its sign reading and, for a
    /// site-location observation, the site its value names (CWE-1..3, else the
    /// reading's site text); from the cache when the same row was read before.
    /// `bytes` are the OBX's message's, whose delimiters were given to the cache's
    /// ``ObservationCache/prepare(for:)``.
    mutating func observationRow(_ obx: Segment, bytes: [UInt8]) -> ObservationRow {
        let facts: IdentifierFacts
        switch observationCache.lookup(obx, bytes: bytes) {
        case .row(let cached): return cached
        case .facts(let known): facts = known
        case .unknown:
            facts = observationFacts(obx)
            if let fixed = facts.fixedRow { return fixed }
            // The facts may have been dropped (the table was full) while the row was kept.
            if let cached = observationCache.row(obx) { return cached }
        }
        let reading = settings.signs.read(Self.observationInput(obx))
        var namedSite: CanonicalSite? = nil
        var namedSide: Laterality? = nil
        if reading.isSiteLocation {
            let coded = CodedValue(obx[5].repetition(1))
            namedSite = settings.sites.site(code: coded.code, text: coded.text, codingSystem: coded.system)
            if namedSite == nil, let text = reading.siteText {
                namedSite = settings.sites.site(freeText: text)
            }
        } else if reading.isOrientation {
            namedSide = obx[5].repetitions.lazy.compactMap { Laterality(sideText: $0.string) }.first
        }
        let row = ObservationRow(facts: facts, reading: reading, namedSite: namedSite, namedSide: namedSide)
        observationCache.store(row, for: obx)
        return row
    }

    static func observationInput(_ obx: Segment) -> ObservationInput {
        let identifier = CodedValue(obx[3])
        let values = obx[5].repetitions.filter { !$0.isEmpty }.map { repetition in
            ObservationValue(text: repetition.string, components: repetition.components.map { $0.string })
        }
        return ObservationInput(
            valueType: obx[2].uppercasedValue ?? "",
            identifier: identifier,
            values: values)
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
