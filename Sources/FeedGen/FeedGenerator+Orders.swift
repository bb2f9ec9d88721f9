// Pharmacy orders (RDE/OMP): timing, route and site.

extension FeedGenerator {
    // MARK: Pharmacy orders

    mutating func timing(_ o: Order) {
        if o.minutePrecision { w.dtmMinute(o.start) } else { w.dtm(o.start) }
    }

    mutating func timingEnd(_ o: Order) {
        if o.minutePrecision { w.dtmMinute(o.end) } else { w.dtm(o.end) }
    }

    mutating func repeatPattern(_ o: Order) {
        switch o.interval / HL7Time.hour {
        case 0: w.s("CONT^Continuous^L")
        case 6: w.s("Q6H^Every 6 hours^HL70335")
        case 8: w.s("Q8H^Every 8 hours^HL70335")
        case 12: w.s("Q12H^Every 12 hours^HL70335")
        default: w.s("QD^Every day^HL70335")
        }
    }

    mutating func tq1(_ o: Order) {
        w.seg("TQ1")
        w.f(1)
        w.s("1")
        w.f(3)
        repeatPattern(o)
        w.f(7)
        timing(o)
        if o.sendsEnd {
            w.f(8)
            timingEnd(o)
        }
        w.f(9)
        w.s(o.stat ? "S^Stat^HL70485" : "R^Routine^HL70485")
        w.end()
    }

    /// The v2.3/2.4 TQ data type (ORC-7, RXE-1): quantity^interval^duration^start^end^priority.
    mutating func legacyTiming(_ o: Order) {
        w.s("1^")
        switch o.interval / HL7Time.hour {
        case 0: w.s("CONTINUOUS")
        case 6: w.s("Q6H")
        case 8: w.s("Q8H")
        case 12: w.s("Q12H")
        default: w.s("QD")
        }
        w.s("^^")
        timing(o)
        w.hat()
        if o.sendsEnd { timingEnd(o) }
        w.s(o.stat ? "^S" : "^R")
    }

    mutating func orderSite(_ o: Order, _ p: Patient) {
        site(p.lines[o.line].site, form: o.siteForm)
    }

    mutating func writeOrder(_ slot: Int, order index: Int, control: OrderControl) {
        let p = patients[slot]
        let o = p.orders[index]
        let d = Vocab.drugs[o.drug]
        let v = o.flavour.version
        let app = o.flavour.app
        var appBytes: [UInt8] = []
        app.withUTF8Buffer { appBytes.append(contentsOf: $0) }
        switch o.flavour {
        case .rdeO11v251, .rdeO11v27, .rdeO11v26:
            begin(.pharmacyOrderRDE, version: v)
            msh(
                app: appBytes, facility: p.facility, short: "RDE^O11", long: "RDE^O11^RDE_O11", version: v,
                idStyle: 1)
        case .ompO09v26, .ompO09v28:
            begin(.pharmacyOrderOMP, version: v)
            msh(
                app: appBytes, facility: p.facility, short: "OMP^O09", long: "OMP^O09^OMP_O09", version: v,
                idStyle: 1)
        case .ormO01v23:
            begin(.pharmacyOrderORM, version: v)
            msh(
                app: appBytes, facility: p.facility, short: "ORM^O01", long: "ORM^O01^ORM_O01", version: v,
                idStyle: 1)
        case .rdeO01v24:
            begin(.pharmacyOrderRDEO01, version: v)
            msh(
                app: appBytes, facility: p.facility, short: "RDE^O01", long: "RDE^O01^RDE_O01", version: v,
                idStyle: 1)
        }
        pid(p, v)
        if rng.chance(0.5) {
            w.seg("AL1")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s(Texts.allergies[p.allergy])
            w.end()
        }
        if rng.chance(0.85) { pv1(p, v) }
        // ORC
        w.seg("ORC")
        w.f(1)
        switch control {
        case .new: w.s("NW")
        case .discontinue: w.s("DC")
        case .completed: w.s("SC")
        case .cancel: w.s("CA")
        case .change: w.s("XO")
        case .hold: w.s("HD")
        case .release: w.s("RL")
        }
        w.f(2)
        w.int(o.placer)
        w.s("^CPOE")
        if control != .new || rng.chance(0.7) {
            w.f(3)
            w.int(o.filler)
            w.s("^PHARM")
        }
        w.f(5)
        switch control {
        case .new: w.s(o.start > clock ? "SC" : "IP")
        case .discontinue: w.s("DC")
        case .completed: w.s("CM")
        case .cancel: w.s("CA")
        case .change, .release: w.s("IP")
        case .hold: w.s("HD")
        }
        if !v.atLeast25 {
            w.f(7)
            legacyTiming(o)
        }
        w.f(9)
        w.dtm(clock - Int64(rng.between(0, 120)))
        w.f(10)
        w.a(Vocab.pharmacists[o.prescriber % Vocab.pharmacists.count])
        w.f(12)
        w.a(Vocab.doctors[o.prescriber])
        w.f(13)
        location(unit: p.unit, room: p.room, bed: p.bed, p, v)
        let effective = control == .new ? rng.chance(0.3) : rng.chance(0.35)
        if effective {
            w.f(15)
            w.dtm(control == .new ? o.ordered : clock - minutes(0, 15))
        }
        switch control {
        case .discontinue:
            w.f(16)
            w.s(p.lines[o.line].removed ? "^IV site removed" : "^Therapy complete")
        case .cancel:
            w.f(16)
            w.s("^Entered in error")
        case .change:
            w.f(16)
            w.s("^IV site change")
        default: break
        }
        if v.atLeast25 && rng.chance(0.4) {
            w.f(21)
            w.s(Texts.facilityNames[p.facility])
        }
        w.end()
        let usesRXO = o.flavour == .ormO01v23 || o.flavour == .ompO09v26 || o.flavour == .ompO09v28
        if v.atLeast25 && (!o.tq1After || usesRXO) { tq1(o) }
        if usesRXO {
            w.seg("RXO")
            w.f(1)
            w.a(d.give)
            w.f(2)
            w.a(d.amount)
            w.f(4)
            w.a(d.units)
            w.f(5)
            w.a(d.form)
            w.f(7)
            w.s(d.continuous ? "^Infuse continuously, check site q1h" : "^Infuse over 60 minutes")
            w.f(9)
            w.s("N")
            if !d.rate.isEmpty {
                w.f(v.atLeast25 ? 21 : 21)
                w.a(d.rate)
                w.f(22)
                w.a(d.rateUnits)
            }
            w.end()
        } else {
            w.seg("RXE")
            if !v.atLeast25 {
                w.f(1)
                legacyTiming(o)
            }
            w.f(2)
            w.a(d.give)
            w.f(3)
            w.a(d.amount)
            w.f(5)
            w.a(d.units)
            w.f(6)
            w.a(d.form)
            w.f(7)
            w.s(d.continuous ? "^Infuse continuously, check site q1h" : "^Infuse over 60 minutes")
            w.f(10)
            w.s("1")
            w.f(11)
            w.s(d.continuous ? "BAG^bag^L" : "EA^each^L")
            w.f(14)
            w.a(Vocab.pharmacists[(o.prescriber + 1) % Vocab.pharmacists.count])
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
            if v.atLeast25 && o.tq1After { tq1(o) }
        }
        if rng.chance(0.15) {
            w.seg("NTE")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s("P")
            w.f(3)
            w.s(Texts.pharmacyNotes[rng.below(Texts.pharmacyNotes.count)])
            w.end()
        }
        w.seg("RXR")
        w.f(1)
        w.s(v == .v23 ? "IV" : "IV^Intravenous^HL70162")
        w.f(2)
        orderSite(o, p)
        w.f(3)
        w.s(
            Vocab.sites[p.lines[o.line].site].central
                ? "CVC^Central venous catheter^L" : "PIV^Peripheral IV^L")
        w.f(4)
        w.s(d.continuous ? "IVPUMP^IV pump^L" : "IVPB^IV piggyback^L")
        w.end()
        for c in d.components {
            w.seg("RXC")
            w.bar()
            w.a(c)
            w.end()
        }
    }
}
