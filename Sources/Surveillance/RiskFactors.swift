import ClinicalEvents
import HL7

extension SurveillanceEngine {
    /// Reads an OBX as a lab result of an analyte that makes risk factors (by code,
    /// else by name), or `nil` when it is not one or has no numeric value.
    func labResult(_ item: ObservationItem) -> LabResult? {
        let obx = item.segment
        let identifier = CodedValue(obx[3])
        let alternate = obx[3].component(4).value ?? ""
        var analyte: Analyte? = nil
        var unit: LabUnit? = nil
        let codes = settings.labCodes
        for (candidate, list) in [(Analyte.creatinine, codes.creatinine), (.phosphate, codes.phosphate), (.calcium, codes.calcium)] {
            if let code = list.first(where: { $0.code == identifier.code || (!alternate.isEmpty && $0.code == alternate) }) {
                analyte = candidate
                unit = code.unit
                break
            }
        }
        if analyte == nil { analyte = Self.analyte(named: identifier.displayText) }
        guard let analyte else { return nil }
        let valueType = obx[2].value?.uppercased() ?? ""
        let valueText = valueType == "SN" ? obx[5].component(2).value : obx[5].component(1).value
        guard let text = valueText, let value = HL7Number.parse(text) else { return nil }
        if let sent = obx[6].component(1).value.flatMap(LabUnit.init(text:)) ?? obx[6].component(2).value.flatMap(LabUnit.init(text:)) {
            unit = sent
        }
        let flags = obx[8].repetitions.compactMap { $0.value?.uppercased() }
        let range = obx[7].value.flatMap(ReferenceRange.init)
        let high = flags.contains { $0 == "H" || $0 == "HH" } || (range?.upper.map { value > $0 } ?? false)
        let low = flags.contains { $0 == "L" || $0 == "LL" } || (range?.lower.map { value < $0 } ?? false)
        return LabResult(analyte: analyte, value: value, unit: unit, high: high, low: low, time: item.time)
    }

    /// The fallback: recognition by name (`Calcium`, `Phosphorus`, `Phosphate`, `Creatinine`).
    static func analyte(named text: String) -> Analyte? {
        // Cheap first look (ASCII, case-insensitive): most observation names mention none of them.
        var folded = Array(text.utf8)
        for index in folded.indices where folded[index] >= 0x41 && folded[index] <= 0x5A { folded[index] |= 0x20 }
        guard contains(folded, "creatinine") || contains(folded, "phosph") || contains(folded, "calcium") else {
            return nil
        }
        let words = text.lowercased().split { !$0.isLetter }.map(String.init)
        // Not ionized calcium, not alkaline phosphatase, not urine or clearance studies.
        if words.contains(where: { ["ionized", "ionised", "urine", "clearance", "phosphatase", "ratio"].contains($0) }) {
            return nil
        }
        if words.contains("creatinine") { return .creatinine }
        if words.contains("phosphate") || words.contains("phosphorus") { return .phosphate }
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

    /// Risk factors of an assessment at `time`: age, and the latest result of each
    /// analyte taken within the look-back window before it.
    func riskFactors(of record: PatientRecord, at time: Instant) -> Set<RiskFactor> {
        var factors: Set<RiskFactor> = []
        if let birth = record.birthDate, isInfant(birthDate: birth, at: time) { factors.insert(.infant) }
        let windowStart = time.adding(seconds: -Int64(settings.labLookbackDays) * 86_400)
        func latest(_ analyte: Analyte) -> LabResult? {
            var best: LabResult? = nil
            for result in record.labs where result.analyte == analyte && result.time >= windowStart && result.time <= time {
                if best == nil || result.time >= best!.time { best = result }
            }
            return best
        }
        let creatinine = latest(.creatinine)
        let phosphate = latest(.phosphate)
        let calcium = latest(.calcium)
        if creatinine?.high == true { factors.insert(.renalFailure) }
        if phosphate?.high == true { factors.insert(.hyperphosphatemia) }
        if calcium?.low == true { factors.insert(.hypocalcemia) }
        if let calcium, let phosphate, let ca = calcium.milligramsPerDeciliter, let p = phosphate.milligramsPerDeciliter,
            abs(calcium.time.seconds - phosphate.time.seconds) <= Int64(settings.calciumPhosphateWindowHours) * 3600,
            ca * p >= 70
        {
            factors.insert(.caXPHigh)
        }
        return factors
    }

    /// Under two years old at `time` (birth date PID-7, in the configured zone).
    func isInfant(birthDate: String, at time: Instant) -> Bool {
        guard let birth = HL7Timestamp(String(birthDate.prefix(8))) else { return false }
        var day = birth.day
        if birth.month == 2 && day == 29 { day = 28 }
        let second = "\(birth.year + 2)" + Self.twoDigits(birth.month) + Self.twoDigits(day)
        guard let secondBirthday = settings.times.instant(second) else { return false }
        return time < secondBirthday
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
