import ClinicalEvents
import HL7

/// Lab results as the engine reads them from an OBX: the analyte its identifier names
/// (by configured code, else by name), the value, the unit and whether it is out of range.
extension MessagePreparer {
    /// The analyte an observation identifier names, among those that make risk factors
    /// (by configured code in component 1 or the alternate code `alternate`, with the
    /// code's unit; else by name, without a unit), or `nil`.
    func labAnalyte(_ identifier: CodedValue, alternate: String) -> (analyte: Analyte, unit: LabUnit?)? {
        let codes = settings.labCodes
        for (candidate, list) in [
            (Analyte.creatinine, codes.creatinine), (.phosphate, codes.phosphate), (.calcium, codes.calcium),
            (.ionizedCalcium, codes.ionizedCalcium),
        ] {
            if let code = list.first(where: {
                $0.code == identifier.code || (!alternate.isEmpty && $0.code == alternate)
            }) {
                return (candidate, code.unit)
            }
        }
        return Self.analyte(named: identifier.displayText).map { ($0, nil) }
    }

    /// Reads an OBX whose identifier names `analyte` (see ``labAnalyte(_:alternate:)``)
    /// as a lab result, or `nil` when it has no numeric value.
    mutating func labResult(_ item: ObservationItem, analyte: Analyte, unit configuredUnit: LabUnit?)
        -> LabResult?
    {
        let obx = item.segment
        var unit = configuredUnit
        let valueType = obx[2].uppercasedValue ?? ""
        let valueText = valueType == "SN" ? obx[5].component(2).value : obx[5].component(1).value
        guard let text = valueText, let value = HL7Number.parse(text) else { return nil }
        if let text = obx[6].component(1).value, let sent = labUnit(text) {
            unit = sent
        } else if let text = obx[6].component(2).value, let sent = labUnit(text) {
            unit = sent
        }
        let flags = obx[8].repetitions.compactMap { $0.uppercasedValue }
        let range = obx[7].value.flatMap { text in rangeMemo.value(text) { ReferenceRange(text) } }
        let high = flags.contains { $0 == "H" || $0 == "HH" } || (range?.upper.map { value > $0 } ?? false)
        let low = flags.contains { $0 == "L" || $0 == "LL" } || (range?.lower.map { value < $0 } ?? false)
        return LabResult(analyte: analyte, value: value, unit: unit, high: high, low: low, time: item.time)
    }

    /// The unit a unit text names (``LabUnit/init(text:)``), memoized.
    mutating func labUnit(_ text: String) -> LabUnit? {
        unitMemo.value(text) { LabUnit(text: text) }
    }

    /// The fallback: recognition by name (`Calcium`, `Phosphorus`, `Phosphate`,
    /// `Creatinine`; ionized calcium by `ionized`/`ionised` with calcium, or `iCa`).
    static func analyte(named text: String) -> Analyte? {
        // Cheap first look (ASCII, case-insensitive): most observation names mention none of them.
        var folded = Array(text.utf8)
        for index in folded.indices where folded[index] >= 0x41 && folded[index] <= 0x5A {
            folded[index] |= 0x20
        }
        guard
            contains(folded, "creatinine") || contains(folded, "phosph") || contains(folded, "calcium")
                || contains(folded, "ica") || contains(folded, "ionized") || contains(folded, "ionised")
        else {
            return nil
        }
        let words = text.lowercased().split { !$0.isLetter }.map(String.init)
        // Not alkaline phosphatase, not urine or clearance studies.
        if words.contains(where: { ["urine", "clearance", "phosphatase", "ratio"].contains($0) }) {
            return nil
        }
        if words.contains("creatinine") { return .creatinine }
        if words.contains("phosphate") || words.contains("phosphorus") { return .phosphate }
        let ionized = words.contains("ionized") || words.contains("ionised")
        if words.contains("ica") || (ionized && (words.contains("ca") || words.contains("calcium"))) {
            return .ionizedCalcium
        }
        if words.contains("calcium") { return .calcium }
        return nil
    }

    private static func contains(_ haystack: [UInt8], _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard haystack.count >= count else { return false }
        let pointer = needle.utf8Start
        outer: for start in 0...(haystack.count - count) {
            for offset in 0..<count where haystack[start + offset] != pointer[offset] { continue outer }
            return true
        }
        return false
    }
}
