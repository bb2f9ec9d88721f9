// Message builders: each writes one complete message (standard delimiters) into `w`.

enum ADTEvent {
    case admit, transfer, discharge, update, merge
}

enum OrderControl {
    case new, discontinue, completed, cancel, change, hold, release
}

enum Texts {
    /// Normal findings, often negated sign words, some with escape sequences.
    static let normal: [StaticString] = [
        "Site clean, dry and intact. No redness or swelling.",
        "no redness, denies pain, without swelling or edema",
        "Negative for erythema. Flushes without resistance.",
        "CDI, no erythema, no edema, no tenderness",
        "Dressing clean \\T\\ dry; no swelling",
        "Site WNL.\\.br\\No redness, no swelling, no pain.",
        "Flushed \\T\\ patent, good blood return. No infiltration.",
        "Site without redness or swelling",
        "Pt denies pain at site. No leakage.",
        "Transparent dressing intact\\X0D0A\\No redness noted",
        "IV team note \\F\\ site ok, no redness",
        "See protocol IV\\E\\PIV-04. No erythema.",
        "FLACC 0\\S\\10, no swelling",
        "Site assessed q1h\\.br\\No signs of infiltration or phlebitis",
        "no erythema or edema noted. Pt sleeping comfortably",
        "Infusing well, site intact, negative for erythema",
    ]

    /// Pairs written around a raw LF inside the value.
    static let twoLine: [(StaticString, StaticString)] = [
        ("Dressing changed.", "No redness or swelling."),
        ("Site checked with parent at bedside", "no redness, no swelling"),
        ("Flushed 1 mL NS", "site intact, no edema"),
    ]

    static let mild: [StaticString] = [
        "mild redness at site, no swelling",
        "slight erythema around insertion site",
        "Site tender to touch, no redness",
        "Pt grimaces on flush, site painful",
        "faint redness along vein, pt denies pain",
    ]

    static let moderate: [StaticString] = [
        "red and swollen, pt crying",
        "Erythema noted around insertion site, tender to touch",
        "Redness 2 cm above site\\.br\\Swelling noted. MD notified.",
        "Site puffy and red, pt crying with flush",
        "Edematous and erythematous around site \\T\\ tender",
    ]

    static let severe: [StaticString] = [
        "blanched, cool to touch",
        "leaking at site, wet dressing",
        "Site swollen, firm and cool. Infusion stopped, IV team notified.",
        "blister noted at insertion site, skin blanched",
        "indurated area 3 cm, pale and cold",
        "Skin dusky with necrotic area at site",
    ]

    static let removal: [StaticString] = [
        "PIV removed, catheter intact, pressure applied.",
        "Line removed per protocol \\T\\ site cleaned",
        "IV removed at parent request, tip intact",
        "Catheter discontinued, gauze applied",
    ]

    static let removalForSigns: [StaticString] = [
        "IV removed due to redness and swelling",
        "PIV pulled for infiltration, limb elevated",
        "Catheter removed, site red, warm compress declined per protocol",
    ]

    static let postRemovalNormal: [StaticString] = [
        "Old PIV site healing, no redness",
        "former IV site: no swelling, no drainage",
        "Previous site clean and dry",
    ]

    static let calcinosis: [StaticString] = [
        "white-yellow papule at old IV site",
        "chalky nodule noted at former PIV site",
        "nodular plaque at old site, ? calcinosis",
        "X-ray: radio-opaque deposits in soft tissue at prior IV site",
    ]

    static let healed: [StaticString] = [
        "Old IV site healed, skin intact",
        "former PIV site: no redness, no swelling",
    ]

    static let nursingNotes: [StaticString] = [
        "Parent at bedside, updated on plan of care.",
        "Line flushed with 1 mL NS q6h per protocol",
        "IV team consulted for difficult access",
        "Site photographed \\T\\ uploaded to media tab",
        "Splint and armboard in place",
    ]

    static let pharmacyNotes: [StaticString] = [
        "Pharmacist verified dose \\T\\ compatibility",
        "Peripheral administration: monitor site q1h",
        "Central line preferred. Do not mix with phosphate.",
        "Dose adjusted for renal function",
    ]

    static let labNotes: [StaticString] = [
        "Specimen slightly hemolyzed, interpret K with caution",
        "Results called to RN and read back",
        "Critical value notified to MD at bedside",
    ]

    static let races: [StaticString] = [
        "2106-3^White^CDCREC", "2054-5^Black or African American^CDCREC", "2028-9^Asian^CDCREC",
        "2131-1^Other Race^CDCREC", "1002-5^American Indian or Alaska Native^CDCREC",
    ]

    static let allergies: [StaticString] = [
        "DA|^NKA^No known allergies", "DA|70618^Penicillin^RXNORM|MO|Hives",
        "DA|2670^Codeine^RXNORM|MI|Nausea", "FA|LATEX^Latex^L|SV|Anaphylaxis",
        "DA|10180^Sulfamethoxazole^RXNORM|MO|Rash", "FA|^Peanut|SV|Anaphylaxis",
    ]

    static let diagnoses: [StaticString] = [
        "N17.9^Acute kidney failure, unspecified^I10", "P07.35^Preterm newborn, gestational age 32 weeks^I10",
        "E83.51^Hypocalcemia^I10", "A41.9^Sepsis, unspecified organism^I10",
        "J18.9^Pneumonia, unspecified organism^I10", "N18.6^End stage renal disease^I10",
        "P59.9^Neonatal jaundice, unspecified^I10", "K56.7^Ileus, unspecified^I10",
    ]

    /// Indexes into `diagnoses` plausible for each age group.
    static let diagnosesByGroup: [[Int]] = [
        [1, 2, 3, 6], [0, 2, 3, 4, 7], [0, 3, 4, 7], [0, 2, 3, 4, 5, 7],
    ]

    static let facilityNames: [StaticString] = [
        "Children's Medical Center", "Main Hospital", "North Campus",
    ]
}

extension FeedGenerator {
    // MARK: Envelope

    /// Starts a message: resets the writer, picks terminators and framing.
    mutating func begin(_ kind: FeedMessageKind, version: HL7Version) {
        counts[kind.rawValue] += 1
        currentVersion = version
        w.bytes.removeAll(keepingCapacity: true)
        var style = options.terminator
        if style == .mixed {
            style = [SegmentTerminatorStyle.cr, .lf, .crlf, .mllp][rng.below(4)]
        }
        framing = style
        switch style {
        case .lf: w.lineEnd = .lf
        case .crlf: w.lineEnd = .crlf
        default: w.lineEnd = .cr
        }
    }

    /// MSH with MSH-9 `short` (v2.3) or `long` (with message structure).
    mutating func msh(
        app: [UInt8], facility: Int, short: StaticString, long: StaticString, version: HL7Version,
        idStyle: Int
    ) {
        w.seg("MSH")
        w.s("|^~\\&")
        w.field = 2
        w.f(3)
        w.a(app)
        w.f(4)
        w.a(Vocab.facilities[facility].name)
        w.f(5)
        w.a(Vocab.receivers[Int(controlBase + messagesGenerated) % Vocab.receivers.count])
        w.field = 6
        w.f(7)
        var t = clock
        if rng.chance(options.lateMessageShare) { t -= Int64(rng.between(5, 900)) }
        w.dtm(t)
        w.f(9)
        w.s(version.hasStructure ? long : short)
        w.f(10)
        let n = controlBase + messagesGenerated
        switch idStyle {
        case 0: w.int(n)
        case 1:
            w.s("RX")
            w.int(n)
        case 2:
            w.dtm(clock)
            w.int(n)
        case 3:
            w.s("L")
            w.padded(n, width: 10)
        case 4:
            w.s("MON")
            w.int(n)
        default:
            w.s("E")
            w.int(n)
        }
        w.f(11)
        w.s("P")
        w.f(12)
        w.s(version.text)
        if version.atLeast25 {
            w.f(15)
            w.s("AL")
            w.f(16)
            w.s("NE")
            w.f(17)
            w.s("USA")
            w.f(18)
            w.s("UNICODE UTF-8")
            if version.atLeast27 && idStyle == 2 {
                w.f(21)
                w.s("IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO")
            }
        } else if version == .v24 {
            w.f(15)
            w.s("AL")
            w.f(16)
            w.s("NE")
        }
        w.end()
    }

    mutating func evn(_ code: StaticString, _ version: HL7Version) {
        w.seg("EVN")
        w.f(1)
        w.s(code)
        w.f(2)
        w.dtm(clock)
        w.f(5)
        w.s("REGCLERK^Admissions^Desk")
        w.f(6)
        w.dtm(clock - Int64(rng.between(0, 600)))
        w.end()
    }

    // MARK: Patient and visit

    mutating func cx(mrn: Int, _ p: Patient) {
        w.int(mrn)
        if p.checkDigit {
            w.hat()
            w.int(mrn % 10)
            w.s("^M10^")
        } else {
            w.s("^^^")
        }
        w.a(Vocab.facilities[p.facility].authority)
        w.s("^MR")
    }

    mutating func ssn(_ value: Int) {
        w.padded(value / 1_000_000, width: 3)
        w.s("-")
        w.padded((value / 10_000) % 100, width: 2)
        w.s("-")
        w.padded(value % 10_000, width: 4)
    }

    mutating func pid(_ p: Patient, _ v: HL7Version, mrn: Int? = nil) {
        w.seg("PID")
        w.f(1)
        w.s("1")
        w.f(3)
        if p.ssn != 0 && p.ssnFirst {
            ssn(p.ssn)
            w.s("^^^SSA^SS~")
        }
        cx(mrn: mrn ?? (p.tempMRN != 0 ? p.tempMRN : p.mrn), p)
        if p.ssn != 0 && !p.ssnFirst {
            w.s("~")
            ssn(p.ssn)
            w.s("^^^SSA^SS")
        }
        if p.accountInPID3 {
            w.s("~")
            w.int(p.account)
            w.s("^^^")
            w.a(Vocab.facilities[p.facility].authority)
            w.s("^AN")
        }
        w.f(5)
        w.a(Vocab.familyNames[p.family])
        w.hat()
        if p.baby {
            w.s(p.female ? "BABYGIRL" : "BABYBOY")
            w.s("^^^^^L")
        } else {
            w.a(Vocab.givenNames[p.given])
            w.hat()
            w.a(Vocab.middleInitials[p.middle])
            w.s("^^^^L")
        }
        if p.group != .adult {
            w.f(6)
            w.a(Vocab.familyNames[p.motherFamily])
            w.hat()
            w.a(Vocab.givenNames[p.motherGiven])
        }
        w.f(7)
        if p.group == .neonate { w.dtmMinute(p.birth) } else { w.date(p.birth) }
        w.f(8)
        w.s(p.female ? "F" : "M")
        w.f(10)
        w.s(Texts.races[p.race])
        w.f(11)
        w.int(p.house)
        w.s(" ")
        w.a(Vocab.streets[p.street])
        w.s("^^")
        w.a(Vocab.cities[p.city])
        w.s("^USA^H")
        w.f(13)
        if v == .v23 {
            w.s("(555)")
            w.int(p.phone / 10_000)
            w.s("-")
            w.padded(p.phone % 10_000, width: 4)
        } else {
            w.s("^PRN^PH^^1^555^")
            w.int(p.phone)
            w.s("~^NET^Internet^pt")
            w.int(p.account)
            w.s("@mail.example.org")
        }
        w.f(15)
        w.s("eng^English^ISO639")
        if p.group == .adult {
            w.f(16)
            w.s(p.race & 1 == 0 ? "M^Married^HL70002" : "S^Single^HL70002")
        }
        w.f(18)
        w.int(p.account)
        w.s("^^^")
        w.a(Vocab.facilities[p.facility].authority)
        w.s("^AN")
        if !v.atLeast25 && p.ssn != 0 {
            w.f(19)
            ssn(p.ssn)
        }
        w.end()
    }

    mutating func location(unit: Int, room: Int, bed: Int, _ p: Patient, _ v: HL7Version) {
        let u = Vocab.facilities[p.facility].units[unit]
        w.a(u.name)
        w.hat()
        w.int(room)
        w.hat()
        w.a(u.beds[bed])
        if v != .v23 {
            w.hat()
            w.a(Vocab.facilities[p.facility].name)
        }
    }

    mutating func pv1(_ p: Patient, _ v: HL7Version, prior: Bool = false, discharged: Bool = false) {
        w.seg("PV1")
        w.f(1)
        w.s("1")
        w.f(2)
        w.s("I")
        w.f(3)
        location(unit: p.unit, room: p.room, bed: p.bed, p, v)
        w.f(4)
        w.s(p.group == .neonate ? "N" : "E")
        if prior && p.priorUnit >= 0 {
            w.f(6)
            location(unit: p.priorUnit, room: p.priorRoom, bed: p.priorBed, p, v)
        }
        w.f(7)
        w.a(Vocab.doctors[p.attending])
        w.f(8)
        w.a(Vocab.doctors[(p.attending + 7) % Vocab.doctors.count])
        w.f(10)
        w.a(Vocab.facilities[p.facility].units[p.unit].service)
        w.f(14)
        w.s(p.group == .neonate ? "6" : "7")
        w.f(17)
        w.a(Vocab.doctors[(p.attending + 3) % Vocab.doctors.count])
        w.f(18)
        w.s("IP")
        w.f(19)
        w.int(p.visit)
        w.s("^^^")
        w.a(Vocab.facilities[p.facility].authority)
        w.s("^VN")
        w.f(20)
        w.s("S")
        if discharged {
            w.f(36)
            w.s("01^Discharged to home^HL70112")
        }
        w.f(39)
        w.a(Vocab.facilities[p.facility].name)
        w.f(44)
        w.dtm(p.admitTime)
        if discharged {
            w.f(45)
            w.dtm(clock)
        }
        w.end()
    }

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
