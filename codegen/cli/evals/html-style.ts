/**
 * The HTML report's style sheet, inline in the page (the page's Content-Security-Policy allows
 * exactly this text, by its hash). Light and dark, system fonts, nothing fetched.
 */
export const REPORT_STYLE = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #667085; --line: #e3e6ec; --bg: #fff; --panel: #f6f7f9;
  --pass: #2f9e6e; --fail: #d43c3c; --warn: #c98a10; --accent: #3b6fd8; --add: #e6f6ec; --del: #fbeaea; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7ee; --muted: #9aa3b5; --line: #2c3240; --bg: #14171e; --panel: #1b1f28; --add: #16321f; --del: #3a1a1a; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; } h4 { margin: 12px 0 6px; font-size: 14px; } h5 { margin: 10px 0 4px; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.meta, .muted, .none { color: var(--muted); }
.notice { border: 1px solid var(--warn); background: var(--panel); padding: 8px 12px; border-radius: 6px; font-weight: 600; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.summary dt { color: var(--muted); } dl.summary dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
th, #comparison td:first-child { white-space: nowrap; }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: 600; white-space: nowrap; }
.status.passed, tr.pass td.value { color: var(--pass); } .status.failed, .status.error, tr.fail td.value, tr.error td.value { color: var(--fail); } .status.cancelled { color: var(--muted); }
.charts { display: grid; gap: 16px; }
figure.chart { margin: 0; overflow-x: auto; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { fill: var(--fg); font: 12px system-ui, sans-serif; } svg text.bar-value { fill: var(--muted); }
svg rect.score { fill: var(--accent); } svg rect.passed { fill: var(--pass); } svg rect.failed, svg rect.error { fill: var(--fail); } svg rect.cancelled { fill: var(--muted); }
section.case { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; }
section.case > details > summary { padding: 8px 12px; cursor: pointer; display: flex; gap: 10px; flex-wrap: wrap; align-items: baseline; }
section.case .case-body { padding: 0 12px 12px; }
.case-name { font-weight: 600; overflow-wrap: anywhere; }
.run { border-top: 1px solid var(--line); margin-top: 8px; padding-top: 4px; }
.run-error { color: var(--fail); font-weight: 600; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, monospace; background: var(--panel); padding: 6px 8px; border-radius: 4px; }
.diff { font: 12px/1.4 ui-monospace, monospace; border: 1px solid var(--line); border-radius: 4px; overflow-x: auto; }
.diff .line { white-space: pre-wrap; word-break: break-word; padding: 0 8px; }
.diff .line.added { background: var(--add); } .diff .line.removed { background: var(--del); }
.diff-sides { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
ol.messages { list-style: none; padding: 0; margin: 0; display: grid; gap: 6px; }
.message { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
.message .role { font-weight: 600; margin-bottom: 4px; } .message[data-kind=response] .role { color: var(--accent); }
.part { margin: 4px 0; } .part-kind { font-size: 12px; color: var(--muted); }
.part[data-part=tool-call], .part[data-part=tool-return] { border-left: 3px solid var(--pass); padding-left: 8px; }
.part[data-part=retry-prompt] { border-left: 3px solid var(--warn); padding-left: 8px; }
details > summary { cursor: pointer; }
.change.regression { color: var(--fail); } .change.improvement { color: var(--pass); }
`;
