import FeedIO
import Review

/// How `extravasd alerts` prints what it read, whatever it read it from (the journal or
/// the shared record): the listing (table: header, rows, summary; json: one object per
/// line, the summary on stderr), then, while following, each new alert or update.
struct AlertsPrinter {
    let table: ReviewTable
    let json: ReviewJSON
    let format: AlertsCommand.Format
    /// Standard output (buffered; flushed after the listing and after each turn).
    let output = OutputSink()

    /// Prints the rows found, and flushes.
    func list(_ rows: [AlertLedger.Row]) {
        switch format {
        case .table:
            output.write(table.header)
            for row in rows { output.write(table.row(row)) }
            output.write(ReviewTable.summary(rows) + "\n")
        case .json:
            for row in rows { output.write(json.line(row)) }
        }
        output.flush()
        if format == .json { AlertsCommand.standardError(ReviewTable.summary(rows)) }
    }

    /// Prints what following found (nothing for `nil`); the caller flushes.
    func print(_ event: AlertReview.Event?) {
        switch (event, format) {
        case (.alert(let row), .table): output.write(table.row(row))
        case (.updated(let row), .table): output.write(table.update(row))
        case (.alert(let row), .json), (.updated(let row), .json): output.write(json.line(row))
        case (nil, _): break
        }
    }
}
