// ADT messages: admit, transfer, discharge, update, merge.

extension FeedGenerator {
    // MARK: ADT

    mutating func writeADT(_ slot: Int, event: ADTEvent) {
        let p = patients[slot]
        let source = Vocab.adtSources[rng.weighted(Vocab.adtWeights)]
        let v = source.version
        let (kind, trigger, short, long): (FeedMessageKind, StaticString, StaticString, StaticString)
        switch event {
        case .admit: (kind, trigger, short, long) = (.admit, "A01", "ADT^A01", "ADT^A01^ADT_A01")
        case .transfer: (kind, trigger, short, long) = (.transfer, "A02", "ADT^A02", "ADT^A02^ADT_A02")
        case .discharge: (kind, trigger, short, long) = (.discharge, "A03", "ADT^A03", "ADT^A03^ADT_A03")
        case .update: (kind, trigger, short, long) = (.update, "A08", "ADT^A08", "ADT^A08^ADT_A01")
        case .merge: (kind, trigger, short, long) = (.merge, "A40", "ADT^A40", "ADT^A40^ADT_A39")
        }
        begin(kind, version: v)
        msh(app: source.app, facility: p.facility, short: short, long: long, version: v, idStyle: 0)
        evn(trigger, v)
        if event == .merge {
            pid(p, v, mrn: p.mrn)
            w.seg("MRG")
            w.f(1)
            cx(mrn: p.tempMRN, p)
            w.f(3)
            w.int(p.account)
            w.f(7)
            w.a(Vocab.familyNames[p.family])
            if p.baby {
                w.s(p.female ? "^BABYGIRL" : "^BABYBOY")
            } else {
                w.hat()
                w.a(Vocab.givenNames[p.given])
            }
            w.end()
            if rng.chance(0.5) { pv1(p, v) }
            return
        }
        pid(p, v)
        if event == .admit || rng.chance(0.3) {
            w.seg("PD1")
            w.f(3)
            w.s(p.group == .adult ? "Riverside Family Practice^L^4460" : "Riverside Pediatrics^L^4455")
            w.f(4)
            w.a(Vocab.doctors[(p.attending + 5) % Vocab.doctors.count])
            w.end()
        }
        if event == .admit && p.group != .adult {
            w.seg("NK1")
            w.f(1)
            w.s("1")
            w.f(2)
            w.a(Vocab.familyNames[p.motherFamily])
            w.hat()
            w.a(Vocab.givenNames[p.motherGiven])
            w.f(3)
            w.s("MTH^Mother^HL70063")
            w.f(5)
            w.s("^PRN^PH^^1^555^")
            w.int(p.phone + 17)
            w.f(7)
            w.s("EC^Emergency Contact^HL70131")
            w.end()
        }
        pv1(p, v, prior: event == .transfer, discharged: event == .discharge)
        if event == .admit || event == .update {
            if rng.chance(0.5) {
                w.seg("PV2")
                w.f(3)
                w.s(Texts.diagnoses[p.diagnosis])
                w.f(8)
                w.date(p.dischargeTime)
                w.end()
            }
            if rng.chance(0.6) {
                w.seg("OBX")
                w.f(1)
                w.s("1")
                w.f(2)
                w.s("NM")
                w.f(3)
                w.s("29463-7^Body weight^LN")
                w.f(5)
                w.fixed(p.weightGrams / 10, decimals: 2)
                w.f(6)
                w.s("kg^kilogram^UCUM")
                w.f(11)
                w.s("F")
                w.f(14)
                w.dtm(clock)
                w.end()
            }
            w.seg("AL1")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s(Texts.allergies[p.allergy])
            w.end()
        }
        if event == .admit || event == .discharge {
            w.seg("DG1")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s("I10")
            w.f(3)
            w.s(Texts.diagnoses[p.diagnosis])
            w.f(5)
            w.dtm(p.admitTime)
            w.f(6)
            w.s(event == .admit ? "A" : "F")
            w.end()
            if p.renal {
                w.seg("DG1")
                w.f(1)
                w.s("2")
                w.f(3)
                w.s(
                    p.group == .adult
                        ? "N18.6^End stage renal disease^I10" : "N17.9^Acute kidney failure, unspecified^I10")
                w.f(6)
                w.s("W")
                w.end()
            }
        }
        if event == .admit && rng.chance(0.6) {
            w.seg("IN1")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s(p.group == .adult ? "MCR^Medicare^L" : "MCD^Medicaid^L")
            w.f(3)
            w.s("INS")
            w.int(100 + p.city)
            w.f(4)
            w.s(p.group == .adult ? "Medicare Part A" : "State Medicaid Plan")
            w.f(16)
            w.a(Vocab.familyNames[p.motherFamily])
            w.hat()
            w.a(Vocab.givenNames[p.group == .adult ? p.given : p.motherGiven])
            w.f(17)
            w.s(p.group == .adult ? "SEL^Self^HL70063" : "MTH^Mother^HL70063")
            w.end()
        }
    }
}
