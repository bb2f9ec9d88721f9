import ClinicalEvents
import FeedIO
import HL7
import Surveillance

/// One replay of historical feed files through the surveillance engine: the files merged
/// by message time (``ReplayMerger``), each message processed by one ``SurveillanceEngine``,
/// the counts kept in a ``ReplaySummary``. The engine is the daemon's: only the driver
/// differs (files named up front, no store, no journal of its own).
///
/// Each file is read ahead on a thread of its own (``ParsedMessagePipeline``) while the
/// engine runs on the caller's, up to ``maximumReadAheadFiles`` files; more files are read
/// in place, on the caller's thread (a thread per file would only compete for the cores).
///
/// Output is the caller's: each alert is handed to it in processing order.
public struct ReplayRun {
    /// The most files a replay reads ahead, each on its own thread (more: all in place).
    public static let maximumReadAheadFiles = 4

    /// The files being replayed, in argument order.
    private let feeds: [ReplayFeed]
    /// The state this run continued from (files of an earlier run that are not named
    /// again keep their entries).
    private let continued: ReplayState
    private var engine: SurveillanceEngine
    private let maxJumpSeconds: Int64
    /// What has been replayed so far.
    public private(set) var summary: ReplaySummary
    /// The state file the engine pages from and commits to (``page(through:cacheBytes:)``);
    /// `nil`: everything stays in memory.
    private var store: ReplayStore?
    /// The engine's cache budget when paging.
    private var cacheBytes = 8_388_608

    /// Opens `files` (each from just past the last message replayed from it in `state`)
    /// and sets up the engine with `settings` and the engine state in `state`.
    /// Throws the first file that cannot be opened.
    public init(
        files: [String], settings: SurveillanceSettings, limits: ParseLimits,
        continuing state: ReplayState = ReplayState()
    ) throws(FeedIOError) {
        try self.init(
            files: files, settings: settings, limits: limits, continuing: state,
            readAheadFiles: Self.maximumReadAheadFiles)
    }

    /// A replay that reads its files ahead when they are at most `readAheadFiles`, else in
    /// place (tests compare the two).
    init(
        files: [String], settings: SurveillanceSettings, limits: ParseLimits, continuing state: ReplayState,
        readAheadFiles: Int
    ) throws(FeedIOError) {
        var feeds: [ReplayFeed] = []
        for (index, file) in files.enumerated() {
            let feed = try ReplayFeed(
                path: file, argumentIndex: index, limits: limits, settings: settings,
                resumeAt: state.files[file] ?? 0, readAhead: files.count <= readAheadFiles)
            feed.previousKey = state.mergeKeys?[file]
            feeds.append(feed)
        }
        self.feeds = feeds
        engine = SurveillanceEngine(settings: settings, state: state.engine)
        var continued = state
        continued.engine = SurveillanceState()
        self.continued = continued
        maxJumpSeconds = settings.clockMaxJumpSeconds
        summary = ReplaySummary(files: files.count)
    }

    /// How many messages apart the engine's list of changes is emptied (no store), or
    /// what it holds is compared with the cache budget (a store: committed when over).
    public static let changesTakenEvery = 4_096
    /// With a store, the most messages between two commits (each a consistent point a
    /// later run continues from).
    public static let commitEvery = 65_536

    /// Pages the engine's records and identities through `store` (which the run was set
    /// up from: `continuing: store.loaded`), holding about `cacheBytes` of them: what the
    /// engine changed is committed to the store, with where each file stopped, when what
    /// it holds is over the budget (looked at every ``changesTakenEvery`` messages), at
    /// least every ``commitEvery`` messages, and at the end.
    public mutating func page(through store: ReplayStore, cacheBytes: Int) {
        self.store = store
        self.cacheBytes = cacheBytes
        store.page(&engine)
    }

    /// Commits to the store what the engine changed and where each file stopped.
    private mutating func commit(to store: ReplayStore, final: Bool = false) throws {
        try store.commit(
            &engine, positions: feeds.map { ($0.path, $0.consumedOffset, $0.previousKey) },
            cacheBytes: cacheBytes,
            final: final)
    }

    /// Replays the files to their end, or until `maxMessages` messages were taken.
    ///
    /// - Parameters:
    ///   - progress: called after each message is counted, before it is processed.
    ///   - implausibleTime: called for the first message of a file with an implausible
    ///     MSH-7 (path and offset); later ones in that file are only counted.
    ///   - timeline: when given, the engine records its timeline (``TimelineRecorder``:
    ///     exposures, assessments, merges) and each event is handed to it after its
    ///     message, before the message's alerts; an error it throws ends the replay.
    ///     Recording changes no alert.
    ///   - alert: called with each alert, in the order the engine raises them; an error
    ///     it throws ends the replay.
    /// - Throws: an error reading a file, or the error `timeline` or `alert` threw.
    public mutating func run(
        maxMessages: Int? = nil, progress: (ReplaySummary) -> Void = { _ in },
        implausibleTime: (_ path: String, _ offset: Int) -> Void = { _, _ in },
        timeline: ((TimelineEvent) throws -> Void)? = nil,
        alert: (Alert) throws -> Void
    ) throws {
        // However the run ends (the end, `maxMessages`, an error): no file is read on.
        defer { for feed in feeds { feed.stopReading() } }
        if timeline != nil && engine.timeline == nil { engine.timeline = TimelineRecorder() }
        var merger = try ReplayMerger(feeds: feeds)
        var taken = 0
        var implausibleFiles: Set<String> = []
        while let (feed, result, prepared, offset) = try merger.next(
            clock: engine.state.clock, maxJumpSeconds: maxJumpSeconds)
        {
            taken += 1
            summary.messages += 1
            progress(summary)
            let source = MessageSource.file(feed.path, offset: offset)
            switch result {
            case .failure(let error):
                summary.noteMalformed("\(feed.path):\(offset): \(error)")
            case .success(let message):
                summary.countType(message)
                let outcome =
                    if let prepared { engine.process(prepared, source: source) } else {
                        engine.process(message, source: source)
                    }
                switch outcome {
                case .processed(let alerts):
                    if let timeline {
                        for event in engine.takeTimelineEvents() { try timeline(event) }
                    }
                    for raised in alerts {
                        summary.count(raised)
                        try alert(raised)
                    }
                case .duplicate: summary.duplicates += 1
                case .ignored: summary.ignored += 1
                case .rejected(let rejection):
                    summary.noteMalformed("\(feed.path):\(offset): \(rejection)")
                }
                if engine.lastMessageTimeImplausible {
                    summary.implausibleTimes += 1
                    if implausibleFiles.insert(feed.path).inserted {
                        implausibleTime(feed.path, offset)
                    }
                }
            }
            // A record or identity the store could not give: what follows may be wrong.
            if let failure = engine.pagingFailure { throw failure }
            // What changed is committed to the store, or (no store) forgotten: the list
            // would otherwise grow with the feed.
            if taken % Self.changesTakenEvery == 0 {
                if let store {
                    if taken % Self.commitEvery == 0 || engine.holdsMoreThan(cacheBytes) {
                        try commit(to: store)
                    }
                } else {
                    _ = engine.takeChanges()
                }
            }
            if let maxMessages, taken >= maxMessages { break }
        }
        if let store {
            try commit(to: store, final: true)
            summary.openEpisodes = try store.openEpisodeCount(held: engine.state)
        } else {
            summary.openEpisodes = engine.state.openEpisodeCount
        }
    }

    /// The state to save for a later run to continue from: the engine's state and, per
    /// file, where it stopped (entries of files not named in this run are kept).
    public var state: ReplayState {
        var saved = continued
        saved.engine = engine.state
        for feed in feeds {
            saved.files[feed.path] = feed.consumedOffset
            if let key = feed.previousKey {
                saved.mergeKeys = (saved.mergeKeys ?? [:]).merging([feed.path: key]) { $1 }
            }
        }
        return saved
    }
}
