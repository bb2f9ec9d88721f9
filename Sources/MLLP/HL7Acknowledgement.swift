import HL7

/// The HL7 acknowledgements that answer one received message (DESIGN.md section 3).
///
/// - **Original mode** (MSH-15 and MSH-16 both empty): one acknowledgement, `AA` when
///   the message was committed, `AE` when it could not be processed, `AR` when it was
///   rejected.
/// - **Enhanced mode** (MSH-15 or MSH-16 valued): an accept acknowledgement (`CA`, `CE`,
///   `CR` for the same three outcomes) sent when MSH-15 says so, then an application
///   acknowledgement (`AA`, `AE`, `AR`) sent when MSH-16 says so
///   (``AcknowledgementCondition``): none, one or both, always in that order.
///
/// Each acknowledgement answers the sender's MSH: its MSH-3/4 are the received MSH-5/6
/// and its MSH-5/6 the received MSH-3/4, MSH-9 is `ACK^<trigger>^ACK` (`ACK` when the
/// trigger is unknown), MSH-11 the received one (else `P`), MSH-12 the received one;
/// MSA-2 echoes the received MSH-10, and a problem adds `ERR` (ERR-3 the HL7 error code
/// from table 0357, ERR-4 severity `E`, ERR-8 the reason, v2.5 layout). Every text is
/// escaped in the sender's encoding characters (``HL7TextEscaper``; `|^~\&` when they
/// name no escape character), so a hostile MSH-10 cannot add a segment. The module reads
/// no clock: MSH-7 and MSH-10 of each acknowledgement are given.
public struct HL7Acknowledgement: Sendable, Hashable {
    /// The received message's header.
    public var header: ReceivedMessageHeader
    /// What became of the message.
    public var outcome: AcknowledgementOutcome

    /// The acknowledgements answering `header` for `outcome`.
    public init(answering header: ReceivedMessageHeader, outcome: AcknowledgementOutcome) {
        self.header = header
        self.outcome = outcome
    }

    /// Whether the sender asked for enhanced mode (MSH-15 or MSH-16 valued).
    public var isEnhancedMode: Bool {
        !header.acceptAcknowledgementType.isEmpty || !header.applicationAcknowledgementType.isEmpty
    }

    /// The codes of the acknowledgements to send, in the order to send them (accept
    /// before application); empty when the mode says not to answer.
    public var codes: [AcknowledgementCode] {
        let (accept, application): (AcknowledgementCode, AcknowledgementCode) =
            switch outcome {
            case .committed: (.commitAccept, .applicationAccept)
            case .notProcessed: (.commitError, .applicationError)
            case .rejected: (.commitReject, .applicationReject)
            }
        guard isEnhancedMode else { return [application] }
        var codes: [AcknowledgementCode] = []
        if AcknowledgementCondition(field: header.acceptAcknowledgementType).sends(accept) {
            codes.append(accept)
        }
        if AcknowledgementCondition(field: header.applicationAcknowledgementType).sends(application) {
            codes.append(application)
        }
        return codes
    }

    /// The acknowledgement messages to send, in order (see ``codes``), each with its MSH-7
    /// `timestamp` (an HL7 date/time) and the MSH-10 `controlID` gives for its code.
    public func messages(
        timestamp: String, controlID: (AcknowledgementCode) -> String
    ) -> [AcknowledgementMessage] {
        codes.map { code in
            AcknowledgementMessage(
                code: code, bytes: message(code: code, timestamp: timestamp, controlID: controlID(code)))
        }
    }

    /// One acknowledgement message with `code` (segments ended by CR, unframed).
    public func message(code: AcknowledgementCode, timestamp: String, controlID: String) -> [UInt8] {
        let escaper =
            HL7TextEscaper(header.delimiters) ?? HL7TextEscaper(.standard)!
        let delimiters = escaper.delimiters
        let separator = delimiters.field
        var bytes: [UInt8] = Array("MSH".utf8)
        bytes.append(separator)
        bytes.append(delimiters.component)
        bytes.append(delimiters.repetition)
        bytes.append(escaper.escape)
        if let subcomponent = delimiters.subcomponent { bytes.append(subcomponent) }
        if let truncation = delimiters.truncation, delimiters.subcomponent != nil { bytes.append(truncation) }

        func field(_ text: String) {
            bytes.append(separator)
            escaper.append(text, to: &bytes)
        }
        func composite(_ components: [String]) {
            bytes.append(separator)
            for (index, component) in components.enumerated() {
                if index > 0 { bytes.append(delimiters.component) }
                escaper.append(component, to: &bytes)
            }
        }
        composite(header.receivingApplication)  // MSH-3
        composite(header.receivingFacility)  // MSH-4
        composite(header.sendingApplication)  // MSH-5
        composite(header.sendingFacility)  // MSH-6
        field(timestamp)  // MSH-7
        field("")  // MSH-8
        composite(header.triggerEvent.isEmpty ? ["ACK"] : ["ACK", header.triggerEvent, "ACK"])  // MSH-9
        field(controlID)  // MSH-10
        composite(header.processingID.isEmpty ? ["P"] : header.processingID)  // MSH-11
        composite(header.version)  // MSH-12
        bytes.append(0x0D)

        bytes.append(contentsOf: Array("MSA".utf8))
        field(code.rawValue)
        field(header.controlID)
        bytes.append(0x0D)

        if code.isError {
            let problem =
                outcome.problem
                ?? AcknowledgementProblem(.applicationInternalError, reason: "the message was not processed")
            bytes.append(contentsOf: Array("ERR".utf8))
            field("")  // ERR-1
            field("")  // ERR-2
            composite([
                problem.condition.code, problem.condition.text, AcknowledgementErrorCondition.codingSystem,
            ])  // ERR-3
            field("E")  // ERR-4
            field("")  // ERR-5
            field("")  // ERR-6
            field("")  // ERR-7
            field(problem.cappedReason)  // ERR-8
            bytes.append(0x0D)
        }
        return bytes
    }
}
