// The message envelope (MSH, EVN), the patient and the visit (PID, PV1).

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
}
