// Catheter sites and nursing IV-site assessments (ORU flowsheet rows).

extension FeedGenerator {
    // MARK: Sites

    /// Writes a catheter site as a CWE: table 0163 coded, code only, free text or a
    /// local code, according to `form` (0...9).
    mutating func site(_ index: Int, form: Int) {
        let s = Vocab.sites[index]
        let code = s.code.isEmpty ? s.parentCode : s.code
        let text = s.code.isEmpty ? s.parentText : s.codeText
        if !code.isEmpty && form <= 4 {
            w.a(code)
            w.hat()
            w.a(text)
            w.s("^HL70163")
        } else if !code.isEmpty && form == 5 {
            w.a(code)
        } else if form == 9 {
            w.a(s.localCode)
            w.hat()
            w.a(s.freeTexts[rng.below(s.freeTexts.count)])
            w.s("^99SITE")
        } else {
            w.hat()
            w.a(s.freeTexts[rng.below(s.freeTexts.count)])
        }
    }

    /// The nurse's own spelling of a site (free text preferred for parts with no code).
    mutating func nursingSite(_ index: Int) {
        let s = Vocab.sites[index]
        if !s.code.isEmpty {
            site(index, form: rng.weighted([40, 0, 0, 0, 0, 5, 45, 0, 0, 10]))
        } else {
            site(index, form: rng.weighted([15, 0, 0, 0, 0, 0, 75, 0, 0, 10]))
        }
    }

    // MARK: Nursing IV-site assessments

    mutating func obxHead(_ set: inout Int, _ type: StaticString, _ id: StaticString, sub: Int) {
        w.seg("OBX")
        w.f(1)
        w.int(set)
        set += 1
        w.f(2)
        w.s(type)
        w.f(3)
        w.s(id)
        w.f(4)
        if sub > 0 { w.int(sub) }
        w.f(5)
    }

    mutating func obxTail(
        status: UInt8, time: Int64, nurse: Int, site20: Int, range: StaticString = "", method: Bool = false
    ) {
        if range.utf8CodeUnitCount > 0 {
            w.f(7)
            w.s(range)
        }
        w.f(11)
        w.b(status)
        w.f(14)
        w.dtm(time)
        w.f(16)
        w.a(Vocab.nurses[nurse])
        if method {
            w.f(17)
            w.s("VISPALP^Visual inspection and palpation^L")
        }
        if site20 >= 0 {
            w.f(20)
            nursingSite(site20)
        }
        w.end()
    }

    mutating func text(_ t: StaticString) { w.s(t) }

    mutating func writeAssessment(
        _ slot: Int, lines: [Int], level: Int, removing: Bool, observation: Int, observedAt: Int64,
        corrected: Bool, check: Int
    ) {
        let p = patients[slot]
        let source = Vocab.nursingSources[rng.weighted(Vocab.nursingWeights)]
        let v = source.version
        begin(.ivSiteAssessment, version: v)
        msh(
            app: source.app, facility: p.facility, short: "ORU^R01", long: "ORU^R01^ORU_R01", version: v,
            idStyle: 2)
        pid(p, v)
        if rng.chance(0.9) { pv1(p, v) }
        let nurse = rng.below(Vocab.nurses.count)
        if rng.chance(0.35) {
            w.seg("ORC")
            w.f(1)
            w.s("RE")
            w.f(2)
            w.int(observation)
            w.s("^NURS")
            w.f(3)
            w.int(observation)
            w.s("^FLOWSHEET")
            w.f(9)
            w.dtm(clock)
            w.f(10)
            w.a(Vocab.nurses[nurse])
            w.end()
        }
        let central = Vocab.sites[p.lines[lines[0]].site].central
        w.seg("OBR")
        w.f(1)
        w.s("1")
        w.f(2)
        w.int(observation)
        w.s("^NURS")
        w.f(3)
        w.int(observation)
        w.s("^FLOWSHEET")
        w.f(4)
        if check == 2 {
            w.s("SKINASSESS^Skin assessment^L")
        } else if central {
            w.s("CVCASSESS^Central line assessment^L")
        } else {
            w.s("IVASSESS^Peripheral IV assessment^L")
        }
        w.f(7)
        w.dtm(observedAt)
        w.f(16)
        w.a(Vocab.nurses[nurse])
        w.f(22)
        w.dtm(clock)
        w.f(25)
        w.s(corrected ? "C" : "F")
        w.end()

        let status: UInt8 = corrected ? 0x43 : 0x46
        let useSite20 = v.atLeast27 && rng.chance(0.35)
        let quick = level == 0 && !removing && check == 0 && rng.chance(0.3)
        let method = v.atLeast25 && rng.chance(0.5)
        var set = 1
        for (k, lineIndex) in lines.enumerated() {
            let line = p.lines[lineIndex]
            let sub = lines.count > 1 ? k + 1 : (rng.chance(0.8) ? 1 : 0)
            let s20 = useSite20 ? line.site : -1
            let omitSite = lines.count == 1 && (useSite20 ? rng.chance(0.5) : rng.chance(0.08))
            if !omitSite || check != 0 {
                obxHead(&set, "CWE", "IVSITELOC^IV site location^L", sub: sub)
                nursingSite(line.site)
                obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, method: method)
            }
            if check == 0 && rng.chance(0.3) {
                obxHead(&set, "CWE", "LINETYPE^IV line type^L", sub: sub)
                if Vocab.sites[line.site].central {
                    w.s("CVC^Central venous catheter^L")
                } else {
                    w.s("PIV^Peripheral IV ")
                    w.int(line.gauge)
                    w.s("G^L")
                }
                obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, method: method)
            }
            if check == 2 {
                obxHead(&set, "TX", "SKINFIND^Skin findings at site^L", sub: sub)
                let pool = rng.chance(0.5) ? Texts.calcinosis : Texts.healed
                w.s(pool[rng.below(pool.count)])
                obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, method: method)
                continue
            }
            let lvl = k == 0 ? level : 0
            if !quick {
                let erythema = lvl >= 2 || (lvl == 1 && rng.chance(0.5))
                obxHead(&set, "CWE", "ERYTHEMA^Erythema at IV site^L", sub: sub)
                w.s(erythema ? (rng.chance(0.8) ? "Y^Yes^HL70136" : "373066001^Yes^SCT") : "N^No^HL70136")
                obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, method: method)
                if rng.chance(0.4) || lvl >= 2 {
                    obxHead(&set, "CWE", "SWELLING^Swelling at IV site^L", sub: sub)
                    w.s(lvl >= 2 ? "Y^Yes^HL70136" : "N^No^HL70136")
                    obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, method: method)
                }
                obxHead(&set, "NM", "PAINSCORE^Pain score^L", sub: sub)
                w.int(lvl == 0 ? 0 : (lvl == 1 ? rng.between(0, 3) : rng.between(4, 8)))
                w.f(6)
                w.s("{score}")
                obxTail(
                    status: status, time: observedAt, nurse: nurse, site20: s20, range: "0-10", method: method
                )
            }
            obxHead(&set, "NM", "INFILTR^Infiltration grade^L", sub: sub)
            w.int(lvl >= 3 ? rng.between(2, 3) : 0)
            obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, range: "0-4", method: method)
            if !quick && check == 0 {
                obxHead(&set, "NM", "VIP^VIP phlebitis score^L", sub: sub)
                w.int(lvl >= 2 ? 3 : (lvl == 1 ? rng.between(1, 2) : (rng.chance(0.1) ? 1 : 0)))
                obxTail(
                    status: status, time: observedAt, nurse: nurse, site20: s20, range: "0-5", method: method)
            }
            // Free-text appearance.
            obxHead(&set, "TX", "IVSITE^IV site appearance^L", sub: sub)
            if check == 1 && lvl == 0 {
                w.s(Texts.postRemovalNormal[rng.below(Texts.postRemovalNormal.count)])
            } else {
                if rng.chance(0.15) {
                    let s = Vocab.sites[line.site]
                    w.a(s.freeTexts[rng.below(s.freeTexts.count)])
                    w.s(" PIV site: ")
                }
                switch lvl {
                case 0:
                    if w.lineEnd != .lf && rng.chance(options.loneLineFeedShare) {
                        let pair = Texts.twoLine[rng.below(Texts.twoLine.count)]
                        w.s(pair.0)
                        w.b(0x0A)
                        w.s(pair.1)
                    } else {
                        w.s(Texts.normal[rng.below(Texts.normal.count)])
                    }
                case 1: w.s(Texts.mild[rng.below(Texts.mild.count)])
                case 2: w.s(Texts.moderate[rng.below(Texts.moderate.count)])
                default: w.s(Texts.severe[rng.below(Texts.severe.count)])
                }
            }
            obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, method: method)
            if removing && k == 0 {
                obxHead(&set, rng.chance(0.6) ? "CWE" : "DTM", "IVREMOVED^IV catheter removed^L", sub: sub)
                if w.bytes[w.bytes.count - 2] == 0x4D {  // DTM
                    w.dtm(observedAt)
                } else {
                    w.s("Y^Yes^HL70136")
                }
                obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, method: method)
                obxHead(&set, "TX", "IVRMVNOTE^IV removal note^L", sub: sub)
                if line.signLevel > 0 || lvl > 0 {
                    w.s(Texts.removalForSigns[rng.below(Texts.removalForSigns.count)])
                } else {
                    w.s(Texts.removal[rng.below(Texts.removal.count)])
                }
                obxTail(status: status, time: observedAt, nurse: nurse, site20: s20, method: method)
            }
        }
        if rng.chance(0.005) {
            // Charted in error: a positive value flagged wrong or deleted.
            obxHead(&set, "CWE", "ERYTHEMA^Erythema at IV site^L", sub: lines.count > 1 ? 1 : 0)
            w.s("Y^Yes^HL70136")
            obxTail(status: rng.chance(0.5) ? 0x57 : 0x44, time: observedAt, nurse: nurse, site20: -1)
        }
        if rng.chance(0.2) {
            w.seg("NTE")
            w.f(1)
            w.s("1")
            w.f(2)
            w.s("L")
            w.f(3)
            w.s(Texts.nursingNotes[rng.below(Texts.nursingNotes.count)])
            w.end()
        }
        if rng.chance(0.1) {
            let line = p.lines[lines[0]]
            w.seg("ZNA")
            w.f(1)
            w.s("1")
            w.f(2)
            w.a(Vocab.nurses[nurse])
            w.f(3)
            w.s(Vocab.sites[line.site].central ? "CVC" : "PIV")
            w.f(4)
            w.int(line.gauge)
            w.s("G")
            w.f(5)
            w.dtm(line.inserted)
            w.f(6)
            w.int(Int((clock - line.inserted) / 3_600))
            w.s("^h")
            w.end()
        }
    }
}
