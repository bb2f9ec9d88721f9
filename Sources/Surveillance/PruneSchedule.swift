import ClinicalEvents

/// When each patient record and each processed message identity next has something to
/// prune, by message day: pruning at a new day (``SurveillanceEngine/prune(at:)``) visits
/// only what is due, not the whole state.
///
/// A record's due time is a lower bound of the first clock at which pruning would change
/// it (``PatientRecord/earliestPruneTime(labLookbackDays:lateWatchDays:lineForgetHours:)``):
/// a record visited early is pruned exactly as a full scan would (nothing changes) and
/// scheduled again. A record written since the last pruning is only marked changed (its
/// due time is worked out once, when it is next visited: records change far more often
/// than the clock enters a new day). The schedule is kept in step by the engine wherever
/// a record or an identity is written, and rebuilt when the state or the settings are
/// replaced.
struct PruneSchedule: Sendable {
    /// Patients by the day they are due (each patient in one day at most).
    private var patientsByDay: [Int64: Set<PatientKey>] = [:]
    private var dayOfPatient: [PatientKey: Int64] = [:]
    /// Identities by the day of the time they were recorded with (an identity recorded
    /// again after it was pruned can be listed twice: the table's time decides).
    private var identitiesByDay: [Int64: [MessageIdentity]] = [:]
    /// The identities of the day recorded last (most messages are of the same day as the
    /// one before): moved into ``identitiesByDay`` when another day comes.
    private var openDay = Int64.min
    private var openDayIdentities: [MessageIdentity] = []
    /// Patients whose record was written since it was last visited: visited at the next
    /// pruning, whatever their due day.
    private var changed = Set<PatientKey>()

    /// Whether everything in the state is to be looked at by the next pruning (a state
    /// loaded or replaced, settings changed): nothing is scheduled one by one until then,
    /// so that starting with a large state costs nothing here.
    private(set) var unscheduled = false

    /// A schedule of a state not looked at yet: the next pruning looks at every record
    /// and identity (and schedules them); `state` empty: nothing to look at.
    init(everythingIn state: SurveillanceState) {
        unscheduled = !state.patients.isEmpty || !state.processed.isEmpty
    }

    /// An empty schedule.
    init() {}

    /// The day of `time` (days since the epoch, rounded down).
    static func day(_ time: Instant) -> Int64 {
        let quotient = time.seconds / secondsPerDay
        return time.seconds % secondsPerDay < 0 ? quotient - 1 : quotient
    }

    /// Schedules the patient `key` at `time` (`nil`: nothing to prune until it changes),
    /// replacing where it was.
    mutating func schedule(_ key: PatientKey, dueAt time: Instant?) {
        let day = time.map(Self.day)
        let current = dayOfPatient[key]
        guard current != day else { return }
        if let current { patientsByDay[current]?.remove(key) }
        if let day {
            dayOfPatient[key] = day
            patientsByDay[day, default: []].insert(key)
        } else {
            dayOfPatient[key] = nil
        }
    }

    /// Marks the patient `key`'s record as written: visited at the next pruning.
    mutating func recordChanged(_ key: PatientKey) {
        if !changed.contains(key) { changed.insert(key) }
    }

    /// Takes the patients due by `clock`'s day, and those changed since, out of the
    /// schedule (to be pruned and scheduled again), in no particular order (each is pruned
    /// on its own: the order changes nothing).
    mutating func takePatientsDue(at clock: Instant) -> [PatientKey] {
        let today = Self.day(clock)
        var due = changed
        changed.removeAll()
        for day in patientsByDay.keys where day <= today {
            if let keys = patientsByDay.removeValue(forKey: day) {
                for key in keys {
                    dayOfPatient[key] = nil
                    due.insert(key)
                }
            }
        }
        return Array(due)
    }

    /// Records that `identity` was processed with `time`.
    mutating func record(_ identity: MessageIdentity, at time: Instant) {
        let day = Self.day(time)
        if day != openDay {
            closeOpenDay()
            openDay = day
            openDayIdentities = identitiesByDay.removeValue(forKey: day) ?? []
        }
        openDayIdentities.append(identity)
    }

    /// Moves the identities of the day recorded last into the table (moved, not copied,
    /// when the table has none of that day: ``record(_:at:)`` took them out).
    private mutating func closeOpenDay() {
        guard !openDayIdentities.isEmpty else { return }
        if var listed = identitiesByDay.removeValue(forKey: openDay) {
            listed += openDayIdentities
            identitiesByDay[openDay] = listed
        } else {
            identitiesByDay[openDay] = openDayIdentities
        }
        openDayIdentities = []
    }

    /// Forgets the patient `key` (its record was let go: its stored due time schedules it).
    mutating func forget(_ key: PatientKey) {
        schedule(key, dueAt: nil)
        changed.remove(key)
    }

    /// Takes up to `count` scheduled identities out of the schedule, those of the
    /// earliest days first (let go by the engine: the store prunes them by their time).
    mutating func takeOldestIdentities(_ count: Int) -> [MessageIdentity] {
        var taken: [MessageIdentity] = []
        for day in identitiesByDay.keys.sorted() where taken.count < count && day < openDay {
            take(from: &identitiesByDay[day]!, upTo: count, into: &taken)
            if identitiesByDay[day]!.isEmpty { identitiesByDay[day] = nil }
        }
        // The day recorded last (usually today) only when the earlier ones are not enough.
        if taken.count < count { take(from: &openDayIdentities, upTo: count, into: &taken) }
        for day in identitiesByDay.keys.sorted() where taken.count < count && day > openDay {
            take(from: &identitiesByDay[day]!, upTo: count, into: &taken)
            if identitiesByDay[day]!.isEmpty { identitiesByDay[day] = nil }
        }
        return taken
    }

    private func take(
        from list: inout [MessageIdentity], upTo count: Int, into taken: inout [MessageIdentity]
    ) {
        let wanted = min(count - taken.count, list.count)
        guard wanted < list.count else {
            // The whole list: moved (not copied) when nothing was taken yet.
            if taken.isEmpty {
                swap(&taken, &list)
            } else {
                taken.append(contentsOf: list)
            }
            list.removeAll()
            return
        }
        taken += list[..<wanted]
        list.removeFirst(wanted)
    }

    /// Takes out of the schedule every identity recorded with a time on or before the day
    /// of `start`: the candidates for pruning (those still recorded with a time from
    /// `start` on must be recorded again), one list per day, each moved out of the
    /// schedule (not copied into one).
    mutating func takeIdentities(throughDayOf start: Instant) -> [[MessageIdentity]] {
        closeOpenDay()
        openDay = .min
        let last = Self.day(start)
        // The due days first (removing while iterating the keys would copy the table), in
        // the table's order.
        let due = identitiesByDay.keys.filter { $0 <= last }
        return due.compactMap { identitiesByDay.removeValue(forKey: $0) }
    }
}

extension PatientRecord {
    /// A lower bound of the first clock at which pruning would change this record: the
    /// earliest time a lab leaves the look-back, a line is forgotten or an exposure is past
    /// every watch (each with pruning's day of margin); the distant past when something
    /// goes at the next pruning whatever the clock (an ended order with no exposure left,
    /// an episode whose exposure is gone, a discharged patient with nothing left); `nil`
    /// when nothing ever goes until the record changes.
    func earliestPruneTime(labLookbackDays: Int, lateWatchDays: Int, lineForgetHours: Int) -> Instant? {
        let margin = secondsPerDay
        let distantPast = Instant(seconds: .min)
        if dischargedAt != nil && orders.isEmpty && standaloneAdministrations.isEmpty { return distantPast }
        var earliest: Int64?
        func consider(_ seconds: Int64, plus delta: Int64) {
            let (sum, overflow) = seconds.addingReportingOverflow(delta)
            let due = overflow ? (delta > 0 ? Int64.max : Int64.min) : sum
            earliest = min(earliest ?? due, due)
        }
        func considerExposure(_ exposure: SiteExposure) {
            guard let end = exposure.effectiveEnd else { return }
            let lastWatch = max(exposure.watchWindowHours, exposure.calciumEntry ? lateWatchDays * 24 : 0)
            consider(end.seconds, plus: Int64(lastWatch) * 3600 + margin)
        }
        for index in labs.indices {
            consider(labs[index].time.seconds, plus: Int64(labLookbackDays) * secondsPerDay + margin)
        }
        for index in lines.indices {
            let line = lines[index]
            consider(
                max(line.lastAssessed, line.removedAt ?? line.lastAssessed).seconds,
                plus: Int64(lineForgetHours) * 3600 + margin)
        }
        for order in orders.indices {
            if orders[order].ended && orders[order].exposures.isEmpty { return distantPast }
            for index in orders[order].exposures.indices { considerExposure(orders[order].exposures[index]) }
        }
        for index in standaloneAdministrations.indices {
            considerExposure(standaloneAdministrations[index].exposure)
        }
        for index in episodes.indices where !hasExposure(episodes[index].exposure) { return distantPast }
        return earliest.map(Instant.init(seconds:))
    }
}
