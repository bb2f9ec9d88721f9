import AlertOutput
import Foundation
import FeedFollower
import MLLPListener
import Surveillance

/// What one batch sets aside: dead letters (malformed messages, orphan segment lines)
/// and the journal entries about them and about feed events, in batch order.
///
/// The daemon writes the dead letters durably first; only then does it send the entries
/// and commit the batch, so no checkpoint passes a dead letter that is not on disk.
struct SetAsideInput {
    /// Dead letters to write before the batch is committed.
    private(set) var letters: [DeadLetter] = []
    /// Journal entries to send once the dead letters are written.
    private(set) var entries: [[(String, String)]] = []

    /// A message that cannot be used: a journal entry naming source, offset and reason
    /// (never the message text), and its bytes to the dead letters. `length`: the
    /// message's length when only its first bytes are in `bytes` (over the size limit).
    mutating func malformed(
        _ source: MessageSource, offset: Int, reason: String, bytes: [UInt8], length: Int? = nil
    ) {
        var letterReason = reason
        if let length, length > bytes.count {
            letterReason += "; its first \(bytes.count) of \(length) bytes follow"
        }
        letters.append(
            DeadLetter(source: source.description, offset: offset, reason: letterReason, bytes: bytes))
        entries.append(
            DaemonEvent.fields(
                "Malformed HL7 message skipped at \(source): \(reason)",
                id: AlertJournalFields.malformedMessageID,
                priority: .warning,
                [
                    ("EXTRAVASD_SOURCE", source.description), ("EXTRAVASD_OFFSET", String(offset)),
                    ("EXTRAVASD_REASON", reason),
                ]))
    }

    /// Adds a journal entry to send once the dead letters are written.
    mutating func appendEntry(_ fields: [(String, String)]) {
        entries.append(fields)
    }

    /// A feed event: its journal entry, and for orphan segment lines their dead letter.
    mutating func feedEvent(_ event: FeedEvent) {
        let (name, path): (String, String)
        switch event {
        case .opened(let value): (name, path) = ("opened", value)
        case .rotated(let value): (name, path) = ("rotated", value)
        case .truncated(let value): (name, path) = ("truncated", value)
        case .closed(let value): (name, path) = ("closed", value)
        case .orphanSegments(let value, let offset, let bytes):
            (name, path) = ("orphan_segments", value)
            letters.append(
                DeadLetter(
                    source: "file:\(value):\(offset)", offset: offset,
                    reason: "segment lines after a completed message",
                    bytes: bytes))
        }
        entries.append(
            DaemonEvent.fields(
                "Feed \(path): \(name.replacingOccurrences(of: "_", with: " "))",
                id: AlertJournalFields.feedEventMessageID, priority: .info,
                [("EXTRAVASD_EVENT", name), ("EXTRAVASD_SOURCE", "file:\(path)")]))
    }
}

extension SetAsideInput {
    /// An MLLP connection event: its journal entry (`mllp_connected`, `mllp_closed`,
    /// `mllp_refused`), with the peer.
    mutating func mllpEvent(_ event: MLLPConnectionEvent) {
        let (name, peer, reason): (String, String, String?) =
            switch event {
            case .connected(let peer): ("mllp_connected", peer, nil)
            case .closed(let peer, let reason): ("mllp_closed", peer, reason)
            case .refused(let peer, let reason): ("mllp_refused", peer, reason)
            }
        let source = MessageSource.mllp(peer).description
        let text = "MLLP \(peer): \(name.dropFirst(5))" + (reason.map { " (\($0))" } ?? "")
        appendEntry(
            DaemonEvent.fields(
                text, id: AlertJournalFields.feedEventMessageID, priority: .info,
                [("EXTRAVASD_EVENT", name), ("EXTRAVASD_SOURCE", source)]
                    + (reason.map { [("EXTRAVASD_REASON", $0)] } ?? [])))
    }
}
