/**
 * The viewer page of `schemantic trace`: one HTML document with its style and script inline
 * (viewer-script.ts), served by the trace server. Nothing is fetched from anywhere but the server:
 * no CDN, no font, no build step.
 *
 * Its Content-Security-Policy allows exactly that inline style and script (by their hashes) and
 * requests to the server itself, so even a mistake in the script that let span data become HTML
 * could not run a script or send data elsewhere.
 */
import { createHash } from 'node:crypto';
import { VIEWER_SCRIPT } from './viewer-script.js';

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #667085; --line: #e3e6ec; --bg: #fff; --panel: #f6f7f9; --accent: #3b6fd8;
  --chat: #3b6fd8; --tool: #2f9e6e; --agent: #7a5af5; --error: #d43c3c; --select: #eaf0fc; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7ee; --muted: #9aa3b5; --line: #2c3240; --bg: #14171e; --panel: #1b1f28; --select: #1f2a44; } }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 16px; align-items: baseline; padding: 10px 16px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header h1 { font-size: 15px; margin: 0; }
#status { color: var(--muted); }
#endpoint { margin-left: auto; color: var(--muted); font: 12px ui-monospace, monospace; white-space: pre; }
main { display: grid; grid-template-columns: minmax(360px, 36%) 1fr; height: calc(100vh - 42px); }
#runs { border-right: 1px solid var(--line); overflow: auto; }
#run { overflow: auto; padding: 0 16px 24px; }
h2 { font-size: 14px; margin: 12px 0 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; overflow-wrap: anywhere; }
h4 { font-size: 12px; margin: 14px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
#empty { padding: 16px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
#runs table th { text-align: left; font-weight: 600; color: var(--muted); padding: 6px 8px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); }
#run-list tr { cursor: pointer; border-bottom: 1px solid var(--line); }
#run-list tr:hover, #run-list tr.selected { background: var(--select); }
#run-list td { padding: 6px 8px; vertical-align: top; }
#run-list td.run-name { overflow-wrap: anywhere; min-width: 150px; }
#run-list small { display: block; color: var(--muted); }
td.duration, td.tokens, td.start { white-space: nowrap; font-variant-numeric: tabular-nums; }
.error-marker { color: var(--error); font-weight: 600; white-space: nowrap; }
.pending { color: var(--muted); font-style: italic; }
#run-title p { margin: 0 0 10px; color: var(--muted); }
.row { display: grid; grid-template-columns: minmax(260px, 45%) 1fr 70px; align-items: center; border-bottom: 1px solid var(--line); cursor: pointer; min-height: 26px; }
.row:hover, .row.selected { background: var(--select); }
.row.error .name { color: var(--error); }
.label { padding: 3px 6px; display: flex; flex-wrap: wrap; gap: 4px; align-items: center; min-width: 0; }
.name { font-weight: 600; overflow-wrap: anywhere; }
.chip { font-size: 11px; padding: 0 6px; border-radius: 8px; background: var(--panel); border: 1px solid var(--line); white-space: nowrap; max-width: 100%; overflow: hidden; text-overflow: ellipsis; }
.chip.op-chat { color: var(--chat); } .chip.op-execute_tool { color: var(--tool); } .chip.op-invoke_agent { color: var(--agent); }
.chip.error { color: var(--error); border-color: var(--error); }
.lane { position: relative; height: 26px; margin: 0 8px; }
.bar { position: absolute; top: 8px; height: 10px; border-radius: 3px; background: var(--accent); min-width: 2px; }
.bar.error { background: var(--error); }
.tick { position: absolute; top: 4px; width: 2px; height: 18px; background: var(--fg); opacity: .5; }
.took { text-align: right; padding-right: 8px; color: var(--muted); font-variant-numeric: tabular-nums; }
#details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
#details dt { color: var(--muted); }
#details dd { margin: 0; word-break: break-all; }
#details dd.error { color: var(--error); font-weight: 600; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, monospace; }
table.attributes th { width: 1%; text-align: left; font-weight: 500; vertical-align: top; padding: 3px 12px 3px 0; white-space: nowrap; color: var(--muted); }
table.attributes td { padding: 3px 0; border-bottom: 1px solid var(--line); }
.messages { display: grid; gap: 6px; }
.message { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; background: var(--panel); }
.message .role { font-weight: 600; margin-bottom: 2px; }
.message[data-role=assistant] .role { color: var(--chat); } .message[data-role=tool] .role { color: var(--tool); }
.tool-call, .tool-result, .other-part { border-left: 3px solid var(--tool); padding-left: 8px; margin: 4px 0; }
.what { color: var(--muted); }
.event-name { font-weight: 600; margin-top: 6px; }
.none { color: var(--muted); margin: 0; }
details { margin-top: 14px; } summary { cursor: pointer; color: var(--muted); }
`;

const BODY = `<header>
<h1>schemantic trace</h1>
<span id="status">connecting…</span>
<span id="endpoint"></span>
</header>
<main>
<section id="runs" aria-label="Recent runs">
<table>
<thead><tr><th>Run</th><th>Agent</th><th>Start</th><th>Duration</th><th>Tokens</th></tr></thead>
<tbody id="run-list"></tbody>
</table>
<p id="empty">No runs yet. Point an app's OTLP exporter here (the variables above) and run an agent with tracing on.</p>
</section>
<section id="run" aria-label="The selected run">
<div id="run-title"></div>
<div id="waterfall"></div>
<div id="details"></div>
</section>
</main>`;

let page: { html: string; contentSecurityPolicy: string } | undefined;

/** The page, and the Content-Security-Policy to serve it with. */
export function viewerPage(): { html: string; contentSecurityPolicy: string } {
  page ??= {
    html: `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>schemantic trace</title>
<style>${STYLE}</style>
</head>
<body>
${BODY}
<script>${VIEWER_SCRIPT}</script>
</body>
</html>
`,
    contentSecurityPolicy: [
      "default-src 'none'",
      `script-src '${sha256(VIEWER_SCRIPT)}'`,
      `style-src '${sha256(STYLE)}'`,
      "connect-src 'self'",
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
  return page;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
