import CMalloc

/// Gives heap memory the daemon freed back to the system, at most once per ``interval``
/// while it works (`malloc_trim(0)`).
///
/// glibc keeps freed memory in its arenas for reuse and returns only what lies at an
/// arena's top. Busy stretches (a flood of malformed messages, each with its journal
/// entry and dead letter; a backlog) leave many small allocations scattered over the
/// arenas: measured on 60,000 malformed messages, the heap's peak was 8 MB but the
/// daemon kept 35 MB of anonymous memory afterwards. Trimming releases the free pages
/// between them, so resident memory follows what is in use. It walks the free lists of
/// each arena: a few milliseconds at most, once per interval.
struct FreedMemoryRelease {
    /// The least time between two releases.
    var interval: Duration = .seconds(1)
    private var releasedAt = ContinuousClock.now

    /// Releases free heap pages when the last release was ``interval`` ago or more.
    mutating func afterWork() {
        let now = ContinuousClock.now
        guard now - releasedAt >= interval else { return }
        releasedAt = now
        _ = malloc_trim(0)
    }
}
