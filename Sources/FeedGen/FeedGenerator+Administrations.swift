// Administrations (RAS/RDS, MAR).

extension FeedGenerator {
    // MARK: Administrations

    /// `action`: 0 original (A), 1 update (U), 2 delete (D).
    mutating func writeAdministration(
        _ slot: Int, order index: Int, sub: Int, start: Int64, end: Int64, action: Int
    ) {
        let p = patients[slot]
        let o = p.orders[index]
        let d = Vocab.drugs[o.drug]
        let legacy = !o.flavour.version.atLeast25
        let source = Vocab.emarSources[rng.weighted(Vocab.emarWeights)]
        let v = legacy ? o.flavour.version : source.version
        if legacy {
            begin(.administrationO01, version: v)
            msh(
                app: u8Emar, facility: p.facility, short: "RAS^O01", long: "RAS^O01^RAS_O01", version: v,
                idStyle: 5)
        } else {
            begin(.administration, version: v)
            msh(
                app: source.app, facility: p.facility, short: "RAS^O17", long: "RAS^O17^RAS_O17", version: v,
                idStyle: 5)
        }
        pid(p, v)
        if rng.chance(0.95) { pv1(p, v) }
        let nurse = rng.below(Vocab.nurses.count)
        w.seg("ORC")
        w.f(1)
        w.s("RE")
        w.f(2)
        w.int(o.placer)
        w.s("^CPOE")
        w.f(3)
        w.int(o.filler)
        w.s("^PHARM")
        w.f(5)
        w.s("IP")
        w.f(9)
        w.dtm(clock)
        w.f(10)
        w.a(Vocab.nurses[nurse])
        w.f(12)
        w.a(Vocab.doctors[o.prescriber])
        w.end()
        if !legacy && rng.chance(0.4) { tq1(o) }
        if !legacy && rng.chance(0.5) {
            // The encoding group: RXE, RXR, RXC of the order.
            w.seg("RXE")
            w.f(2)
            w.a(d.give)
            w.f(3)
            w.a(d.amount)
            w.f(5)
            w.a(d.units)
            w.f(6)
            w.a(d.form)
            w.f(15)
            w.s("RX")
            w.int(o.filler)
            if !d.rate.isEmpty {
                w.f(23)
                w.a(d.rate)
                w.f(24)
                w.a(d.rateUnits)
            }
            w.end()
            w.seg("RXR")
            w.f(1)
            w.s("IV^Intravenous^HL70162")
            w.f(2)
            orderSite(o, p)
            w.end()
            for c in d.components {
                w.seg("RXC")
                w.bar()
                w.a(c)
                w.end()
            }
        }
        var stop = end
        if action == 1 || stop == 0 {
            stop = start + (o.interval == 0 ? hours(8, 24) : minutes(30, 90))
        }
        let completion = action == 0 ? rng.weighted([93, 4, 3]) : 0
        w.seg("RXA")
        w.f(1)
        w.s("0")
        w.f(2)
        w.int(sub)
        w.f(3)
        w.dtm(start)
        if rng.chance(0.85) || action == 1 {
            w.f(4)
            w.dtm(stop)
        }
        w.f(5)
        w.a(d.give)
        w.f(6)
        if completion == 0 { w.a(d.amount) } else { w.s("0") }
        w.f(7)
        w.a(d.units)
        w.f(8)
        w.a(d.form)
        w.f(9)
        w.s(d.continuous ? "^Bag hung, pump verified" : "^Given via IV piggyback")
        w.f(10)
        w.a(Vocab.nurses[nurse])
        w.f(11)
        location(unit: p.unit, room: p.room, bed: p.bed, p, v)
        if completion == 2 {
            w.f(18)
            w.s("00^Parental decision^NIP002")
        }
        w.f(20)
        switch completion {
        case 1: w.s("NA")
        case 2: w.s("RE")
        default: w.s("CP")
        }
        w.f(21)
        switch action {
        case 1: w.s("U")
        case 2: w.s("D")
        default: w.s("A")
        }
        if v != .v23 {
            w.f(22)
            w.dtm(clock)
        }
        w.end()
        w.seg("RXR")
        w.f(1)
        w.s(v == .v23 ? "IV" : "IV^Intravenous^HL70162")
        w.f(2)
        orderSite(o, p)
        w.end()
        if !legacy && !d.rate.isEmpty && completion == 0 && rng.chance(0.7) {
            w.seg("OBX")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s("NM")
            w.f(3)
            w.s("RATE^Infusion rate^L")
            w.f(5)
            w.a(d.rate)
            w.f(6)
            w.a(d.rateUnits)
            w.f(11)
            w.s("F")
            w.f(14)
            w.dtm(start)
            w.f(16)
            w.a(Vocab.nurses[nurse])
            w.f(18)
            w.s("PUMP")
            w.int(1000 + Int(o.placer % 900))
            w.s("^Infusion pump^L")
            w.end()
        }
    }

    var u8Emar: [UInt8] { [0x45, 0x4D, 0x41, 0x52] }
}
