import Catalog
import ClinicalEvents
import HL7
import Signs
import Sites

/// The engine's per-message work that reads no state: a message in, a
/// ``PreparedMessage`` out. Pure (its answers depend only on the message and the
/// settings), so it may run on another thread than the engine, ahead of it.
///
/// It keeps saved work (memos of pure functions of message fields and the settings,
/// bounded by bytes): the same few senders, patients, observation rows, sites and
/// drugs recur all day. A preparer reads with the settings it was made with; the engine
/// prepares again a message prepared under other settings than its own.
public struct MessagePreparer: Sendable {
    /// The settings messages are read with.
    public let settings: SurveillanceSettings
    /// What observations already seen said (a pure function of a few OBX fields and the
    /// settings, and the same few observation rows recur all day).
    var observationCache = ObservationCache()
    /// Sites of coded values already normalized.
    var siteMemo = Memo<CodedValue, CanonicalSite?>()
    /// Catalog matches of give codes and components already looked up.
    var catalogMemo = Memo<CatalogQuery, CatalogMatch?>()
    /// Reference ranges (OBX-7) already parsed.
    var rangeMemo = Memo<String, ReferenceRange?>()
    /// Unit texts (OBX-6) already read.
    var unitMemo = Memo<String, LabUnit?>()
    /// Sites of free texts already normalized.
    var freeTextSiteMemo = Memo<String, CanonicalSite?>()
    /// Whether names already read name an imaging study (settings do not change it).
    var imagingMemo = Memo<String, Bool>()
    /// Readings of administration notes already read (the same few notes recur all day).
    var noteMemo = Memo<String, ObservationReading>()
    /// Patient keys already read from PID-3 (settings do not change them).
    var patientKeyMemo = PatientKeyMemo()
    /// Senders and message types already read from MSH-3, MSH-4 and MSH-9.
    var headerMemo = MessageHeaderMemo()
    /// Lists an ORU fills, kept empty between messages with their capacity.
    var observationScratch = ObservationScratch()

    /// A preparer reading with `settings`.
    public init(settings: SurveillanceSettings) {
        self.settings = settings
    }

    /// Reads `message` as the engine would, without its state: the header, the patient
    /// and what the message documents. A message the engine ignores or rejects by its
    /// header is read no further.
    public mutating func prepare(_ message: Message) -> PreparedMessage {
        prepare(message, readingContent: true)
    }

    /// Reads only the header and the patient of `message`: what it documents is read
    /// by the engine when it applies it (with its own preparer). A lighter share of the
    /// work for this thread: a pipeline may prepare some messages so and others with
    /// ``prepare(_:)``, to share the work evenly with the engine's thread (e.g. header
    /// only while the engine waits for messages, in full while messages wait for the
    /// engine). The outcome is the same either way.
    public mutating func prepareHeader(_ message: Message) -> PreparedMessage {
        prepare(message, readingContent: false)
    }

    private mutating func prepare(_ message: Message, readingContent: Bool) -> PreparedMessage {
        let header = message.header
        let type = header[9]
        let kind = headerMemo.kind(type) {
            var event = type.component(2).uppercasedString
            if event.isEmpty, let evn = message.segment("EVN") { event = evn[1].uppercasedValue ?? "" }
            return SurveillanceEngine.MessageKind(code: type.component(1).uppercasedString, event: event)
        }
        // Each outcome is made once, at its return (a message prepared field by field was
        // copied whole on the way out).
        func prepared(
            _ problem: PreparationProblem, time: Instant = Instant(seconds: 0),
            identity: MessageIdentity? = nil,
            patient: PatientKey? = nil, content: PreparedContent = .none
        ) -> PreparedMessage {
            PreparedMessage(
                message: message, revision: settings.revision, kind: kind, problem: problem, time: time,
                identity: identity, patient: patient, content: content)
        }
        guard kind != .other else { return prepared(.ignored) }
        let sent = header[7]
        guard sent.hasValue else { return prepared(.noMessageTime) }
        guard let time = settings.times.instant(sent) else { return prepared(.invalidMessageTime) }
        // As `MessageIdentity(message)`, the sender's strings from the memo.
        let identity = MessageIdentity(
            sendingApplication: headerMemo.text(header[3]), sendingFacility: headerMemo.text(header[4]),
            controlID: header[10].string)
        guard let pid = message.segment("PID") else {
            return prepared(.noPID, time: time, identity: identity)
        }
        guard let key = patientKeyMemo.key(pid) else {
            return prepared(.noPatientIdentifier, time: time, identity: identity)
        }
        return prepared(
            .none, time: time, identity: identity, patient: key,
            content: readingContent ? content(of: message, kind: kind, pid: pid, time: time) : .deferred)
    }

    /// What the message of `prepared` (from ``prepareHeader(_:)``) documents: the content
    /// ``prepare(_:)`` would have read (the prepared message itself is not copied).
    mutating func readContent(of prepared: borrowing PreparedMessage) -> PreparedContent {
        guard prepared.problem == .none, let pid = prepared.message.segment("PID") else { return .none }
        return content(of: prepared.message, kind: prepared.kind, pid: pid, time: prepared.time)
    }

    /// What `message` of `kind`, sent at `time` about the patient of `pid`, documents.
    mutating func content(
        of message: Message, kind: SurveillanceEngine.MessageKind, pid: Segment, time: Instant
    ) -> PreparedContent {
        switch kind {
        case .admission, .demographics, .transfer, .discharge, .cancelAdmission, .cancelTransfer,
            .cancelDischarge:
            return .admission(admission(message, kind: kind, pid: pid, time: time))
        case .merge:
            return .merge(merge(message))
        case .order:
            return .orders(orders(message, time: time))
        case .administration:
            return .administrations(administrations(message))
        case .observation:
            return .observations(observations(message, messageTime: time))
        case .other:
            return .none
        }
    }

    // MARK: - Sites and drugs

    /// The site of a coded value when it is sent (see ``site(code:text:system:)``).
    mutating func site(of coded: CodedValue?) -> CanonicalSite? {
        guard let coded, !coded.isEmpty else { return nil }
        return site(code: coded.code, text: coded.text, system: coded.system)
    }

    /// The site of a coded value (``SiteNormalizer/site(code:text:codingSystem:)``), memoized.
    mutating func site(code: String, text: String, system: String) -> CanonicalSite? {
        let sites = settings.sites
        return siteMemo.value(CodedValue(code: code, text: text, system: system)) {
            sites.site(code: code, text: text, codingSystem: system)
        }
    }

    /// The site named in free text (``SiteNormalizer/site(freeText:)``), memoized.
    mutating func site(freeText text: String) -> CanonicalSite? {
        let sites = settings.sites
        return freeTextSiteMemo.value(text) { sites.site(freeText: text) }
    }

    /// The catalog match of a give code and components (``DrugCatalog/match(giveCode:components:)``), memoized.
    mutating func catalogMatch(giveCode: CodedValue, components: [CodedValue]) -> CatalogMatch? {
        let catalog = settings.catalog
        return catalogMemo.value(
            CatalogQuery(giveCode: giveCode, components: components)
        ) {
            catalog.match(giveCode: giveCode, components: components)
        }
    }

    /// PID-7.1 when it is a valid HL7 date.
    static func birthDate(_ pid: Segment) -> String? {
        guard let birth = pid[7].component(1).value, HL7Timestamp(birth) != nil else { return nil }
        return birth
    }
}
