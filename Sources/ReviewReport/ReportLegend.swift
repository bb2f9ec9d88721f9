/// The timelines' shared pattern (the watch's hatching) and their legend: every mark
/// drawn, with what it means, in the shapes the timelines use.
enum ReportLegend {
    /// A hidden SVG defining the hatching the timelines' watch shading refers to.
    static let definitions = """
        <svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">\
        <defs><pattern id="watch-hatch" width="6" height="6" patternUnits="userSpaceOnUse" \
        patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>\
        <line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2"/></pattern></defs></svg>

        """

    /// The legend.
    static let svg = """
        <svg class="legend" viewBox="0 0 960 64" width="960" height="64" role="img" \
        aria-label="Legend of the timelines"><title>Legend</title>\
        <rect class="bar" x="4" y="8" width="40" height="14"/>\
        <text class="bar-label" x="50" y="19">exposure (drug flowing; label: drug, order)</text>\
        <rect class="watch" x="300" y="8" width="40" height="14"/>\
        <text class="bar-label" x="346" y="19">watch after it ends</text>\
        <line class="late-watch" x1="480" y1="15" x2="520" y2="15"/>\
        <line class="late-watch-end" x1="520" y1="10" x2="520" y2="20"/>\
        <text class="bar-label" x="526" y="19">late (calcinosis) watch</text>\
        <path class="open-end" d="M680 7 L688 15 L680 23 Z"/>\
        <text class="bar-label" x="694" y="19">still flowing when the feeds end</text>\
        <circle class="assess-normal" cx="10" cy="46" r="5"/>\
        <text class="bar-label" x="20" y="50">assessment, no sign</text>\
        <path class="assess-sign" d="M150 39 L157 52 L143 52 Z"/>\
        <text class="bar-label" x="162" y="50">assessment with signs</text>\
        <path class="assess-removed" d="M300 41 L310 51 M310 41 L300 51"/>\
        <text class="bar-label" x="316" y="50">line removed</text>\
        <g class="alert sev-critical"><path class="alert-mark" d="M410 36 L420 46 L410 56 L400 46 Z"/>\
        <text class="alert-letter" x="410" y="50" text-anchor="middle">C</text></g>\
        <g class="alert sev-high"><path class="alert-mark" d="M434 36 L444 46 L434 56 L424 46 Z"/>\
        <text class="alert-letter" x="434" y="50" text-anchor="middle">H</text></g>\
        <g class="alert sev-moderate"><path class="alert-mark" d="M458 36 L468 46 L458 56 L448 46 Z"/>\
        <text class="alert-letter" x="458" y="50" text-anchor="middle">M</text></g>\
        <text class="bar-label" x="474" y="50">alert by severity (A1: its row below)</text>\
        <g class="ack"><rect class="ack-box" x="712" y="40" width="12" height="12"/>\
        <path class="ack-tick" d="M714.5 46 L717 49 L722 42.5"/></g>\
        <text class="bar-label" x="730" y="50">acknowledged</text>\
        <g class="ack-untrusted"><rect class="ack-box" x="826" y="40" width="12" height="12"/>\
        <text class="ack-mark" x="832" y="50" text-anchor="middle">?</text></g>\
        <text class="bar-label" x="844" y="50">untrusted ack</text>\
        </svg>

        """
}
