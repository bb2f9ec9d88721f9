/// A deterministic generator of realistic HL7 v2 feeds.
///
/// It simulates a hospital census (neonates to adults) over a simulated clock and
/// writes the message stream an interface engine would: admissions, transfers,
/// updates, merges and discharges; pharmacy orders and administrations of calcium
/// salts, Ringer's solutions, parenteral nutrition and other drugs; nursing IV-site
/// assessments (normal, with signs, negated, with escapes, line removals); lab
/// results; vital signs.
///
/// The generator is a value type: copying it forks the feed. The same options always
/// yield the same bytes on every run and machine: it uses its own PRNG and calendar,
/// never the system clock, random source or hashing.
///
/// ```swift
/// var gen = FeedGenerator(options: FeedOptions(seed: 7))
/// var bytes: [UInt8] = []
/// while bytes.count < 1_000_000 { gen.appendNextMessage(to: &bytes) }
/// ```
public struct FeedGenerator {
    /// The options this feed is generated from.
    public let options: FeedOptions

    /// Messages appended so far (resends included).
    public private(set) var messagesGenerated = 0

    /// Bytes appended so far (byte-order mark and MLLP framing included).
    public private(set) var bytesGenerated = 0

    /// The simulated clock: seconds since 1970 of the latest event.
    public var simulatedTime: Int64 { clock }

    var clock: Int64
    var rng: SeededRandom
    var queue = EventQueue()
    var seq: UInt64 = 0
    var patients: [Patient]
    var w = ByteWriter()
    var scratch: [UInt8] = []
    var lastFramed: [UInt8] = []
    var counts = [Int](repeating: 0, count: FeedMessageKind.allCases.count)
    var resends = 0
    var pendingResend = false
    var wroteBOM = false
    var nextMRN: Int
    var nextTempMRN: Int
    var nextVisit: Int
    var nextAccount: Int
    var nextOrder: Int
    var nextFiller: Int
    var nextObservation: Int
    var controlBase: Int
    var framing: SegmentTerminatorStyle = .cr
    var currentVersion: HL7Version = .v251
    let translations: [[UInt16]]

    /// Creates a generator at the start of the simulated feed.
    public init(options: FeedOptions) {
        self.options = options
        rng = SeededRandom(seed: options.seed)
        clock = options.startTime
        let n = max(1, options.patients)
        patients = [Patient](repeating: Patient(), count: n)
        nextMRN = 1_000_000 + rng.below(4_000_000)
        nextTempMRN = 90_000_000 + rng.below(1_000_000)
        nextVisit = 20_000_000 + rng.below(9_000_000)
        nextAccount = 500_000_000 + rng.below(99_000_000)
        nextOrder = 1_000_000 + rng.below(8_000_000)
        nextFiller = 7_000_000 + rng.below(2_000_000)
        nextObservation = 300_000 + rng.below(600_000)
        controlBase = 1_000_000 + rng.below(8_000_000)
        translations = AlternateDelimiters.sets.map(AlternateDelimiters.table)
        for slot in 0..<n {
            schedule(.admit, at: options.startTime + rng.between(0, 2 * HL7Time.hour), slot: slot, gen: 0)
        }
    }

    /// How many messages of `kind` were generated.
    public func count(of kind: FeedMessageKind) -> Int {
        counts[kind.rawValue]
    }

    /// How many of the generated messages are exact resends of the one before.
    public var resendsGenerated: Int { resends }

    /// Appends one complete message (framed as the options say, preceded by the
    /// byte-order mark if it is the first and one was asked for).
    public mutating func appendNextMessage(to buffer: inout [UInt8]) {
        _ = appendNextMessage(to: &buffer, notAfter: .max)
    }

    /// Appends the next message unless its simulated time is after `limit` (seconds
    /// since 1970); returns whether a message was appended.
    @discardableResult
    public mutating func appendNextMessage(to buffer: inout [UInt8], notAfter limit: Int64) -> Bool {
        if pendingResend {
            pendingResend = false
            buffer.append(contentsOf: lastFramed)
            bytesGenerated += lastFramed.count
            messagesGenerated += 1
            resends += 1
            return true
        }
        while true {
            guard let top = queue.first, top.time <= limit, let e = queue.pop() else { return false }
            if e.time > clock { clock = e.time }
            if handle(e) { break }
        }
        finish(into: &buffer)
        return true
    }

    /// Appends messages until the buffer has grown by at least `byteCount` bytes;
    /// returns how many messages were appended.
    @discardableResult
    public mutating func appendMessages(to buffer: inout [UInt8], byteCount: Int) -> Int {
        let target = buffer.count + byteCount
        var n = 0
        while buffer.count < target {
            appendNextMessage(to: &buffer)
            n += 1
        }
        return n
    }

    // MARK: Scheduling

    @inline(__always)
    mutating func schedule(
        _ kind: EventKind, at time: Int64, slot: Int, gen: UInt32, a: Int = 0, b: Int64 = 0, c: Int64 = 0
    ) {
        seq &+= 1
        queue.push(
            Event(time: time, seq: seq, kind: kind, slot: Int32(slot), gen: gen, a: Int32(a), b: b, c: c))
    }

    @inline(__always)
    mutating func minutes(_ low: Int, _ high: Int) -> Int64 {
        Int64(rng.between(low * 60, high * 60))
    }

    @inline(__always)
    mutating func hours(_ low: Int, _ high: Int) -> Int64 {
        Int64(rng.between(low * 3_600, high * 3_600))
    }

    // MARK: Events

    mutating func handle(_ e: Event) -> Bool {
        let slot = Int(e.slot)
        if e.kind == .admit {
            guard !patients[slot].admitted else { return false }
            admit(slot)
            return true
        }
        guard patients[slot].admitted, patients[slot].gen == e.gen else { return false }
        switch e.kind {
        case .admit: return false
        case .discharge: return discharge(slot)
        case .transfer: return transfer(slot)
        case .update:
            schedule(.update, at: clock + hours(12, 48), slot: slot, gen: e.gen)
            writeADT(slot, event: .update)
            return true
        case .merge:
            guard patients[slot].tempMRN != 0 else { return false }
            writeADT(slot, event: .merge)
            patients[slot].tempMRN = 0
            return true
        case .lab:
            let renal = patients[slot].renal
            schedule(.lab, at: clock + (renal ? hours(4, 12) : hours(6, 24)), slot: slot, gen: e.gen)
            writeLab(slot)
            return true
        case .vitals:
            let icu = patients[slot].facility == 2 ? patients[slot].unit == 0 : patients[slot].unit <= 1
            schedule(.vitals, at: clock + (icu ? hours(2, 5) : hours(4, 8)), slot: slot, gen: e.gen)
            writeVitals(slot)
            return true
        case .newOrder: return newOrder(slot)
        case .orderAdmin: return administer(slot, order: Int(e.a))
        case .adminCorrection:
            let o = Int(e.a)
            guard !patients[slot].orders[o].cancelPending else { return false }
            writeAdministration(
                slot, order: o, sub: Int(e.b >> 1), start: e.c, end: 0, action: e.b & 1 == 0 ? 1 : 2)
            return true
        case .orderEnd:
            let o = Int(e.a)
            guard !patients[slot].orders[o].ended else { return false }
            patients[slot].orders[o].ended = true
            writeOrder(slot, order: o, control: rng.chance(0.85) ? .discontinue : .completed)
            return true
        case .orderCancel:
            let o = Int(e.a)
            guard !patients[slot].orders[o].ended else { return false }
            patients[slot].orders[o].ended = true
            writeOrder(slot, order: o, control: .cancel)
            return true
        case .orderChangeSite: return changeSite(slot, order: Int(e.a))
        case .orderHold, .orderRelease:
            let o = Int(e.a)
            guard !patients[slot].orders[o].ended, clock < patients[slot].orders[o].end else { return false }
            writeOrder(slot, order: o, control: e.kind == .orderHold ? .hold : .release)
            return true
        case .assessment: return assess(slot, line: Int(e.a))
        case .assessmentCorrection:
            writeAssessment(
                slot, lines: [Int(e.a)], level: Int(e.b & 0xFF) > 0 ? 0 : 1, removing: false,
                observation: Int(e.b >> 8), observedAt: e.c, corrected: true, check: 0)
            return true
        case .siteCheck:
            let line = Int(e.a)
            var level = 0
            if e.b == 1 && rng.chance(options.signShare * 1.5) { level = rng.between(1, 2) }
            writeAssessment(
                slot, lines: [line], level: level, removing: false, observation: takeObservation(),
                observedAt: clock - minutes(0, 20), corrected: false, check: Int(e.b))
            return true
        }
    }

    mutating func takeObservation() -> Int {
        nextObservation += 1
        return nextObservation
    }

    mutating func admit(_ slot: Int) {
        var p = patients[slot]
        p.gen &+= 1
        p.admitted = true
        p.lines.removeAll(keepingCapacity: true)
        p.orders.removeAll(keepingCapacity: true)
        let now = clock
        let group = AgeGroup(rawValue: rng.weighted([25, 25, 20, 30]))!
        p.group = group
        let day = HL7Time.day
        switch group {
        case .neonate:
            p.birth =
                now - (rng.chance(0.6) ? Int64(rng.between(0, 2)) * day : Int64(rng.between(3, 27)) * day)
                - Int64(rng.below(Int(day)))
            p.weightGrams = rng.between(600, 4_500)
        case .infant:
            p.birth = now - Int64(rng.between(29, 729)) * day
            p.weightGrams = rng.between(4_000, 12_000)
        case .child:
            p.birth = now - Int64(rng.between(730, 17 * 365)) * day
            p.weightGrams = rng.between(12_000, 60_000)
        case .adult:
            p.birth = now - Int64(rng.between(18 * 365, 95 * 365)) * day
            p.weightGrams = rng.between(45_000, 120_000)
        }
        if group != .neonate { p.birth -= p.birth % day }
        p.facility = group == .adult ? (rng.chance(0.7) ? 1 : 2) : 0
        let units = Vocab.facilities[p.facility].units
        var candidates: [Int] = []
        for (i, u) in units.enumerated() where u.groups.contains(group) { candidates.append(i) }
        p.unit = candidates[rng.below(candidates.count)]
        p.room = units[p.unit].firstRoom + rng.below(units[p.unit].rooms)
        p.bed = rng.below(units[p.unit].beds.count)
        p.priorUnit = -1
        nextMRN += rng.between(1, 17)
        p.mrn = nextMRN
        let tempShare = group == .neonate ? 0.12 : (group == .adult ? 0.03 : 0.01)
        if rng.chance(tempShare) {
            nextTempMRN += rng.between(1, 5)
            p.tempMRN = nextTempMRN
        } else {
            p.tempMRN = 0
        }
        p.checkDigit = rng.chance(0.2)
        p.ssn = rng.chance(group == .adult ? 0.5 : 0.2) ? rng.between(900_010_000, 999_989_999) : 0
        p.ssnFirst = rng.chance(0.5)
        p.accountInPID3 = rng.chance(0.15)
        p.family = rng.below(Vocab.familyNames.count)
        p.female = rng.chance(0.5)
        p.given = (p.female ? 0 : 1) + 2 * rng.below(Vocab.givenNames.count / 2)
        p.middle = rng.below(Vocab.middleInitials.count)
        p.motherFamily = rng.chance(0.8) ? p.family : rng.below(Vocab.familyNames.count)
        p.motherGiven = 2 * rng.below(Vocab.givenNames.count / 2)
        p.baby = group == .neonate && (p.tempMRN != 0 || rng.chance(0.3))
        p.race = rng.below(5)
        nextVisit += rng.between(1, 9)
        p.visit = nextVisit
        nextAccount += rng.between(1, 99)
        p.account = nextAccount
        p.renal = rng.chance(options.renalFailureShare)
        p.street = rng.below(Vocab.streets.count)
        p.house = rng.between(1, 9_899)
        p.city = rng.below(Vocab.cities.count)
        p.phone = rng.between(200_0000, 999_9999)
        p.attending = rng.below(Vocab.doctors.count)
        p.allergy = rng.below(6)
        let diagnoses = Texts.diagnosesByGroup[group.rawValue]
        p.diagnosis = diagnoses[rng.below(diagnoses.count)]
        p.admitTime = now
        let los: Int64
        switch group {
        case .neonate: los = hours(3 * 24, 21 * 24)
        case .infant: los = hours(2 * 24, 10 * 24)
        case .child: los = hours(24, 7 * 24)
        case .adult: los = hours(2 * 24, 10 * 24)
        }
        p.dischargeTime = now + los
        patients[slot] = p
        let gen = p.gen
        schedule(.discharge, at: p.dischargeTime, slot: slot, gen: gen)
        schedule(.update, at: now + hours(2, 24), slot: slot, gen: gen)
        if rng.chance(0.3) && los > 12 * HL7Time.hour {
            schedule(
                .transfer, at: now + Int64(rng.between(6 * 3_600, Int(los) - 6 * 3_600)), slot: slot, gen: gen
            )
        }
        if p.tempMRN != 0 { schedule(.merge, at: now + hours(1, 12), slot: slot, gen: gen) }
        schedule(.lab, at: now + minutes(20, 360), slot: slot, gen: gen)
        schedule(.vitals, at: now + minutes(10, 120), slot: slot, gen: gen)
        if rng.chance(0.92) { schedule(.newOrder, at: now + minutes(15, 240), slot: slot, gen: gen) }
        if rng.chance(0.55) { _ = insertLine(slot, at: now + minutes(5, 60)) }
        writeADT(slot, event: .admit)
    }

    mutating func discharge(_ slot: Int) -> Bool {
        writeADT(slot, event: .discharge)
        patients[slot].admitted = false
        schedule(.admit, at: clock + hours(1, 12), slot: slot, gen: patients[slot].gen)
        return true
    }

    mutating func transfer(_ slot: Int) -> Bool {
        let p = patients[slot]
        let units = Vocab.facilities[p.facility].units
        var candidates: [Int] = []
        for (i, u) in units.enumerated() where u.groups.contains(p.group) && i != p.unit {
            candidates.append(i)
        }
        patients[slot].priorUnit = p.unit
        patients[slot].priorRoom = p.room
        patients[slot].priorBed = p.bed
        let unit = candidates.isEmpty ? p.unit : candidates[rng.below(candidates.count)]
        patients[slot].unit = unit
        patients[slot].room = units[unit].firstRoom + rng.below(units[unit].rooms)
        patients[slot].bed = rng.below(units[unit].beds.count)
        writeADT(slot, event: .transfer)
        return true
    }

    /// Places a new catheter; returns its index.
    mutating func insertLine(_ slot: Int, at time: Int64) -> Int {
        let p = patients[slot]
        var site = 0
        for _ in 0..<4 {
            site = rng.weighted(Vocab.siteWeights[p.group.rawValue])
            var used = false
            for l in p.lines where !l.removed && l.site == site { used = true }
            if !used { break }
        }
        let central = Vocab.sites[site].central
        var removeAt = time + (central ? hours(5 * 24, 14 * 24) : hours(24, 96))
        let latest = p.dischargeTime - minutes(10, 60)
        if removeAt > latest { removeAt = max(time + 1_800, latest) }
        let gauge =
            p.group == .adult
            ? [18, 20, 20, 22][rng.below(4)] : (p.group == .neonate ? 24 : [22, 24][rng.below(2)])
        patients[slot].lines.append(Line(site: site, inserted: time, removeAt: removeAt, gauge: gauge))
        let index = patients[slot].lines.count - 1
        schedule(.assessment, at: min(time + minutes(30, 120), removeAt), slot: slot, gen: p.gen, a: index)
        return index
    }

    mutating func newOrder(_ slot: Int) -> Bool {
        let p = patients[slot]
        let now = clock
        guard now < p.dischargeTime - 3 * HL7Time.hour else { return false }
        schedule(.newOrder, at: now + hours(4, 24), slot: slot, gen: p.gen)
        var kindWeights = Vocab.kindWeights[p.group.rawValue]
        if p.renal {
            kindWeights[DrugKind.calciumGluconate.rawValue] += 15
            kindWeights[DrugKind.calciumChloride.rawValue] += 5
        }
        let kind = rng.weighted(kindWeights)
        let pool = Vocab.drugsByKind[kind]
        let drug = pool[rng.below(pool.count)]
        var active: [Int] = []
        for (i, l) in p.lines.enumerated() where !l.removed && l.removeAt > now + 2 * HL7Time.hour {
            active.append(i)
        }
        let line =
            !active.isEmpty && (active.count >= 2 || rng.chance(0.9))
            ? active[rng.below(active.count)] : insertLine(slot, at: now)
        let flavour = OrderFlavour(rawValue: rng.weighted(OrderFlavour.weights))!
        let continuous = Vocab.drugs[drug].continuous
        var start = now + minutes(0, 90)
        start -= start % 60
        var end = start + (continuous ? hours(12, 96) : hours(12, 72))
        end -= end % 60
        let latest = p.dischargeTime - 30 * 60
        if end > latest { end = max(start + 3_600, latest) }
        nextOrder += rng.between(1, 40)
        nextFiller += rng.between(1, 7)
        let interval: Int64 = continuous ? 0 : [6, 8, 12, 24][rng.below(4)] * HL7Time.hour
        var order = Order(
            placer: nextOrder, filler: nextFiller, drug: drug, line: line, flavour: flavour, ordered: now,
            start: start, end: end, sendsEnd: rng.chance(0.8), interval: interval, siteForm: rng.below(10),
            tq1After: rng.chance(0.3), minutePrecision: rng.chance(0.25),
            prescriber: rng.below(Vocab.doctors.count),
            stat: rng.chance(0.1))
        let index = patients[slot].orders.count
        if start > now + 15 * 60 && rng.chance(0.05) {
            order.cancelPending = true
            schedule(
                .orderCancel, at: now + Int64(rng.between(5 * 60, Int(start - now) - 60)), slot: slot,
                gen: p.gen, a: index)
        } else {
            schedule(.orderAdmin, at: start + minutes(0, 20), slot: slot, gen: p.gen, a: index)
            if !order.sendsEnd || rng.chance(0.6) {
                schedule(.orderEnd, at: end, slot: slot, gen: p.gen, a: index)
            }
            if rng.chance(0.02) && end - start > 6 * HL7Time.hour {
                let hold = start + Int64(rng.between(3_600, Int(end - start) / 2))
                schedule(.orderHold, at: hold, slot: slot, gen: p.gen, a: index)
                schedule(.orderRelease, at: hold + hours(1, 4), slot: slot, gen: p.gen, a: index)
            }
        }
        patients[slot].orders.append(order)
        writeOrder(slot, order: index, control: .new)
        return true
    }

    mutating func administer(_ slot: Int, order o: Int) -> Bool {
        let order = patients[slot].orders[o]
        let now = clock
        guard !order.ended, !order.cancelPending, now < order.end else { return false }
        patients[slot].orders[o].admins += 1
        let sub = order.admins + 1
        let duration: Int64 = order.interval == 0 ? min(hours(12, 24), order.end - now) : minutes(30, 60)
        let next = order.interval == 0 ? now + duration : now + order.interval + minutes(-15, 30)
        if next < order.end - 1_800 {
            schedule(.orderAdmin, at: next, slot: slot, gen: patients[slot].gen, a: o)
        }
        if rng.chance(0.03) {
            let action: Int64 = rng.chance(0.6) ? 0 : 1  // even: update, odd: delete
            schedule(
                .adminCorrection, at: now + minutes(15, 180), slot: slot, gen: patients[slot].gen, a: o,
                b: Int64(sub) * 2 + action, c: now)
        }
        writeAdministration(slot, order: o, sub: sub, start: now, end: now + duration, action: 0)
        return true
    }

    mutating func changeSite(_ slot: Int, order o: Int) -> Bool {
        let order = patients[slot].orders[o]
        guard !order.ended, clock < order.end - 1_800 else { return false }
        // Orders that shared the removed catheter move to the same new one.
        var line = -1
        for (i, l) in patients[slot].lines.enumerated()
        where !l.removed && l.removeAt > clock + 2 * HL7Time.hour && l.inserted >= clock - 3 * HL7Time.hour {
            line = i
        }
        if line < 0 { line = insertLine(slot, at: clock) }
        patients[slot].orders[o].line = line
        patients[slot].orders[o].siteForm = rng.below(10)
        writeOrder(slot, order: o, control: .change)
        return true
    }

    mutating func assess(_ slot: Int, line index: Int) -> Bool {
        let p = patients[slot]
        let line = p.lines[index]
        guard !line.removed else { return false }
        let now = clock
        let removing = now >= line.removeAt
        var calcium = false
        for o in p.orders where o.line == index && !o.ended && o.start <= now && now < o.end {
            if Vocab.drugs[o.drug].kind.containsCalcium { calcium = true }
        }
        var level = 0
        if rng.chance(options.signShare * (calcium ? 2 : 1)) {
            level = rng.weighted([0, 45, 35, 20])
        }
        // Sometimes one message documents every catheter of the patient.
        var lines = [index]
        if !removing && rng.chance(0.15) {
            for (i, l) in p.lines.enumerated() where i != index && !l.removed && l.removeAt > now {
                lines.append(i)
            }
        }
        let observation = takeObservation()
        let observedAt = now - minutes(0, 20)
        writeAssessment(
            slot, lines: lines, level: level, removing: removing, observation: observation,
            observedAt: observedAt,
            corrected: false, check: 0)
        let gen = p.gen
        if level > 0 {
            patients[slot].lines[index].signLevel = max(line.signLevel, level)
            if !removing && rng.chance(0.7) {
                patients[slot].lines[index].removeAt = min(line.removeAt, now + minutes(15, 90))
            }
            if calcium && rng.chance(0.5) {
                schedule(.siteCheck, at: now + hours(7 * 24, 21 * 24), slot: slot, gen: gen, a: index, b: 2)
            }
        }
        if rng.chance(0.015) {
            schedule(
                .assessmentCorrection, at: now + minutes(10, 60), slot: slot, gen: gen, a: index,
                b: Int64(observation) << 8 | Int64(level), c: observedAt)
        }
        if removing {
            patients[slot].lines[index].removed = true
            for (i, o) in p.orders.enumerated() where o.line == index && !o.ended && now < o.end {
                if o.end > now + 2 * HL7Time.hour && !o.cancelPending {
                    schedule(.orderChangeSite, at: now + minutes(10, 45), slot: slot, gen: gen, a: i)
                } else {
                    schedule(.orderEnd, at: now + minutes(2, 20), slot: slot, gen: gen, a: i)
                }
            }
            if rng.chance(0.3) {
                schedule(.siteCheck, at: now + hours(4, 24), slot: slot, gen: gen, a: index, b: 1)
            }
        } else {
            let next = min(now + minutes(60, 240), patients[slot].lines[index].removeAt)
            schedule(.assessment, at: next, slot: slot, gen: gen, a: index)
        }
        return true
    }

    // MARK: Finishing a message

    mutating func finish(into buffer: inout [UInt8]) {
        let before = buffer.count
        if options.byteOrderMark && !wroteBOM {
            buffer.append(contentsOf: [0xEF, 0xBB, 0xBF] as [UInt8])
        }
        wroteBOM = true
        if options.alternateDelimitersShare > 0 && rng.chance(options.alternateDelimitersShare) {
            applyAlternateDelimiters()
        }
        let start = buffer.count
        if framing == .mllp {
            buffer.append(0x0B)
            buffer.append(contentsOf: w.bytes)
            buffer.append(0x1C)
            buffer.append(0x0D)
        } else {
            buffer.append(contentsOf: w.bytes)
        }
        bytesGenerated += buffer.count - before
        messagesGenerated += 1
        if options.resendShare > 0 && rng.chance(options.resendShare) {
            lastFramed.removeAll(keepingCapacity: true)
            lastFramed.append(contentsOf: buffer[start...])
            pendingResend = true
        }
    }

    /// Rewrites the message in `w.bytes` (standard delimiters) with another set of
    /// encoding characters, escaping values that contain the new ones.
    mutating func applyAlternateDelimiters() {
        let version = currentVersion
        var choice = rng.below(AlternateDelimiters.sets.count)
        if AlternateDelimiters.sets[choice].needsV27 && !version.atLeast27 { choice = 0 }
        let set = AlternateDelimiters.sets[choice]
        let table = translations[choice]
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: [0x4D, 0x53, 0x48] as [UInt8])
        scratch.append(contentsOf: set.header)
        let bytes = w.bytes
        var i = 8
        let n = bytes.count
        while i < n {
            let t = table[Int(bytes[i])]
            if t < 0x100 {
                scratch.append(UInt8(t))
            } else {
                scratch.append(set.escape)
                scratch.append(UInt8(t & 0xFF))
                scratch.append(set.escape)
            }
            i += 1
        }
        swap(&scratch, &w.bytes)
    }
}

/// Sets of encoding characters other than the standard ones.
enum AlternateDelimiters {
    struct Set {
        /// Field separator followed by MSH-2.
        let header: [UInt8]
        let field: UInt8
        let component: UInt8
        let repetition: UInt8
        let escape: UInt8
        let subcomponent: UInt8
        let needsV27: Bool
    }

    static let sets: [Set] = [
        Set(
            header: u8("#$*@!%"), field: 0x23, component: 0x24, repetition: 0x2A, escape: 0x40,
            subcomponent: 0x21,
            needsV27: false),
        Set(
            header: u8("|^~\\&#"), field: 0x7C, component: 0x5E, repetition: 0x7E, escape: 0x5C,
            subcomponent: 0x26,
            needsV27: true),
        Set(
            header: u8("!~^\\&"), field: 0x21, component: 0x7E, repetition: 0x5E, escape: 0x5C,
            subcomponent: 0x26,
            needsV27: false),
        Set(
            header: u8(";:~\\&"), field: 0x3B, component: 0x3A, repetition: 0x7E, escape: 0x5C,
            subcomponent: 0x26,
            needsV27: false),
    ]

    /// For each byte of a standard message: the byte to write (< 0x100), or
    /// 0x100 | escape code letter when a literal byte collides with a new delimiter.
    static func table(_ s: Set) -> [UInt16] {
        var t = (0..<256).map { UInt16($0) }
        let literal: [(UInt8, UInt8)] = [
            (s.field, 0x46), (s.component, 0x53), (s.repetition, 0x52), (s.escape, 0x45),
            (s.subcomponent, 0x54),
        ]
        for (byte, code) in literal { t[Int(byte)] = 0x100 | UInt16(code) }
        t[0x7C] = UInt16(s.field)
        t[0x5E] = UInt16(s.component)
        t[0x7E] = UInt16(s.repetition)
        t[0x5C] = UInt16(s.escape)
        t[0x26] = UInt16(s.subcomponent)
        return t
    }
}

extension FeedGenerator {
    /// Generates a whole feed of `messageCount` messages.
    public static func feed(options: FeedOptions, messageCount: Int) -> [UInt8] {
        var g = FeedGenerator(options: options)
        var out: [UInt8] = []
        out.reserveCapacity(messageCount * 1_500)
        for _ in 0..<max(0, messageCount) { g.appendNextMessage(to: &out) }
        return out
    }

    /// Generates a feed of whole messages at least `minimumBytes` long: it stops after
    /// the message that reaches the size.
    public static func feed(options: FeedOptions, minimumBytes: Int) -> [UInt8] {
        var g = FeedGenerator(options: options)
        var out: [UInt8] = []
        out.reserveCapacity(minimumBytes + 4_096)
        while out.count < minimumBytes { g.appendNextMessage(to: &out) }
        return out
    }

    /// Generates every message of the first `seconds` of simulated time.
    public static func feed(options: FeedOptions, simulatedSeconds seconds: Int64) -> [UInt8] {
        var g = FeedGenerator(options: options)
        var out: [UInt8] = []
        let limit = options.startTime + seconds
        while g.appendNextMessage(to: &out, notAfter: limit) {}
        return out
    }
}
