import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// One OBX of an ORU message, with what the engine reads from it.
struct ObservationItem {
    var segment: Segment
    /// Index of the OBR group (0 before any OBR).
    var group: Int
    /// OBX-14, else OBR-7, else MSH-7.
    var time: Instant
    /// OBX-11, as far as the engine reads it.
    var status: ObservationStatus
    /// What the engine reads from it (once read; never for a withdrawn observation).
    var row: ObservationRow? = nil

    /// OBX-4, the sub-ID that ties observations about the same site together.
    var subID: String { segment[4].string }
}

/// The lists ``MessagePreparer/observations(_:messageTime:)`` fills for one
/// message, kept by the engine between messages (empty, with their capacity): a message
/// allocates none.
struct ObservationScratch: Sendable {
    /// The message's OBX, in order.
    var items: [ObservationItem] = []
    /// Positions in `items` of the observations that may assert something.
    var readings: [Int] = []
    /// Positions in `items` of the rows that may document a line.
    var lineRows: [Int] = []
    /// Sites named by site-location observations, per OBR group and sub-ID.
    var namedSites = GroupValues<CanonicalSite>()
    /// Sides named by orientation observations ("Orientation: Left"), likewise.
    var namedSides = GroupValues<Laterality>()

    /// Empties the lists, keeping their capacity.
    mutating func removeAll() {
        items.removeAll(keepingCapacity: true)
        readings.removeAll(keepingCapacity: true)
        lineRows.removeAll(keepingCapacity: true)
        namedSites.removeAll()
        namedSides.removeAll()
    }
}

/// Values kept per OBR group and sub-ID while one ORU is read (the sites named by
/// site-location rows, the sides named by orientation rows): a list searched in order
/// while it is short (a message names few, and the engine keeps the list with its
/// capacity), indexed by a table once it grows long, so that a message of many sub-IDs
/// is still read in linear time.
struct GroupValues<Value: Sendable>: Sendable {
    /// The keys and values, in the order first set.
    private(set) var entries: [(key: ObservationGroupKey, value: Value)] = []
    /// The position of each key in `entries`, once they are more than ``listLimit``.
    private var positions: [ObservationGroupKey: Int] = [:]
    /// The most entries searched in order.
    static var listLimit: Int { 16 }

    /// Whether no key has a value.
    var isEmpty: Bool { entries.isEmpty }

    private func position(of key: ObservationGroupKey) -> Int? {
        if entries.count > Self.listLimit { return positions[key] }
        for index in entries.indices where entries[index].key == key { return index }
        return nil
    }

    /// The value of `key`; setting one replaces the value of the same key.
    subscript(key: ObservationGroupKey) -> Value? {
        get { position(of: key).map { entries[$0].value } }
        set {
            guard let newValue else { preconditionFailure("values are never removed") }
            if let index = position(of: key) {
                entries[index].value = newValue
                return
            }
            entries.append((key, newValue))
            if entries.count == Self.listLimit + 1 {
                for index in entries.indices { positions[entries[index].key] = index }
            } else if entries.count > Self.listLimit + 1 {
                positions[key] = entries.count - 1
            }
        }
    }

    /// Empties the values, keeping the list's capacity.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        if !positions.isEmpty { positions.removeAll() }
    }
}

/// Observations about the same site: one OBR group and one sub-ID (OBX-4).
struct ObservationGroupKey: Hashable {
    var group: Int
    var subID: String

    init(_ item: ObservationItem) {
        group = item.group
        subID = item.subID
    }

    init(group: Int, subID: String) {
        self.group = group
        self.subID = subID
    }
}

/// What an observation's result status (OBX-11) means to the engine.
enum ObservationStatus {
    /// `D` deleted, `W` wrong, `X` not obtained: the observation does not count.
    case withdrawn
    /// `C`: corrects what the same observation documented before.
    case corrected
    /// Anything else (`F`, `P`, not sent, ...).
    case other

    /// The status in an OBX's OBX-11 (as ``init(_:)``), read from the message's bytes
    /// when it is empty or one plain ASCII byte (the usual cases), without a Field.
    init(obx: borrowing Segment, bytes: borrowing [UInt8], escape: UInt8?) {
        let range = obx.fieldRange(11)
        if range.isEmpty {
            self = .other
            return
        }
        if range.count == 1 {
            let byte = bytes[range.lowerBound]
            if byte < 0x80 && byte != escape {
                switch byte | 0x20 {
                case 0x64, 0x77, 0x78: self = .withdrawn  // d, w, x
                case 0x63: self = .corrected  // c
                default: self = .other
                }
                return
            }
        }
        self.init(obx[11])
    }

    /// The status of OBX-11, read case-insensitively.
    init(_ field: Field) {
        // One ASCII character (the usual case) is read as a byte.
        let byte: UInt8? = field.withDecodedBytes { bytes in
            bytes.count == 1 && bytes[0] < 0x80 ? bytes[0] : nil
        }
        if field.hasValue, let byte {
            switch byte | 0x20 {
            case 0x64, 0x77, 0x78: self = .withdrawn  // d, w, x
            case 0x63: self = .corrected  // c
            default: self = .other
            }
            return
        }
        // Otherwise compared as text.
        switch field.uppercasedValue ?? "" {
        case "D", "W", "X": self = .withdrawn
        case "C": self = .corrected
        default: self = .other
        }
    }
}

/// What an OBR group is, as far as reading its observations goes.
struct ResultGroup {
    /// Nursing, lab or imaging (``ResultKind``).
    var kind: ResultKind
    /// Whether OBR-4 names an IV, catheter, line or infusion-site assessment.
    var namesVascularAccess: Bool
}

/// The OBR group of a message last read (``MessagePreparer/resultGroup(_:of:known:)``):
/// a message's observations come group by group, so one is enough, and costs no allocation.
struct ResultGroupMemo {
    /// The group's index; -1 before any.
    var group = -1
    /// What it is.
    var value = ResultGroup(kind: .nursing, namesVascularAccess: false)
}
