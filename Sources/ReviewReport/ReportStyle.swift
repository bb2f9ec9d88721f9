/// The page's one style sheet, inline. On screen severities and bars have colours; in
/// print (`@media print`) everything is black, white and greys, and each meaning is also
/// carried by a shape, a letter, a pattern or a label (the legend says which).
enum ReportStyle {
    /// The CSS.
    static let css = """
        :root { --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --critical: #a4161a; --high: #e8890c;
          --bar: #3d5a80; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
          margin: 0 auto; padding: 24px 28px 40px; max-width: 1040px; background: #fff; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
        h3 { font-size: 16px; margin: 22px 0 6px; }
        h4 { font-size: 14px; margin: 14px 0 4px; font-family: "DejaVu Sans Mono", monospace; }
        .where { font-weight: normal; color: var(--muted); margin-left: 8px; }
        .summary { font-size: 16px; margin: 4px 0 12px; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0;
          font-size: 13px; }
        dl.meta dt { font-weight: bold; }
        dl.meta dd { margin: 0; overflow-wrap: anywhere; }
        code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
        .note, p.assessments { color: var(--muted); font-size: 13px; margin: 4px 0; }
        article.patient { border-top: 1px solid var(--rule); margin-top: 18px; }
        section.site { margin: 0 0 14px; }
        svg.timeline { display: block; max-width: 100%; height: auto; }
        svg.legend { display: block; max-width: 100%; height: auto; margin: 4px 0 8px; }
        svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; fill: var(--ink); }
        .lane { font-size: 11px; fill: var(--muted); font-style: italic; }
        .lane-rule { stroke: #e2e2e2; stroke-width: 1; }
        .grid { stroke: #e6e6e6; stroke-width: 1; }
        .axis { stroke: var(--ink); stroke-width: 1; }
        .tick { font-size: 10.5px; }
        .tick-date { font-weight: bold; }
        .bar { fill: var(--bar); stroke: var(--ink); stroke-width: 1; }
        .bar-label { font-size: 11px; }
        .watch { fill: url(#watch-hatch); stroke: var(--ink); stroke-width: 1; }
        .late-watch { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 2 3; }
        .late-watch-end { stroke: var(--ink); stroke-width: 1.5; }
        .open-end { fill: var(--bar); stroke: var(--ink); stroke-width: 1; }
        .assess-normal { fill: #fff; stroke: var(--ink); stroke-width: 1.6; }
        .assess-sign { fill: var(--ink); stroke: var(--ink); stroke-width: 1; }
        .assess-removed { fill: none; stroke: var(--ink); stroke-width: 2; }
        .break-band { fill: #f4f4f4; }
        .break-gap { fill: #fff; }
        .break-label { font-style: italic; }
        .leader { fill: none; stroke: var(--muted); stroke-width: 0.8; }
        .alert-mark { stroke: var(--ink); stroke-width: 1.2; }
        .sev-critical .alert-mark { fill: var(--critical); }
        .sev-high .alert-mark { fill: var(--high); }
        .sev-moderate .alert-mark { fill: #fff; }
        .alert-letter { font-size: 10px; font-weight: bold; }
        .sev-critical .alert-letter { fill: #fff; }
        .alert-number { font-size: 10px; font-weight: bold; }
        .ack-link { fill: none; stroke: var(--ink); stroke-width: 1; stroke-dasharray: 3 2; }
        .ack-box { fill: #fff; stroke: var(--ink); stroke-width: 1.4; }
        .ack-untrusted .ack-box { stroke-dasharray: 2 1.5; }
        .ack-tick { fill: none; stroke: var(--ink); stroke-width: 1.8; }
        .ack-mark { font-size: 10px; font-weight: bold; }
        .ack-late { font-size: 10px; fill: var(--muted); }
        table { border-collapse: collapse; margin: 6px 0 10px; font-size: 12.5px; }
        th, td { border-bottom: 1px solid var(--rule); padding: 3px 8px 3px 0; text-align: left;
          vertical-align: top; }
        th { border-bottom: 1.5px solid var(--ink); }
        td.count { text-align: right; font-variant-numeric: tabular-nums; }
        td.nowrap { white-space: nowrap; }
        .id-line { display: block; font-family: "DejaVu Sans Mono", "Liberation Mono", monospace;
          font-size: 11px; color: var(--muted); white-space: nowrap; }
        table.alerts { width: 100%; }
        .sev { display: inline-block; min-width: 1.6em; padding: 0 4px; border: 1px solid var(--ink);
          border-radius: 2px; font-weight: bold; text-align: center; }
        .sev-c { background: var(--critical); color: #fff; }
        .sev-h { background: var(--high); }
        .sev-m { background: #fff; }
        .meter { display: inline-block; height: 10px; border: 1px solid var(--ink);
          background: repeating-linear-gradient(45deg, var(--ink) 0 1.5px, #fff 1.5px 4px); }
        .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(310px, 1fr)); gap: 0 32px; }
        .figure h3 { margin-top: 14px; }
        .big { font-size: 20px; font-weight: bold; }
        .ack-ok::before { content: "\\2713  "; font-weight: bold; }
        .ack-no::before { content: "\\2717  "; font-weight: bold; }
        .empty { font-size: 16px; border: 1.5px dashed var(--ink); padding: 16px; margin: 20px 0; }
        footer { margin-top: 32px; font-size: 12px; color: var(--muted); }
        @media print {
          @page { size: A4 landscape; margin: 12mm; }
          :root { --ink: #000; --muted: #333; --rule: #999; --critical: #000; --high: #8c8c8c; --bar: #6e6e6e; }
          body { padding: 0; max-width: none; font-size: 11pt; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          h2 { break-after: avoid; page-break-after: avoid; }
          h3, h4 { break-after: avoid; page-break-after: avoid; }
          svg.timeline, svg.legend, tr, p.assessments { break-inside: avoid; page-break-inside: avoid; }
          article.patient { break-before: auto; }
          .grid { stroke: #ccc; }
          a { color: #000; text-decoration: none; }
        }
        """
}
