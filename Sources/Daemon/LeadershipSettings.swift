import StateStore

/// High availability (DESIGN.md section 10): instances that share a PostgreSQL store
/// elect one leader; the others wait as standbys, reading nothing.
public struct LeadershipSettings: Sendable {
    /// `ha.takeover_ms`: once the leader stops renewing its lease, a standby takes over
    /// within this (the lease lasts ``leaseDuration``, and a standby looks every
    /// ``pollInterval``).
    public var takeover: Duration
    /// Opens the election (a connection of its own to the shared store), for a lease of
    /// ``leaseDuration`` named ``holder``.
    public var openElection:
        @Sendable (_ holder: String, _ leaseDuration: Duration) throws -> any LeaderElection

    /// Creates the settings.
    public init(
        takeover: Duration,
        openElection:
            @escaping @Sendable (_ holder: String, _ leaseDuration: Duration) throws -> any LeaderElection
    ) {
        self.takeover = takeover
        self.openElection = openElection
    }

    /// How often a standby tries to take the lease: a fifth of the takeover time, at most
    /// a second.
    public var pollInterval: Duration { min(.seconds(1), takeover / 5) }
    /// How long a lease lasts unless renewed: the takeover time less a standby's poll.
    public var leaseDuration: Duration { takeover - pollInterval }
    /// How often the leader renews: every second (DESIGN.md section 10), or a third of
    /// the lease when that is shorter.
    public var renewInterval: Duration { min(.seconds(1), leaseDuration / 3) }
}
