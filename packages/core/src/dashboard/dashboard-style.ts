// The dashboard page's stylesheet, inlined into the page (no external resources).

/** The page's CSS: light and dark schemes, one colour per breaker state. */
export const DASHBOARD_STYLE: string = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --panel: #ffffff; --text: #1f2328; --muted: #656d76; --line: #d8dee4;
  --track: #eaeef2; --closed: #1a7f37; --open: #cf222e; --half-open: #bf8700;
  --forced-open: #8250df; --disabled: #6e7781; --accent: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --panel: #161b22; --text: #e6edf3; --muted: #8d96a0; --line: #30363d;
    --track: #21262d; --closed: #3fb950; --open: #f85149; --half-open: #d29922;
    --forced-open: #a371f7; --disabled: #8d96a0; --accent: #4493f8;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
}
header {
  display: flex; flex-wrap: wrap; align-items: center; gap: 12px 20px;
  padding: 14px 24px; background: var(--panel); border-bottom: 1px solid var(--line);
}
h1 { font-size: 18px; margin: 0; font-weight: 650; }
h2 { font-size: 13px; margin: 24px 0 10px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
main { padding: 0 24px 32px; max-width: 1400px; }
.summary { display: flex; gap: 8px; flex-wrap: wrap; }
.chip { border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; font-size: 12px; }
.chip b { font-variant-numeric: tabular-nums; }
.status { margin-left: auto; font-size: 12px; color: var(--muted); display: flex; align-items: center; gap: 6px; }
.status::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--half-open); }
.status[data-state="live"]::before { background: var(--closed); }
.status[data-state="down"]::before { background: var(--open); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
.card {
  background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--state);
  border-radius: 8px; padding: 12px 14px; display: flex; flex-direction: column; gap: 7px;
}
.row {
  display: grid; grid-template-columns: minmax(140px, 1.3fr) 96px minmax(160px, 2fr) minmax(120px, 1.2fr) auto;
  align-items: center; gap: 12px; padding: 7px 12px; border-top: 1px solid var(--line);
}
.row .meter-label { display: none; }
.row .badge { justify-self: start; }
[data-state="closed"] { --state: var(--closed); }
[data-state="open"] { --state: var(--open); }
[data-state="half-open"] { --state: var(--half-open); }
[data-state="forced-open"] { --state: var(--forced-open); }
[data-state="disabled"] { --state: var(--disabled); }
.head { display: flex; align-items: center; gap: 8px; justify-content: space-between; }
.name { font-weight: 600; overflow-wrap: anywhere; }
.badge {
  display: inline-block; font-size: 11px; font-weight: 650; text-transform: uppercase; letter-spacing: .04em;
  color: var(--state); border: 1px solid var(--state); border-radius: 4px; padding: 0 6px; white-space: nowrap;
}
.meter { display: flex; flex-direction: column; gap: 3px; }
.meter-label { display: flex; justify-content: space-between; font-size: 12px; color: var(--muted); }
.bar { position: relative; height: 6px; background: var(--track); border-radius: 3px; overflow: visible; }
.fill { position: absolute; inset: 0 auto 0 0; width: 0; background: var(--state); border-radius: 3px; }
.mark { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--text); opacity: .55; display: none; }
.stats { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.countdown { font-size: 12px; font-weight: 600; color: var(--state); font-variant-numeric: tabular-nums; min-height: 1em; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; }
button {
  font: inherit; font-size: 12px; padding: 2px 9px; border-radius: 5px; cursor: pointer;
  border: 1px solid var(--line); background: var(--bg); color: var(--text);
}
button:hover { border-color: var(--accent); }
.family { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 12px; }
.family > summary {
  cursor: pointer; padding: 10px 14px; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center;
}
.family > summary .name { margin-right: 8px; }
.more { padding: 7px 12px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); }
.transitions { list-style: none; margin: 0; padding: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.transitions li {
  display: grid; grid-template-columns: 80px minmax(120px, 1fr) auto minmax(120px, 1fr); gap: 12px;
  padding: 6px 14px; border-top: 1px solid var(--line); align-items: center; font-variant-numeric: tabular-nums;
}
.transitions li:first-child { border-top: 0; }
.muted { color: var(--muted); }
.toast {
  position: fixed; right: 16px; bottom: 16px; background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; padding: 8px 12px; font-size: 12px; display: none;
}
`;
