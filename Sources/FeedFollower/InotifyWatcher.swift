import Glibc

/// One inotify event about a watched folder or an entry in it.
struct InotifyEvent: Sendable, Hashable {
    /// The watched folder (`nil` for a queue overflow or an unknown watch).
    var directory: String?
    /// The entry's name inside the folder (empty for an event about the folder itself).
    var name: String
    /// The event's `IN_*` bits.
    var mask: UInt32

    /// The entry's path, spelled as glob(3) spells it for the folder's patterns, when the
    /// event names an entry.
    var path: String? {
        guard let directory, !name.isEmpty else { return nil }
        return FeedPatterns.path(name, in: directory)
    }

    func has(_ bit: Int32) -> Bool { mask & UInt32(bitPattern: bit) != 0 }
}

/// An inotify instance watching the folders that hold feed files.
///
/// Folders, not files, are watched: that way a file created or renamed into a folder
/// is seen, and a followed file renamed away is noticed by its name.
final class InotifyWatcher {
    /// The inotify descriptor (non-blocking, close-on-exec).
    let descriptor: Int32
    private var folders: [Int32: String] = [:]
    private var watches: [String: Int32] = [:]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// The events watched in each folder.
    static let mask: UInt32 = UInt32(
        bitPattern: IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE
            | IN_DELETE_SELF
            | IN_MOVE_SELF | IN_Q_OVERFLOW | IN_ONLYDIR)

    /// Creates the instance.
    init() throws(FollowerError) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            throw FollowerError(code: .inotify, path: "inotify", errorNumber: errno)
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Whether `directory` is watched.
    func isWatching(_ directory: String) -> Bool { watches[directory] != nil }

    /// Watches `directory` (again, if its watch was lost).
    func watch(_ directory: String) throws(FollowerError) {
        guard watches[directory] == nil else { return }
        let wd = inotify_add_watch(descriptor, directory, Self.mask)
        guard wd >= 0 else { throw FollowerError(code: .watch, path: directory, errorNumber: errno) }
        // The same folder under two spellings gives the same watch: keep the latest name.
        if let previous = folders[wd] { watches[previous] = nil }
        folders[wd] = directory
        watches[directory] = wd
    }

    /// Every event queued now (without blocking). A queue overflow yields one event with
    /// `IN_Q_OVERFLOW` and no folder.
    func readEvents() -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            buffer.withUnsafeBytes { bytes in
                var at = 0
                let header = 16
                while at + header <= count {
                    let wd = bytes.loadUnaligned(fromByteOffset: at, as: Int32.self)
                    let mask = bytes.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)
                    let length = Int(bytes.loadUnaligned(fromByteOffset: at + 12, as: UInt32.self))
                    let nameBytes = bytes[(at + header)..<min(count, at + header + length)]
                    let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                    events.append(InotifyEvent(directory: folders[wd], name: name, mask: mask))
                    if mask & UInt32(bitPattern: IN_IGNORED) != 0, let folder = folders[wd] {
                        folders[wd] = nil
                        if watches[folder] == wd { watches[folder] = nil }
                    }
                    at += header + length
                }
            }
        }
        return events
    }
}
