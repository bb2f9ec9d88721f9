// Vital signs (ORU).

extension FeedGenerator {
    // MARK: Vital signs

    mutating func vitalOBX(
        _ set: inout Int, _ code: StaticString, value: Int, decimals: Int, units: StaticString,
        time: Int64, nurse: Int
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
        w.f(11)
        w.s("F")
        w.f(14)
        w.dtm(time)
        w.f(16)
        w.a(Vocab.nurses[nurse])
        w.f(18)
        w.s("MON")
        w.int(100 + nurse)
        w.s("^Bedside monitor^L")
        w.end()
    }

    mutating func writeVitals(_ slot: Int) {
        let p = patients[slot]
        let source = Vocab.vitalsSources[rng.weighted(Vocab.vitalsWeights)]
        let v = source.version
        begin(.vitalSigns, version: v)
        msh(
            app: source.app, facility: p.facility, short: "ORU^R01", long: "ORU^R01^ORU_R01", version: v,
            idStyle: 4)
        pid(p, v)
        pv1(p, v)
        let t = clock - minutes(0, 10)
        let nurse = rng.below(Vocab.nurses.count)
        let obs = takeObservation()
        w.seg("OBR")
        w.f(1)
        w.s("1")
        w.f(2)
        w.int(obs)
        w.s("^VS")
        w.f(3)
        w.int(obs)
        w.s("^MONITOR")
        w.f(4)
        w.s("85353-1^Vital signs panel^LN")
        w.f(7)
        w.dtm(t)
        w.f(25)
        w.s("F")
        w.end()
        var set = 1
        let young = p.group == .neonate || p.group == .infant
        vitalOBX(
            &set, "8867-4^Heart rate^LN", value: young ? rng.between(110, 170) : rng.between(60, 110),
            decimals: 0, units: "/min^per minute^UCUM", time: t, nurse: nurse)
        vitalOBX(
            &set, "9279-1^Respiratory rate^LN", value: young ? rng.between(30, 60) : rng.between(12, 24),
            decimals: 0, units: "/min^per minute^UCUM", time: t, nurse: nurse)
        vitalOBX(
            &set, "8310-5^Body temperature^LN", value: rng.between(362, 384), decimals: 1,
            units: "Cel^degree Celsius^UCUM", time: t, nurse: nurse)
        vitalOBX(
            &set, "59408-5^Oxygen saturation in Arterial blood by Pulse oximetry^LN",
            value: rng.between(88, 100), decimals: 0, units: "%^percent^UCUM", time: t, nurse: nurse)
        vitalOBX(
            &set, "8480-6^Systolic blood pressure^LN",
            value: young ? rng.between(55, 90) : rng.between(95, 150),
            decimals: 0, units: "mm[Hg]^millimeter of mercury^UCUM", time: t, nurse: nurse)
        vitalOBX(
            &set, "8462-4^Diastolic blood pressure^LN",
            value: young ? rng.between(30, 55) : rng.between(55, 95),
            decimals: 0, units: "mm[Hg]^millimeter of mercury^UCUM", time: t, nurse: nurse)
        if rng.chance(0.3) {
            vitalOBX(
                &set, "29463-7^Body weight^LN", value: p.weightGrams / 10, decimals: 2,
                units: "kg^kilogram^UCUM", time: t, nurse: nurse)
        }
    }
}
