/// One `NAME=value` pair of a journal entry.
///
/// The value is raw bytes: it may contain newlines, NUL bytes and anything else, all of
/// which `sd_journal_sendv` transmits unchanged.
public struct JournalField: Sendable, Hashable {
    /// The field name.
    public var name: JournalFieldName
    /// The value bytes.
    public var value: [UInt8]

    /// A field whose value is the UTF-8 encoding of `value`.
    public init(_ name: JournalFieldName, _ value: String) {
        self.name = name
        self.value = Array(value.utf8)
    }

    /// A field with an arbitrary byte value.
    public init(_ name: JournalFieldName, bytes: [UInt8]) {
        self.name = name
        self.value = bytes
    }

    /// The value as a string, or `nil` when it is not valid UTF-8.
    public var stringValue: String? {
        let string = String(decoding: value, as: UTF8.self)
        return string.utf8.elementsEqual(value) ? string : nil
    }
}
