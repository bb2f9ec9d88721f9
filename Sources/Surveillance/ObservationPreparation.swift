import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// What an ORU^R01 documents, read without the state: lab results, lines charted and
/// observations that may assert signs, in message order. Most messages (vital signs)
/// document none of these.
struct PreparedObservations: Sendable {
    /// Whether the message documents a lab result, a line row or a reading at all (a
    /// message that documents none leaves a known patient's record as it is).
    var documentsAnything = false
    /// Lab results that make risk factors.
    var labs: [LabResult] = []
    /// Lines documented (insertions, site assessments of a line, infusion contents).
    var lines: [LineChart] = []
    /// Observations that may assert signs, calcinosis, a removal or a correction.
    var readings: [SignObservation] = []
}

/// A line documented in an ORU, at its site (``SurveillanceEngine/chartLines(_:in:)``).
struct LineChart: Sendable {
    /// Where the line is.
    var site: CanonicalSite
    /// OBX-14, else OBR-7, else MSH-7.
    var time: Instant
    /// Whether the row documents an insertion.
    var inserted: Bool
    /// The catalog entry of what the row says infuses through the line, when it names one.
    var infusedEntryID: String?
}

/// A nursing or imaging observation that may assert something about a site, with all
/// the engine needs to find its exposure.
struct SignObservation: Sendable {
    /// OBX-14, else OBR-7, else MSH-7.
    var time: Instant
    /// The acute signs it documents (none for an imaging study).
    var signs: Set<SignKind>
    /// Whether it documents a calcinosis finding.
    var calcinosisFinding: Bool
    /// Whether it documents a line removal (nursing rows only).
    var lineRemoval: Bool
    /// Whether it corrects what it documented before (OBX-11 `C`).
    var correction: Bool
    /// The site it names (``MessagePreparer/observedSite(_:namedSites:bytes:)``).
    var observedSite: CanonicalSite?
    /// Whether it is about a catheter: it names a site, or it is an IV, catheter, line
    /// or infusion-site assessment.
    var aboutCatheter: Bool
    /// Which observation it is, for corrections (OBX-3 and OBX-4).
    var key: String
    /// Whether the row or its OBR group names a catheter site.
    var catheterRow: Bool
}

extension MessagePreparer {
    // MARK: - ORU^R01

    /// Reads an ORU's observations: times (OBX-14, else OBR-7, else MSH-7; an invalid
    /// one rejects the message), labs, lines and readings.
    mutating func observations(_ message: Message, messageTime: Instant)
        -> Result<PreparedObservations, MessageRejection>
    {
        // The lists below are the preparer's, kept between messages with their capacity
        // (a message allocates none); they go back empty.
        var scratch = ObservationScratch()
        swap(&scratch, &observationScratch)
        defer {
            scratch.removeAll()
            swap(&scratch, &observationScratch)
        }
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

        // Labs are results. Of the other observations, those that may assert something
        // (or correct what they documented before) go on to the assessments (`readings`);
        // rows that may document a line (site locations, catheter rows, insertions,
        // contents) go to `lineRows`; named sites and sides are kept per OBR group and sub-ID.
        observationCache.prepare(for: message.delimiters)
        var prepared = PreparedObservations()
        for index in scratch.items.indices where scratch.items[index].status != .withdrawn {
            let row = observationRow(scratch.items[index].segment, bytes: messageBytes)
            scratch.items[index].row = row
            if let lab = row.analyte,
                let result = labResult(scratch.items[index], analyte: lab.analyte, unit: lab.unit)
            {
                prepared.labs.append(result)
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
        prepared.documentsAnything =
            !prepared.labs.isEmpty || !scratch.lineRows.isEmpty || !scratch.readings.isEmpty
        // A side charted in its own row joins the location of the same sub-ID.
        for (key, side) in scratch.namedSides.entries where scratch.namedSites[key]?.laterality == nil {
            scratch.namedSites[key]?.laterality = side
        }
        var catheterGroups = CatheterGroups()
        if !scratch.lineRows.isEmpty {
            prepared.lines = lineCharts(
                scratch.lineRows, of: scratch.items, namedSites: scratch.namedSites, groups: &catheterGroups,
                message: message)
        }
        if !scratch.readings.isEmpty {
            prepared.readings = signObservations(
                scratch.readings, of: scratch.items, namedSites: scratch.namedSites,
                catheterGroups: &catheterGroups, message: message)
        }
        return .success(prepared)
    }

    /// The lines documented by `rows` (positions in `items`, read: insertions, and site
    /// assessments of a line: rows whose identifier, or their group's OBR-4, names a
    /// catheter site), at their sites; rows naming no site are left out.
    mutating func lineCharts(
        _ rows: [Int], of items: [ObservationItem], namedSites: GroupValues<CanonicalSite>,
        groups: inout CatheterGroups, message: Message
    ) -> [LineChart] {
        var charts: [LineChart] = []
        let bytes = message.bytes
        // One site per OBR group and sub-ID: the rows of one line are usually together, so
        // the site of a key is looked up once (insertions and contents rows always).
        var lastKey: ObservationGroupKey? = nil
        for index in rows {
            let item = items[index]
            let reading = item.row!.reading
            guard !reading.isLineRemoval else { continue }
            let special = reading.isLineInsertion || reading.lineContents != nil
            guard
                special || reading.namesCatheterSite
                    || groups.namesCatheterSite(item.group, in: message, settings: settings)
            else { continue }
            let key = ObservationGroupKey(item)
            if !special {
                if key == lastKey { continue }
                lastKey = key
            }
            let site: CanonicalSite?
            if item.segment.fieldRange(20).isEmpty, let named = namedSites[key] {
                site = named
            } else if special || !Self.isProse(item.segment, bytes: bytes) {
                site = observedSite(item, namedSites: namedSites, bytes: bytes)
            } else {
                // A prose value of a catheter row is findings ("clean, dry, intact"), not
                // its site: OBX-20 and the row's label say where it is.
                site =
                    Self.hasValue(bytes, item.segment.fieldRange(20))
                    ? bodySite(item.segment, bytes: bytes) : identifierSite(item.segment, bytes: bytes)
            }
            guard let site else { continue }
            // Source 3: a row naming what infuses through the line (its catalog drug).
            let infused = reading.lineContents.flatMap { contents in
                catalogMatch(giveCode: CodedValue(code: "", text: contents, system: ""), components: [])?
                    .entry.id
            }
            charts.append(
                LineChart(
                    site: site, time: item.time, inserted: reading.isLineInsertion, infusedEntryID: infused))
        }
        return charts
    }

    /// The observations among `readings` (positions in `items`) that may assert
    /// something, read for their signs, site and observation key. Only nursing
    /// observations are read for acute signs: a lab result for risk factors only, an
    /// imaging report ("soft tissue swelling") for calcinosis only.
    mutating func signObservations(
        _ readings: [Int], of items: [ObservationItem], namedSites: GroupValues<CanonicalSite>,
        catheterGroups: inout CatheterGroups, message: Message
    ) -> [SignObservation] {
        var observations: [SignObservation] = []
        let messageBytes = message.bytes
        // What each OBR group is (nursing, lab, imaging), read for groups with something to say.
        var groups = ResultGroupMemo()
        for index in readings {
            let item = items[index]
            let row = item.row!
            let reading = row.reading
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
            // Without a site, only an IV/catheter/line assessment is about the catheter.
            let aboutCatheter =
                named != nil || isAboutCatheter(item, row: row, message: message, groups: &groups)
            let key = observationCache.observationKey(item.segment, bytes: messageBytes) {
                Self.observationKey(item)
            }
            observations.append(
                SignObservation(
                    time: item.time, signs: signs, calcinosisFinding: reading.calcinosisFinding,
                    lineRemoval: lineRemoval, correction: correction, observedSite: named,
                    aboutCatheter: aboutCatheter, key: key,
                    catheterRow: reading.namesCatheterSite
                        || catheterGroups.namesCatheterSite(item.group, in: message, settings: settings)))
        }
        return observations
    }
}

/// Whether the OBR groups of one ORU name a catheter site assessment in OBR-4 ("IV site
/// assessment", "PIV LDA"), read once per group and only when asked.
struct CatheterGroups {
    private var known: [(group: Int, names: Bool)] = []

    /// Whether OBR group `group` (1-based; 0 before any OBR) names a catheter site.
    mutating func namesCatheterSite(_ group: Int, in message: Message, settings: SurveillanceSettings) -> Bool
    {
        if let hit = known.first(where: { $0.group == group }) { return hit.names }
        var names = false
        if let obr = MessagePreparer.obr(group, of: message) {
            let coded = CodedValue(obr[4])
            names = settings.signs.namesCatheterSite(coded)
        }
        known.append((group, names))
        return names
    }
}
