import Configuration
import Daemon
import Dispatch
import Foundation
import Review
import StateStore

/// `extravasd alerts` with the PostgreSQL store (DESIGN.md section 10): the store is the
/// shared record of the hosts, so the alerts (delivered outbox entries, whichever host
/// wrote them) and the acknowledgements (rows `extravasd ack` wrote on any host) come from
/// it, folded and printed exactly as the journal's (each alert id once, its latest
/// trusted acknowledgement, the same table and JSON keys).
extension AlertsCommand {
    /// How far back each turn of `--follow` looks for alerts marked delivered since the
    /// last (an alert is marked with the time it was written, some seconds before; its
    /// reminder fires `reminders.after_minutes` later): a day, within `--since`.
    static let sharedFollowWindow: Int64 = 86_400_000_000

    /// The configuration's shared record, or `nil` with the SQLite store; a store that
    /// cannot be opened exits 1, saying why.
    func openSharedRecord(_ configuration: ExtravasdConfiguration) throws -> (any SharedReviewRecord)? {
        do {
            return try StoreOpening.sharedRecord(configuration)
        } catch {
            Self.standardError("cannot open the state store: \(error)")
            throw ExitStatus.failure
        }
    }

    /// Lists (and with `--follow` follows, polling every half second) the alerts of
    /// `record` under `filter`.
    func reviewSharedRecord(
        _ record: any SharedReviewRecord, filter: ReviewFilter, trust: AcknowledgementTrust,
        printer: AlertsPrinter
    ) async throws {
        let stop = StopRequest()
        var signalSources: [any DispatchSourceSignal] = []
        defer { for source in signalSources { source.cancel() } }
        if follow { signalSources = stop.listen() }

        var review = AlertReview(filter: filter, trust: trust)
        var turnStarted = Self.now()
        var sequence: Int64 = 0
        for entry in try await read(record, since: filter.since, until: filter.until, after: &sequence) {
            review.add(entry)
        }
        printer.list(review.listing())
        guard follow else { return }
        Self.standardError("following the state store; Ctrl-C ends")
        while !stop.requested {
            try await Task.sleep(for: .milliseconds(500))
            let since = max(filter.since ?? Int64.min, turnStarted - Self.sharedFollowWindow)
            turnStarted = Self.now()
            for entry in try await read(record, since: since, until: filter.until, after: &sequence) {
                printer.print(review.follow(entry))
            }
            printer.output.flush()
        }
    }

    /// ``SharedRecordReading/entries(_:since:until:after:)``; a store failure exits 1.
    private func read(
        _ record: any SharedReviewRecord, since: Int64?, until: Int64?, after sequence: inout Int64
    ) async throws -> [[String: String]] {
        do {
            return try await SharedRecordReading.entries(record, since: since, until: until, after: &sequence)
        } catch {
            Self.standardError("cannot read the state store: \(error)")
            throw ExitStatus.failure
        }
    }

    /// Microseconds since the epoch, now.
    static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }
}
