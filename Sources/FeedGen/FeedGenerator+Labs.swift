// Laboratory results (ORU).

extension FeedGenerator {
    // MARK: Labs

    /// One numeric lab OBX; `value` and the range are fixed-point with `decimals`.
    mutating func labOBX(
        _ set: inout Int, code: StaticString, value: Int, decimals: Int, units: StaticString, low: Int,
        high: Int,
        time: Int64, version: HL7Version
    ) {
        w.seg("OBX")
        w.f(1)
        w.int(set)
        set += 1
        w.f(2)
        w.s("NM")
        w.f(3)
        w.s(code)
        w.f(5)
        w.fixed(value, decimals: decimals)
        w.f(6)
        w.s(units)
        w.f(7)
        w.fixed(low, decimals: decimals)
        w.s("-")
        w.fixed(high, decimals: decimals)
        w.f(8)
        if value > high {
            w.s(value > high * 3 ? "HH" : "H")
        } else if value < low {
            w.s(value * 4 < low * 3 ? "LL" : "L")
        } else if rng.chance(0.6) {
            w.s("N")
        }
        w.f(11)
        w.s("F")
        w.f(14)
        w.dtm(time)
        if version.atLeast25 {
            w.f(19)
            w.dtm(clock - 300)
            w.f(23)
            w.s("Central Laboratory^L^^^^CLIA&2.16.840.1.113883.4.7&ISO^XX^^^05D0999999")
        }
        w.end()
    }

    mutating func writeLab(_ slot: Int) {
        let p = patients[slot]
        let source = Vocab.labSources[rng.weighted(Vocab.labWeights)]
        let v = source.version
        begin(.labResult, version: v)
        msh(
            app: source.app, facility: p.facility, short: "ORU^R01", long: "ORU^R01^ORU_R01", version: v,
            idStyle: 3)
        pid(p, v)
        pv1(p, v)
        let collected = clock - minutes(30, 150)
        let accession = takeObservation()
        w.seg("ORC")
        w.f(1)
        w.s("RE")
        w.f(2)
        w.int(accession)
        w.s("^CPOE")
        w.f(3)
        w.s("L")
        w.int(accession)
        w.s("^LAB")
        w.f(5)
        w.s("CM")
        w.f(9)
        w.dtm(clock)
        w.f(12)
        w.a(Vocab.doctors[p.attending])
        w.end()
        let panel = rng.weighted([55, 25, 20])
        w.seg("OBR")
        w.f(1)
        w.s("1")
        w.f(2)
        w.int(accession)
        w.s("^CPOE")
        w.f(3)
        w.s("L")
        w.int(accession)
        w.s("^LAB")
        w.f(4)
        switch panel {
        case 0:
            w.s(
                p.renal || rng.chance(0.5)
                    ? "24362-6^Renal function panel - Serum or Plasma^LN"
                    : "51990-0^Basic metabolic panel - Blood^LN")
        case 1: w.s("58410-2^CBC panel - Blood by Automated count^LN")
        default: w.s("24336-0^Gas panel - Arterial blood^LN")
        }
        w.f(7)
        w.dtm(collected)
        w.f(14)
        w.dtm(collected + 600)
        w.f(16)
        w.a(Vocab.doctors[p.attending])
        w.f(22)
        w.dtm(clock)
        w.f(24)
        w.s(panel == 1 ? "HM" : "CH")
        w.f(25)
        w.s("F")
        w.end()
        var set = 1
        let si = p.facility == 2
        let g = p.group
        switch panel {
        case 0:
            labOBX(
                &set, code: "2951-2^Sodium [Moles/volume] in Serum or Plasma^LN",
                value: rng.between(134, 146) * 10,
                decimals: 1, units: "mmol/L", low: 1350, high: 1450, time: collected, version: v)
            labOBX(
                &set, code: "2823-3^Potassium [Moles/volume] in Serum or Plasma^LN",
                value: p.renal ? rng.between(50, 66) : rng.between(35, 50), decimals: 1, units: "mmol/L",
                low: 35, high: 51, time: collected, version: v)
            labOBX(
                &set, code: "2075-0^Chloride [Moles/volume] in Serum or Plasma^LN",
                value: rng.between(97, 108),
                decimals: 0, units: "mmol/L", low: 98, high: 107, time: collected, version: v)
            labOBX(
                &set, code: "3094-0^Urea nitrogen [Mass/volume] in Serum or Plasma^LN",
                value: p.renal ? rng.between(35, 95) : rng.between(5, 19), decimals: 0, units: "mg/dL",
                low: 7, high: 20, time: collected, version: v)
            // Creatinine.
            let creatRange: (Int, Int) = [(30, 100), (20, 50), (30, 70), (60, 120)][g.rawValue]
            let creat =
                p.renal
                ? rng.between(creatRange.1 * 2, creatRange.1 * 5)
                : rng.between(creatRange.0, creatRange.1 * 9 / 10)
            if si {
                labOBX(
                    &set, code: "14682-9^Creatinine [Moles/volume] in Serum or Plasma^LN",
                    value: (creat * 884 + 500) / 1_000, decimals: 0, units: "umol/L",
                    low: (creatRange.0 * 884 + 500) / 1_000, high: (creatRange.1 * 884 + 500) / 1_000,
                    time: collected, version: v)
            } else {
                labOBX(
                    &set, code: "2160-0^Creatinine [Mass/volume] in Serum or Plasma^LN", value: creat,
                    decimals: 2,
                    units: "mg/dL", low: creatRange.0, high: creatRange.1, time: collected, version: v)
            }
            labOBX(
                &set, code: "2345-7^Glucose [Mass/volume] in Serum or Plasma^LN", value: rng.between(62, 160),
                decimals: 0, units: "mg/dL", low: 70, high: 99, time: collected, version: v)
            // Calcium.
            let caRange: (Int, Int) = [(76, 104), (88, 108), (88, 108), (86, 103)][g.rawValue]
            let ca = p.renal ? rng.between(58, 80) : rng.between(caRange.0, caRange.1)
            if si {
                labOBX(
                    &set, code: "2000-8^Calcium [Moles/volume] in Serum or Plasma^LN",
                    value: (ca * 10_000 + 2_004) / 4_008, decimals: 2, units: "mmol/L",
                    low: (caRange.0 * 10_000 + 2_004) / 4_008, high: (caRange.1 * 10_000 + 2_004) / 4_008,
                    time: collected, version: v)
            } else {
                labOBX(
                    &set, code: "17861-6^Calcium [Mass/volume] in Serum or Plasma^LN", value: ca, decimals: 1,
                    units: "mg/dL", low: caRange.0, high: caRange.1, time: collected, version: v)
            }
            // Phosphate.
            let phRange: (Int, Int) = [(45, 90), (45, 67), (37, 56), (25, 45)][g.rawValue]
            let ph =
                p.renal ? rng.between(phRange.1 * 13 / 10, phRange.1 * 2) : rng.between(phRange.0, phRange.1)
            if si {
                labOBX(
                    &set, code: "14879-1^Phosphate [Moles/volume] in Serum or Plasma^LN",
                    value: (ph * 10_000 + 1_548) / 3_097, decimals: 2, units: "mmol/L",
                    low: (phRange.0 * 10_000 + 1_548) / 3_097, high: (phRange.1 * 10_000 + 1_548) / 3_097,
                    time: collected, version: v)
            } else {
                labOBX(
                    &set, code: "2777-1^Phosphate [Mass/volume] in Serum or Plasma^LN", value: ph,
                    decimals: 1,
                    units: "mg/dL", low: phRange.0, high: phRange.1, time: collected, version: v)
            }
            if rng.chance(0.3) {
                labOBX(
                    &set, code: "1751-7^Albumin [Mass/volume] in Serum or Plasma^LN",
                    value: rng.between(28, 50),
                    decimals: 1, units: "g/dL", low: 35, high: 50, time: collected, version: v)
            }
        case 1:
            labOBX(
                &set, code: "6690-2^Leukocytes [#/volume] in Blood by Automated count^LN",
                value: rng.between(40, 190), decimals: 1, units: "10*3/uL", low: 45, high: 135,
                time: collected,
                version: v)
            labOBX(
                &set, code: "718-7^Hemoglobin [Mass/volume] in Blood^LN", value: rng.between(80, 170),
                decimals: 1,
                units: "g/dL", low: 115, high: 155, time: collected, version: v)
            labOBX(
                &set, code: "4544-3^Hematocrit [Volume Fraction] of Blood by Automated count^LN",
                value: rng.between(24, 52), decimals: 0, units: "%", low: 35, high: 45, time: collected,
                version: v)
            labOBX(
                &set, code: "777-3^Platelets [#/volume] in Blood by Automated count^LN",
                value: rng.between(90, 450), decimals: 0, units: "10*3/uL", low: 150, high: 400,
                time: collected,
                version: v)
        default:
            labOBX(
                &set, code: "2744-1^pH of Arterial blood^LN", value: rng.between(718, 748), decimals: 2,
                units: "[pH]", low: 735, high: 745, time: collected, version: v)
            labOBX(
                &set, code: "2019-8^Carbon dioxide [Partial pressure] in Arterial blood^LN",
                value: rng.between(30, 60), decimals: 0, units: "mm[Hg]", low: 35, high: 45, time: collected,
                version: v)
            labOBX(
                &set, code: "2703-7^Oxygen [Partial pressure] in Arterial blood^LN",
                value: rng.between(55, 140),
                decimals: 0, units: "mm[Hg]", low: 80, high: 100, time: collected, version: v)
            labOBX(
                &set, code: "1988-5^C reactive protein [Mass/volume] in Serum or Plasma^LN",
                value: rng.between(1, 180), decimals: 1, units: "mg/L", low: 0, high: 50, time: collected,
                version: v)
        }
        if rng.chance(0.12) {
            w.seg("NTE")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s("L")
            w.f(3)
            w.s(Texts.labNotes[rng.below(Texts.labNotes.count)])
            w.end()
        }
        if v.atLeast25 && rng.chance(0.5) {
            w.seg("SPM")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s("^S")
            w.int(accession)
            w.s("&LAB")
            w.f(4)
            w.s(panel == 1 ? "BLD^Whole blood^HL70487" : "SER^Serum^HL70487")
            w.f(17)
            w.dtm(collected)
            w.f(18)
            w.dtm(collected + 600)
            w.end()
        }
    }
}
