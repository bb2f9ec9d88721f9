import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

extension MessagePreparer {
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

    // MARK: - Sites an observation names

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

    /// Whether an observation or order name is an imaging study (``namesImaging(_:)``), memoized.
    mutating func namesImaging(_ text: String) -> Bool {
        imagingMemo.value(text) { Self.namesImaging(text) }
    }

    // MARK: - Bytes

    /// Whether an OBX's value type (OBX-2) is prose: `ST`, `TX` or `FT`.
    static func isProse(_ obx: Segment, bytes: [UInt8]) -> Bool {
        let range = obx.fieldRange(2)
        guard range.count == 2 else { return false }
        switch (bytes[range.lowerBound] | 0x20, bytes[range.lowerBound + 1] | 0x20) {
        case (0x73, 0x74), (0x74, 0x78), (0x66, 0x74): return true  // st, tx, ft
        default: return false
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
}
