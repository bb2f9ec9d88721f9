import Foundation
import PostgresStore
import StateStore
import Testing

/// Leadership on the PostgreSQL store (DESIGN.md section 10): one lease row, a fencing
/// token that each takeover advances, an expiry by the database's clock, and commits
/// fenced with the lease refused once another instance took over.
@Suite("PostgreSQL store: leader lease and fencing")
struct LeaderLeaseTests {
    /// A lease and its store, opened on `settings`' schema.
    struct Instance {
        let election: LeaderLease
        let store: PostgreSQLStore
    }

    static func instance(_ name: String, _ settings: PostgreSQLStoreSettings, lasting duration: Duration)
        throws
        -> Instance
    {
        let store = try PostgreSQLStore(settings: settings)
        return Instance(
            election: LeaderLease(settings: settings, holder: name, duration: duration), store: store)
    }

    /// Runs `body` with two instances (`a:1:1` and `b:2:2`) on a fresh schema, whose
    /// leases last `duration`; closes them and drops the schema after.
    static func withTwoInstances(
        lasting duration: Duration, _ body: (Instance, Instance) async throws -> Void
    ) async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let a = try instance("a:1:1", settings, lasting: duration)
        let b = try instance("b:2:2", settings, lasting: duration)
        defer {
            a.election.close()
            b.election.close()
        }
        try await body(a, b)
        await a.store.close()
        await b.store.close()
    }

    static func checkpoint(_ inode: UInt64, offset: Int) -> FileCheckpoint {
        FileCheckpoint(
            identity: FileIdentity(device: 1, inode: inode, fingerprint: Array("MSH|^~\\&".utf8)),
            path: "/spool/feed.hl7", offset: offset)
    }

    @Test func oneInstanceHoldsTheLeaseAtATime() async throws {
        try await Self.withTwoInstances(lasting: .seconds(30)) { a, b in
            #expect(try b.election.current() == nil, "nobody held it yet")
            let lease = try #require(try a.election.acquire())
            #expect(lease.holder == "a:1:1")
            #expect(try b.election.acquire() == nil, "b cannot take an unexpired lease")
            let again = try #require(
                try a.election.acquire(), "its holder takes it again (after losing its store)")
            #expect(again.token == lease.token + 1)
            #expect(try a.election.renew(lease) == false, "the earlier token no longer holds")
            let holder = try #require(try b.election.current())
            #expect(holder.holder == "a:1:1" && holder.token == again.token && !holder.isExpired)
            #expect(try a.election.renew(again))
        }
    }

    @Test func anExpiredLeaseIsTakenOverWithTheNextTokenAndTheOldOneCannotRenew() async throws {
        try await Self.withTwoInstances(lasting: .milliseconds(300)) { a, b in
            let first = try #require(try a.election.acquire())
            try await Task.sleep(for: .milliseconds(500))
            #expect(try b.election.current()?.isExpired == true)
            let second = try #require(try b.election.acquire(), "b takes the expired lease")
            #expect(second.token == first.token + 1)
            #expect(try a.election.renew(first) == false, "the old holder's renewal fails: taken over")
            #expect(try b.election.renew(second))
        }
    }

    @Test func aLeaseRenewedInTimeIsNotTakenOver() async throws {
        try await Self.withTwoInstances(lasting: .milliseconds(400)) { a, b in
            let lease = try #require(try a.election.acquire())
            for _ in 0..<6 {
                try await Task.sleep(for: .milliseconds(150))
                #expect(try a.election.renew(lease))
                #expect(try b.election.acquire() == nil)
            }
        }
    }

    @Test func aReleasedLeaseIsTakenAtOnce() async throws {
        try await Self.withTwoInstances(lasting: .seconds(30)) { a, b in
            let lease = try #require(try a.election.acquire())
            try a.election.release(lease)
            let taken = try #require(try b.election.acquire())
            #expect(taken.token == lease.token + 1)
        }
    }

    /// Fencing: a store fenced with a lease commits while the lease holds its token; once
    /// another instance took over, its commit, delivery marks and pruning throw `fenced`
    /// and store nothing, while the new leader's commits go through.
    @Test func aFencedStoreCommitsNothingOnceAnotherInstanceTookOver() async throws {
        try await Self.withTwoInstances(lasting: .milliseconds(300)) { a, b in
            let old = try #require(try a.election.acquire())
            await a.store.fence(with: old)
            try await a.store.commit(StoreBatch(checkpoints: [Self.checkpoint(7, offset: 100)]))

            try await Task.sleep(for: .milliseconds(500))  // a paused: its lease expires
            let new = try #require(try b.election.acquire())
            await b.store.fence(with: new)

            let error = await #expect(throws: StateStoreError.self) {
                try await a.store.commit(StoreBatch(checkpoints: [Self.checkpoint(7, offset: 999)]))
            }
            #expect(error?.code == .fenced, "\(String(describing: error))")
            await #expect(throws: StateStoreError.self) {
                try await a.store.markDelivered(["nothing"], writtenAt: 1)
            }
            try await b.store.commit(StoreBatch(checkpoints: [Self.checkpoint(7, offset: 200)]))
            let stored = try await b.store.checkpoints()
            #expect(
                stored.map(\.offset) == [200], "the new leader's commit stands, the old one's is not there")
        }
    }

    /// Unfenced (no lease given), a store commits as before: the SQLite-like single instance.
    @Test func anUnfencedStoreCommitsWhoeverHoldsTheLease() async throws {
        let settings = try TestServer.freshSettings()
        defer { try? PostgreSQLStore.dropSchema(settings: settings) }
        let a = try Self.instance("a:1:1", settings, lasting: .seconds(30))
        defer { a.election.close() }
        _ = try #require(try a.election.acquire())
        let other = try PostgreSQLStore(settings: settings)
        try await other.commit(StoreBatch(checkpoints: [Self.checkpoint(9, offset: 5)]))
        #expect(try await other.checkpoints().map(\.offset) == [5])
        await other.close()
        await a.store.close()
    }
}
