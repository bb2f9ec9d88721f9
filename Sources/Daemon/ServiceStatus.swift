import FeedFollower
import Glibc
import MLLPListener

/// What `systemctl status` shows on the daemon's `STATUS=` line: counters since start
/// (the same counts `extravasd replay` prints), then every followed file with the offset
/// read to and the lag (bytes written but not yet read).
///
/// `messages 120, resends 0, malformed 1, alerts 4; /var/spool/hl7/adt.hl7 offset 10234 lag 0`
///
/// On-call review adds `suppressed N` (escalations not written: their episode was
/// acknowledged `not-extravasation`) and `reminders N` (fired), each once it is not 0.
/// With MLLP on, the open connections by peer address follow the counters:
/// `mllp 3 connection(s): 10.2.0.7 x2, 127.0.0.1`.
struct ServiceStatus: Sendable {
    /// Every message the follower handed over (malformed ones included).
    var messages = 0
    /// Messages seen before (same MSH-3, MSH-4, MSH-10): nothing done.
    var resends = 0
    /// Messages that could not be read or were rejected (dead-lettered).
    var malformed = 0
    /// Alerts raised (committed to the outbox).
    var alerts = 0
    /// Escalations the engine raised that were not written (a suppressed episode).
    var suppressed = 0
    /// Where each followed file stands (batches carry only the checkpoints that moved, so
    /// they are kept here by file until the follower releases them).
    private(set) var files: [FileIdentity: FollowerCheckpoint] = [:]
    /// Where delivery to journald stands (`undelivered N`, failing sends, unreadable journal).
    var delivery: DeliveryStatus?
    /// Where on-call review stands (`reminders N`).
    var review: ReviewStatus?

    /// Whether the MLLP listener runs (its connections are then listed, none included).
    var mllpListening = false
    /// Open MLLP connections by peer address (without the port).
    private(set) var mllpPeers: [String: Int] = [:]

    /// The most files listed by name; more are counted.
    static let listedFiles = 8

    /// The counters part.
    var counters: String {
        let undelivered = delivery?.reading.undelivered ?? 0
        let reminders = review?.reading.reminders ?? 0
        return "messages \(messages), resends \(resends), malformed \(malformed), alerts \(alerts)"
            + (undelivered > 0 ? ", undelivered \(undelivered)" : "")
            + (suppressed > 0 ? ", suppressed \(suppressed)" : "")
            + (reminders > 0 ? ", reminders \(reminders)" : "")
    }

    /// What is wrong with delivery, when something is: `journal send failing: REASON`,
    /// `journal unreadable: delivery at least once`.
    var deliveryProblems: [String] {
        guard let reading = delivery?.reading else { return [] }
        var parts: [String] = []
        if let failure = reading.sendFailure { parts.append("journal send failing: \(failure)") }
        if reading.journalUnreadable { parts.append("journal unreadable: delivery at least once") }
        return parts
    }

    /// Takes the checkpoints a batch moved and forgets the files it released.
    mutating func follow(_ batch: FollowerBatch) {
        for checkpoint in batch.checkpoints { files[checkpoint.identity] = checkpoint }
        for released in batch.released { files[released.identity] = nil }
    }

    /// Takes the listener's connection events: a connection opened or closed.
    mutating func follow(_ events: [MLLPConnectionEvent]) {
        for event in events {
            switch event {
            case .connected(let peer):
                mllpPeers[Self.address(of: peer), default: 0] += 1
            case .closed(let peer, _):
                let address = Self.address(of: peer)
                if let open = mllpPeers[address] { mllpPeers[address] = open > 1 ? open - 1 : nil }
            case .refused:
                break
            }
        }
    }

    /// `127.0.0.1` of `127.0.0.1:40112`, `::1` of `[::1]:40112`.
    static func address(of peer: String) -> String {
        if peer.hasPrefix("["), let end = peer.firstIndex(of: "]") {
            return String(peer[peer.index(after: peer.startIndex)..<end])
        }
        guard let colon = peer.lastIndex(of: ":") else { return peer }
        return String(peer[..<colon])
    }

    /// `mllp N connection(s): ADDRESS xK, ...` (the first ``listedFiles`` peers by address).
    var mllpPart: String? {
        guard mllpListening else { return nil }
        let open = mllpPeers.values.reduce(0, +)
        guard open > 0 else { return "mllp 0 connections" }
        let peers = mllpPeers.sorted { $0.key < $1.key }
        var listed = peers.prefix(Self.listedFiles).map { $0.value > 1 ? "\($0.key) x\($0.value)" : $0.key }
        if peers.count > Self.listedFiles { listed.append("\(peers.count - Self.listedFiles) more peer(s)") }
        return "mllp \(open) connection(s): " + listed.joined(separator: ", ")
    }

    /// The first ``listedFiles`` files by path (one pass: a spool may hold 100,000 files).
    var listed: [FollowerCheckpoint] {
        var first: [FollowerCheckpoint] = []
        for file in files.values {
            if first.count == Self.listedFiles {
                guard let last = first.last, file.path < last.path else { continue }
                first.removeLast()
            }
            let index = first.firstIndex { file.path < $0.path } ?? first.endIndex
            first.insert(file, at: index)
        }
        return first
    }

    /// The whole line: counters, then each file (lag from a `stat` of its path, `?` when
    /// the path names another file now, e.g. a rotated file still being read).
    var line: String {
        var parts = [counters] + deliveryProblems
        if let mllpPart { parts.append(mllpPart) }
        for file in listed {
            parts.append("\(file.path) offset \(file.offset) lag \(Self.lag(of: file))")
        }
        if files.count > Self.listedFiles {
            parts.append("and \(files.count - Self.listedFiles) more file(s)")
        }
        if files.isEmpty { parts.append("no feed file yet") }
        return parts.joined(separator: "; ")
    }

    static func lag(of checkpoint: FollowerCheckpoint) -> String {
        var info = stat()
        guard stat(checkpoint.path, &info) == 0, UInt64(info.st_ino) == checkpoint.identity.inode,
            UInt64(info.st_dev) == checkpoint.identity.device
        else { return "?" }
        return String(max(0, Int(info.st_size) - checkpoint.offset))
    }
}
