import ClinicalEvents
import HL7

extension SurveillanceEngine {
    /// Risk factors of an assessment at `time`: age, and the latest result of each
    /// analyte taken within the look-back window before it.
    func riskFactors(of record: PatientRecord, at time: Instant) -> Set<RiskFactor> {
        var factors: Set<RiskFactor> = []
        if let birth = record.birthDate, isInfant(birthDate: birth, at: time) { factors.insert(.infant) }
        let windowStart = time.adding(seconds: -Int64(settings.labLookbackDays) * secondsPerDay)
        func latest(_ analyte: Analyte) -> LabResult? {
            var best: LabResult? = nil
            for result in record.labs
            where result.analyte == analyte && result.time >= windowStart && result.time <= time {
                if best == nil || result.time >= best!.time { best = result }
            }
            return best
        }
        let creatinine = latest(.creatinine)
        let phosphate = latest(.phosphate)
        // Total calcium only: ionized calcium never enters the Ca x P product.
        let calcium = latest(.calcium)
        if creatinine?.high == true { factors.insert(.renalFailure) }
        if phosphate?.high == true { factors.insert(.hyperphosphatemia) }
        // Hypocalcemia by either calcium, each against its own range.
        if calcium?.low == true || latest(.ionizedCalcium)?.low == true { factors.insert(.hypocalcemia) }
        if let calcium, let phosphate, let ca = calcium.milligramsPerDeciliter,
            let p = phosphate.milligramsPerDeciliter,
            abs(calcium.time.seconds - phosphate.time.seconds) <= Int64(settings.calciumPhosphateWindowHours)
                * 3600,
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
