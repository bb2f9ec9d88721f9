// The simulated hospital: patients, their catheters and orders, and the event queue
// that drives the clock.

struct Line {
    var site: Int
    var inserted: Int64
    var removeAt: Int64
    var removed = false
    var signLevel = 0
    var gauge: Int
}

struct Order {
    var placer: Int
    var filler: Int
    var drug: Int
    var line: Int
    var flavour: OrderFlavour
    var ordered: Int64
    var start: Int64
    var end: Int64
    /// TQ1-8 / ORC-7.5 carries the end; otherwise the order runs until DC.
    var sendsEnd: Bool
    var ended = false
    var cancelPending = false
    var admins = 0
    var interval: Int64
    var siteForm: Int
    var tq1After: Bool
    var minutePrecision: Bool
    var prescriber: Int
    var stat: Bool
}

struct Patient {
    var gen: UInt32 = 0
    var admitted = false
    var group: AgeGroup = .adult
    var facility = 0
    var unit = 0
    var room = 0
    var bed = 0
    var priorUnit = -1
    var priorRoom = 0
    var priorBed = 0
    var mrn = 0
    var tempMRN = 0
    var checkDigit = false
    var ssn = 0
    var ssnFirst = false
    var accountInPID3 = false
    var family = 0
    var given = 0
    var middle = 0
    var motherFamily = 0
    var motherGiven = 0
    var baby = false
    var female = true
    var race = 0
    var birth: Int64 = 0
    var visit = 0
    var account = 0
    var renal = false
    var street = 0
    var house = 0
    var city = 0
    var phone = 0
    var attending = 0
    var admitTime: Int64 = 0
    var dischargeTime: Int64 = 0
    var weightGrams = 0
    var allergy = 0
    var diagnosis = 0
    var lines: [Line] = []
    var orders: [Order] = []
}

enum EventKind: UInt8 {
    case admit, discharge, transfer, update, merge, lab, vitals
    case newOrder, orderAdmin, adminCorrection, orderEnd, orderCancel, orderChangeSite, orderHold,
        orderRelease
    case assessment, assessmentCorrection, siteCheck
}

struct Event {
    var time: Int64
    var seq: UInt64
    var kind: EventKind
    var slot: Int32
    var gen: UInt32
    var a: Int32 = 0
    var b: Int64 = 0
    var c: Int64 = 0

    @inline(__always)
    static func < (l: Event, r: Event) -> Bool {
        l.time < r.time || (l.time == r.time && l.seq < r.seq)
    }
}

/// A binary min-heap of events ordered by (time, insertion sequence): ties resolve in
/// insertion order, so the simulation is deterministic.
struct EventQueue {
    private(set) var items: [Event] = []

    var isEmpty: Bool { items.isEmpty }
    var first: Event? { items.first }

    mutating func push(_ e: Event) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[i] < items[parent] {
                items.swapAt(i, parent)
                i = parent
            } else {
                break
            }
        }
    }

    mutating func pop() -> Event? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            let n = items.count
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                var m = l
                let r = l + 1
                if r < n && items[r] < items[l] { m = r }
                if items[m] < items[i] {
                    items.swapAt(m, i)
                    i = m
                } else {
                    break
                }
            }
        }
        return top
    }
}
