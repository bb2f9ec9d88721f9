import HL7

/// The fields of a received message's MSH that its acknowledgement answers: texts
/// decoded (escape sequences read), composites as their components.
public struct ReceivedMessageHeader: Sendable, Hashable {
    /// MSH-1 and MSH-2, the sender's encoding characters (the acknowledgement uses them
    /// when they name an escape character, else `|^~\&`).
    public var delimiters: Delimiters
    /// MSH-3, the sending application (components).
    public var sendingApplication: [String]
    /// MSH-4, the sending facility (components).
    public var sendingFacility: [String]
    /// MSH-5, the receiving application (components).
    public var receivingApplication: [String]
    /// MSH-6, the receiving facility (components).
    public var receivingFacility: [String]
    /// MSH-9.2, the trigger event (`O11` of `RDE^O11^RDE_O11`), empty when unknown.
    public var triggerEvent: String
    /// MSH-10, the message control id.
    public var controlID: String
    /// MSH-11, the processing id (components), empty when not sent.
    public var processingID: [String]
    /// MSH-12, the version id (components).
    public var version: [String]
    /// MSH-15, the accept acknowledgement type as sent (empty: not sent).
    public var acceptAcknowledgementType: String
    /// MSH-16, the application acknowledgement type as sent (empty: not sent).
    public var applicationAcknowledgementType: String

    /// Creates a header from its fields.
    public init(
        delimiters: Delimiters = .standard, sendingApplication: [String] = [], sendingFacility: [String] = [],
        receivingApplication: [String] = [], receivingFacility: [String] = [], triggerEvent: String = "",
        controlID: String = "", processingID: [String] = [], version: [String] = [],
        acceptAcknowledgementType: String = "", applicationAcknowledgementType: String = ""
    ) {
        self.delimiters = delimiters
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.receivingApplication = receivingApplication
        self.receivingFacility = receivingFacility
        self.triggerEvent = triggerEvent
        self.controlID = controlID
        self.processingID = processingID
        self.version = version
        self.acceptAcknowledgementType = acceptAcknowledgementType
        self.applicationAcknowledgementType = applicationAcknowledgementType
    }

    /// The header of a message read by ``HL7/Message``.
    public init(_ message: Message) {
        let msh = message.header
        func components(_ number: Int) -> [String] {
            let field = msh[number]
            guard field.hasValue else { return [] }
            var values = field.repetition(1).components.map(\.string)
            while values.last?.isEmpty == true { values.removeLast() }
            return values
        }
        self.init(
            delimiters: message.delimiters, sendingApplication: components(3), sendingFacility: components(4),
            receivingApplication: components(5), receivingFacility: components(6),
            triggerEvent: msh[9].component(2).string, controlID: msh[10].component(1).string,
            processingID: components(11), version: components(12),
            acceptAcknowledgementType: msh[15].component(1).string,
            applicationAcknowledgementType: msh[16].component(1).string)
    }

    /// What can be read of a message whose MSH does not parse: the standard encoding
    /// characters and, when the bytes start with `MSH` and a field separator, MSH-10 as
    /// written (up to the end of the first segment), else nothing. Its acknowledgement
    /// is then in original mode.
    public static func salvaged(from bytes: some Collection<UInt8>) -> ReceivedMessageHeader {
        var header = ReceivedMessageHeader()
        let prefix = Array(bytes.prefix(4))
        guard prefix.count == 4, prefix[0] == 0x4D, prefix[1] == 0x53, prefix[2] == 0x48 else {
            return header
        }
        let separator = prefix[3]
        var field = 2  // MSH-1 is the separator itself: the bytes after it are MSH-2.
        var value: [UInt8] = []
        for byte in bytes.dropFirst(4) {
            if byte == 0x0D || byte == 0x0A { break }
            if byte == separator {
                field += 1
                if field > 10 { break }
                continue
            }
            if field == 10 { value.append(byte) }
        }
        // The escape character cannot be trusted: the value is taken as written.
        header.controlID = String(decoding: value, as: UTF8.self)
        return header
    }
}
