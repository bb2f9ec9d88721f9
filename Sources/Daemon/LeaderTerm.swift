import StateStore
import Threads

/// One term of leadership: the lease this instance took, renewed every
/// ``LeadershipSettings/renewInterval`` until it is lost or the term ends.
struct LeaderTerm: Sendable {
    let lease: Lease
    let election: any LeaderElection
    let settings: LeadershipSettings

    /// Renews the lease until it is lost (returns why) or the task is cancelled (returns
    /// `nil`). It is lost when another instance took it over, or when it could not be
    /// renewed for as long as it lasts (the store unreachable: a standby may have taken
    /// it; commits would be refused anyway).
    func keep() async -> String? {
        var renewed = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.renewInterval)
            if Task.isCancelled { return nil }
            let election = election
            let lease = lease
            do {
                guard try await DedicatedThread.run({ try election.renew(lease) }) else {
                    return "another instance took leadership over"
                }
                renewed = ContinuousClock.now
            } catch {
                if ContinuousClock.now - renewed >= settings.leaseDuration {
                    return "the lease could not be renewed for \(settings.leaseDuration): \(error)"
                }
            }
        }
        return nil
    }
}
