/// A structured journal entry: an ordered list of fields, sent as one unit.
///
/// A field name may occur more than once (journald keeps every value). The properties
/// ``message``, ``priority``, ``messageID`` and ``syslogIdentifier`` read the first value
/// of their field and, when set, replace every occurrence with one value (kept at the
/// position of the first occurrence, else appended); setting `nil` removes the field.
public struct JournalEntry: Sendable, Hashable {
    /// The fields, in the order they are sent.
    public var fields: [JournalField]

    /// An entry with the given fields (none by default).
    public init(_ fields: [JournalField] = []) {
        self.fields = fields
    }

    /// An entry starting with `SYSLOG_IDENTIFIER`, `MESSAGE_ID`, `PRIORITY` and `MESSAGE`
    /// (the optional ones only when given).
    public init(
        message: String,
        priority: JournalPriority,
        messageID: String? = nil,
        syslogIdentifier: String? = nil
    ) {
        self.fields = []
        self.syslogIdentifier = syslogIdentifier
        self.messageID = messageID
        self.priority = priority
        self.message = message
    }

    /// An entry of `fields` (name, value), in order, each name validated once here.
    ///
    /// - Throws: ``JournalFieldNameError`` for the first name that is not valid.
    public init(validating fields: [(String, String)]) throws(JournalFieldNameError) {
        self.fields = []
        self.fields.reserveCapacity(fields.count)
        for (name, value) in fields { try append(name, value) }
    }

    /// The fields as name and value strings (a value that is not UTF-8 decoded with
    /// replacement characters).
    public var stringPairs: [(String, String)] {
        fields.map { ($0.name.rawValue, String(decoding: $0.value, as: UTF8.self)) }
    }

    /// Appends `field`.
    public mutating func append(_ field: JournalField) {
        fields.append(field)
    }

    /// Appends a field with a string value.
    public mutating func append(_ name: JournalFieldName, _ value: String) {
        fields.append(JournalField(name, value))
    }

    /// Appends a field with a byte value.
    public mutating func append(_ name: JournalFieldName, bytes: [UInt8]) {
        fields.append(JournalField(name, bytes: bytes))
    }

    /// Validates `name` and appends a field with a string value.
    ///
    /// - Throws: ``JournalFieldNameError`` when `name` is not a valid field name; the
    ///   entry is then left unchanged.
    public mutating func append(_ name: String, _ value: String) throws(JournalFieldNameError) {
        fields.append(JournalField(try JournalFieldName(name), value))
    }

    /// Every value of the field `name`, in order.
    public func values(of name: JournalFieldName) -> [[UInt8]] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// The first value of the field `name` as a string, or `nil` when the field is absent
    /// or its value is not valid UTF-8.
    public subscript(name: JournalFieldName) -> String? {
        fields.first { $0.name == name }?.stringValue
    }

    /// Replaces every occurrence of `name` with a single field holding `value` (at the
    /// position of the first occurrence, else at the end); `nil` removes the field.
    public mutating func set(_ name: JournalFieldName, _ value: String?) {
        let position = fields.firstIndex { $0.name == name }
        fields.removeAll { $0.name == name }
        guard let value else { return }
        fields.insert(JournalField(name, value), at: position ?? fields.endIndex)
    }

    /// The `MESSAGE` field: human-readable text, may span several lines.
    public var message: String? {
        get { self[.message] }
        set { set(.message, newValue) }
    }

    /// The `PRIORITY` field; `nil` when absent or not a single digit `0`-`7`.
    public var priority: JournalPriority? {
        get { self[.priority].flatMap { Int($0) }.flatMap(JournalPriority.init(rawValue:)) }
        set { set(.priority, newValue.map { String($0.rawValue) }) }
    }

    /// The `MESSAGE_ID` field: a 128-bit id in 32 lowercase hex digits naming the kind of
    /// entry (the key into the journal catalog).
    public var messageID: String? {
        get { self[.messageID] }
        set { set(.messageID, newValue) }
    }

    /// The `SYSLOG_IDENTIFIER` field, e.g. `extravasd`.
    public var syslogIdentifier: String? {
        get { self[.syslogIdentifier] }
        set { set(.syslogIdentifier, newValue) }
    }
}
