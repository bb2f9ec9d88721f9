/// Leadership among instances that share one store (DESIGN.md section 10): a lease that
/// one instance holds, renews, and gives up; the others take it once it has expired,
/// each takeover with the next fencing token.
///
/// A store fenced with the lease (``SurveillanceStore/fence(with:)``) checks the token in
/// every commit's own transaction, so an instance that lost leadership while paused
/// commits nothing after the takeover. Calls block the calling thread (run them off the
/// cooperative pool).
public protocol LeaderElection: Sendable {
    /// This instance's name in the lease (`host:pid:start`).
    var holder: String { get }
    /// Takes the lease when nobody holds it, the holder's has expired, or this instance
    /// holds it already (it lost its store and stands by): the lease with the next fencing
    /// token, or `nil` when another instance holds an unexpired one.
    func acquire() throws -> Lease?
    /// Extends `lease`: `false` when it was taken over (another token holds it).
    func renew(_ lease: Lease) throws -> Bool
    /// Gives `lease` up (a clean stop): it expires at once, so a standby need not wait.
    func release(_ lease: Lease) throws
    /// Who holds leadership, or `nil` when nobody ever did.
    func current() throws -> LeaseHolder?
    /// Closes the election's connection. Safe to call more than once.
    func close()
}
