/**
 * The report's only style sheet and script, inlined: the file must open anywhere, offline, with
 * nothing fetched. Colours: blue = the company reached out, orange = the customer had to, red =
 * something went wrong, green = kept / the right moment, amber = a warning, magenta = kept late,
 * grey = neutral. The finding marks' colours are at least 20 apart in CIEDE2000 (a brown kept late
 * was 16 from amber, too near to tell apart).
 * Every mark that means something stands out at 3:1 or more from every background it can sit on
 * (white, the lanes' grey, a gap's red tint, a survey window's green one; WCAG 2.1 SC 1.4.11), text
 * at 4.5:1: a lighter variant (an automated contact, an open matter) keeps an edge that does.
 * test/report/palette.test.ts checks this from this style sheet.
 */
export const styles = `
:root { --ink:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#fff; --lane:#f6f8fa;
  --out:#0969da; --in:#c4540a; --bad:#cf222e; --good:#1a7f37; --warn:#9a6700; --late:#b0307d; --grey:#6e7781; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); margin: 0; padding: 24px; max-width: 1280px; margin-inline: auto; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 0; }
h1, h2, ol.findings li { overflow-wrap: anywhere; }
/* Wide content scrolls in its own box, never the page; a picture keeps a readable size on a phone. */
.scroll { overflow-x: auto; }
.meta, .muted { color: var(--muted); }
table.overview { border-collapse: collapse; width: 100%; margin: 16px 0 8px; font-variant-numeric: tabular-nums; }
.overview th, .overview td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
.overview th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
.overview th[aria-sort=ascending] button::after { content: " ▲"; } .overview th[aria-sort=descending] button::after { content: " ▼"; }
.overview tr[data-worst=critical] td:first-child, .overview tr[data-worst=breach] td:first-child { border-left: 4px solid var(--bad); }
.overview tr[data-worst=warning] td:first-child { border-left: 4px solid var(--warn); }
section.customer { border-top: 2px solid var(--line); margin-top: 28px; padding-top: 12px; }
section.customer header { display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
svg.timeline { width: 100%; min-width: 720px; height: auto; display: block; margin: 10px 0; font-size: 11px; }
.lane { fill: #fff; } .lane.odd { fill: var(--lane); }
.lane-label { font-weight: 600; fill: var(--ink); } .lane-sublabel, .tick-label, .since, .burden-label { fill: var(--muted); font-size: 10px; }
/* text-anchor in the style sheet rather than on every label: one rule instead of 20 bytes a label. */
.tick-label { text-anchor: middle; } .tick-label.end, .burden-label { text-anchor: end; }
.tick { stroke: var(--line); stroke-dasharray: 2 3; } .baseline { stroke: var(--line); }
.as-of { stroke: var(--ink); stroke-dasharray: 4 3; }
.relationship { stroke: var(--grey); stroke-width: 1.5; } .started { fill: var(--grey); } .ended { fill: var(--ink); }
.matter { fill: #57606a; } .matter.open { fill: var(--grey); } .resolved { fill: var(--good); }
.contact.outbound { fill: var(--out); } .contact.outbound.inattentive { fill: #a8c7ef; stroke: var(--out); stroke-width: 1; }
.contact.inbound { fill: #fff; stroke: var(--in); stroke-width: 2; }
.fix { stroke: #fff; stroke-width: 1; } .outcome-succeeded { fill: var(--good); } .outcome-partial { fill: var(--warn); }
.outcome-failed { fill: var(--bad); } .outcome-worsened { fill: #82071e; }
.task { fill: var(--grey); } .task.repeat { fill: var(--bad); }
.promise rect { fill: var(--grey); } .promise .settled { stroke: var(--ink); stroke-width: 1.5; }
.status-kept rect { fill: var(--good); } .status-late rect { fill: var(--late); } .status-broken rect { fill: var(--bad); }
.status-cancelled rect { fill: none; stroke: var(--grey); stroke-width: 1; pointer-events: visible; } .status-open rect { fill: var(--grey); }
.feedback { fill: #8250df; }
.survey { fill: var(--out); } .survey.mistimed { fill: var(--bad); }
.burden { fill: none; stroke: var(--bad); stroke-width: 2; }
a.finding .gap { fill: var(--bad); fill-opacity: .13; stroke: var(--bad); stroke-width: 1; } a.finding .window { fill: var(--good); fill-opacity: .22; stroke: var(--good); stroke-width: 1; stroke-dasharray: 4 2; }
a.finding .cross { stroke: var(--bad); stroke-width: 2.5; } a.finding .late { stroke: var(--late); stroke-width: 2; stroke-dasharray: 3 2; }
a.finding .ring { fill: none; stroke: var(--bad); stroke-width: 2; } a.finding circle:not(.ring) { fill: var(--bad); stroke: #fff; }
a.finding .flag, a.finding .diamond { fill: var(--warn); } a.finding[data-severity=breach] .diamond, a.finding[data-severity=critical] .diamond, a.finding[data-severity=breach] .flag { fill: var(--bad); }
a.finding:hover * { opacity: 1; stroke-width: 3; }
/* A ring circles an event's mark (the fix attempt repeated, the survey mistimed): its inside takes no click, which reaches that mark. */
ol.findings { padding-left: 22px; margin: 4px 0; } ol.findings li { margin: 3px 0; }
/* The entry a mark's link was followed to: a finding's message or an event's entry. */
li:target { background: #fff8c5; }
ol.events { margin: 4px 0; overflow-wrap: anywhere; }
.sev { display: inline-block; min-width: 62px; font-size: 11px; font-weight: 700; text-transform: uppercase; }
[data-severity=critical] > .sev, [data-severity=breach] > .sev { color: var(--bad); } [data-severity=warning] > .sev { color: var(--warn); } [data-severity=info] > .sev { color: var(--out); }
code { font-size: 12px; } .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0; color: var(--muted); font-size: 12px; }
.legend svg { width: 26px; height: 14px; vertical-align: middle; }
details pre { background: var(--lane); padding: 8px; overflow: auto; font-size: 12px; tab-size: 2; }
/* The finding marks' tooltip (the script's): the message of the mark hovered or focused. */
.tip { position: absolute; max-width: min(440px, calc(100vw - 16px)); padding: 6px 8px; border-radius: 4px;
  /* A clear edge above, touching the mark: the pointer can move onto the tooltip without leaving both. */
  border-top: 10px solid transparent; background-clip: padding-box; background: var(--ink); color: #fff; font-size: 12px; white-space: pre-line; }
/* On paper nothing scrolls: a picture fits the page's width and is not split across pages. */
@media print { svg.timeline { min-width: 0; break-inside: avoid; } ol.findings li { break-inside: avoid; } }
`;

/**
 * Only adds to what the HTML already shows (with scripts off the report is whole): shows a finding's
 * message (its entry in the list, which names the mark for a screen reader) in one tooltip under its
 * mark while the mark is hovered or focused, and an event's entry in the events list (its mark's
 * link) while its mark is hovered, until the pointer leaves both or Escape is pressed;
 * sorts the overview table by the clicked column (numbers numerically), toggling the direction.
 */
export const script = `
(function () {
  var tip = null, shown = null;
  function markOf(node) { return node && node.closest ? node.closest('svg a[href]') : null; }
  // A finding's mark links to its message, an event's mark to its entry in the events list.
  function entryOf(mark) { return document.getElementById(mark.getAttribute('href').slice(1)); }
  function inside(box, node) { return !!(box && node && box.contains(node)); }
  function hide() { if (tip) tip.hidden = true; shown = null; }
  function show(mark) {
    var item = entryOf(mark);
    if (!item) return;
    if (!tip) {
      tip = document.createElement('div');
      tip.id = 'heed-tip';
      tip.className = 'tip';
      tip.setAttribute('role', 'tooltip');
      tip.addEventListener('mouseleave', function (e) { if (!inside(shown, e.relatedTarget)) hide(); });
      document.body.appendChild(tip);
    }
    // innerText keeps a finding's line break; an event's entry, in a folded list, has no rendered text.
    tip.textContent = mark.classList.contains('finding') ? item.innerText : item.textContent;
    tip.hidden = false;
    shown = mark;
    var box = mark.getBoundingClientRect();
    var left = Math.max(4, Math.min(box.left, document.documentElement.clientWidth - tip.offsetWidth - 4));
    tip.style.left = left + window.scrollX + 'px';
    tip.style.top = box.bottom + window.scrollY + 'px';
  }
  document.addEventListener('mouseover', function (e) { var m = markOf(e.target); if (m && m !== shown) show(m); });
  document.addEventListener('mouseout', function (e) {
    if (shown && markOf(e.target) === shown && !inside(shown, e.relatedTarget) && !inside(tip, e.relatedTarget)) hide();
  });
  document.addEventListener('focusin', function (e) { var m = markOf(e.target); if (m) show(m); });
  document.addEventListener('focusout', function (e) { if (shown && markOf(e.target) === shown) hide(); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hide(); });
})();
(function () {
  // What only works with scripts on is said only then: a viewer with scripts off isn't told to sort.
  document.querySelectorAll('[data-needs-script]').forEach(function (e) { e.hidden = false; });
  var table = document.getElementById('overview');
  if (!table) return;
  var heads = table.querySelectorAll('th');
  heads.forEach(function (th, index) {
    th.querySelector('button').addEventListener('click', function () {
      var descending = th.getAttribute('aria-sort') === 'ascending';
      heads.forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      var numeric = th.getAttribute('data-type') === 'number';
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index].getAttribute('data-sort'), y = b.cells[index].getAttribute('data-sort');
        var c = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
        return descending ? -c : c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
`;

const swatch = (shape: string) => `<svg viewBox="0 0 26 14" aria-hidden="true">${shape}</svg>`;

/** What the marks mean, once, above the timelines. */
export const legend = [
  ['<circle class="contact outbound" cx="13" cy="7" r="4"/>', 'company contacted the customer'],
  ['<circle class="contact outbound inattentive" cx="13" cy="7" r="4"/>', 'automated / marketing / survey (not attention)'],
  ['<circle class="contact inbound" cx="13" cy="7" r="4"/>', 'customer contacted the company'],
  ['<rect class="fix outcome-failed" x="8" y="2" width="10" height="10" transform="rotate(45 13 7)"/>', 'fix attempt (colour = outcome)'],
  ['<path class="task repeat" d="M9 11 L13 3 L17 11 Z"/>', 'task asked of the customer (red: asked again)'],
  ['<g class="promise status-kept"><rect x="1" y="4" width="24" height="6" rx="2"/></g>', 'promise kept'],
  ['<g class="promise status-late"><rect x="1" y="4" width="24" height="6" rx="2"/></g>', 'kept late'],
  ['<g class="promise status-broken"><rect x="1" y="4" width="24" height="6" rx="2"/></g>', 'broken'],
  ['<a class="finding"><rect class="gap" x="1" y="1" width="24" height="12"/></a>', 'gap of inattention'],
  ['<a class="finding"><rect class="window" x="1" y="1" width="24" height="12"/></a>', 'proper survey window'],
  ['<rect class="survey mistimed" x="8" y="3" width="10" height="8"/>', 'survey sent at the wrong moment'],
  ['<path class="burden" d="M1 12 H12 V3 H25"/>', 'burden level'],
  ['<path class="as-of" d="M13 0 V14"/>', 'the as-of instant'],
]
  .map(([shape, text]) => `<span>${swatch(shape ?? '')} ${text ?? ''}</span>`)
  .join('');
