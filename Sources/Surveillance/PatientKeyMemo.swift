import ClinicalEvents
import HL7

/// Patient keys already read, by the raw bytes of PID-3: saved work, not state. A feed
/// names the same patients all day, and reading a key (repetitions, components, the
/// identifier type, two strings and their hash) costs more than looking its bytes up
/// where they lie in the message (no copy, no allocation). The delimiters decide how
/// the bytes read, so the memo holds keys of one set of delimiters at a time and starts
/// over when a message uses another. Bounded by bytes (PID-3 may be as long as a field
/// may be), cleared when full.
struct PatientKeyMemo: Sendable {
    /// The most bytes the keys take by default (see ``ByteTable/byteCount``).
    static let defaultByteLimit = 1 << 20

    private var keys = ByteTable<PatientKey?>()
    /// The delimiters of the messages whose PID-3 bytes the table holds.
    private var delimiters: Delimiters? = nil
    /// The most bytes the keys take: a key that would take the table past it empties it first.
    let byteLimit: Int

    init(byteLimit: Int = PatientKeyMemo.defaultByteLimit) { self.byteLimit = byteLimit }

    /// The bytes the table's keys take.
    var byteCount: Int { keys.byteCount }

    /// Empties the memo.
    mutating func removeAll() { keys.removeAll() }

    /// ``PatientKey/init(pid:)`` of `pid`, from the memo when the same PID-3 was read before.
    mutating func key(_ pid: Segment) -> PatientKey? {
        let text = pid.message
        let messageDelimiters = text.delimiters
        if delimiters != messageDelimiters {
            keys.removeAll()
            delimiters = messageDelimiters
        }
        let range = pid.fieldRange(3)
        return text.bytes.withUnsafeBufferPointer { bytes in
            let raw = UnsafeBufferPointer(rebasing: bytes[range])
            if let known = keys.value(for: raw) { return known }
            let made = PatientKey(pid: pid)
            if keys.byteCount + raw.count + ByteTable<PatientKey?>.entryCost > byteLimit { keys.removeAll() }
            keys.insert(made, for: raw)
            return made
        }
    }
}
