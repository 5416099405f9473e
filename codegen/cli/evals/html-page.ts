/**
 * The HTML report as one self-contained page: style inline, charts as inline SVG, no script, no
 * font, nothing fetched. Its Content-Security-Policy allows only that style (by hash), so even a
 * value that escaped escaping could run no script and load nothing.
 */
import { createHash } from 'node:crypto';
import type { EvalReport, ReportComparison } from 'schemantic/internal';
import { caseFigures, isRepeated } from './case-figures.js';
import { changeSubject, formatChangeValue, formatDuration, formatRate, formatTokens } from './format-figures.js';
import { caseAnchor, caseSection } from './html-case.js';
import { latencyChart, scoresChart } from './html-charts.js';
import { escapeHtml } from './html-escape.js';
import { REPORT_STYLE } from './html-style.js';
import { headline, incompleteNotice, summaryFacts } from './report-summary.js';

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(REPORT_STYLE, 'utf8').digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function summarySection(report: EvalReport): string {
  const facts = summaryFacts(report).map(
    (f) => `<dt>${escapeHtml(f.label)}</dt><dd data-fact="${escapeHtml(f.label.toLowerCase())}">${escapeHtml(f.text)}</dd>`,
  );
  return `<section id="summary"><h2>Summary</h2><dl class="summary">${facts.join('')}</dl></section>`;
}

function comparisonSection(comparison: ReportComparison): string {
  const rows = [
    ...comparison.regressions.map((change) => ({ change, kind: 'regression' })),
    ...comparison.improvements.map((change) => ({ change, kind: 'improvement' })),
  ].map(
    ({ change, kind }) =>
      `<tr class="change ${kind}" data-change="${kind}"><td>${kind}</td><td>${escapeHtml(`${change.dataset}/${change.case}`)}</td>` +
      `<td>${escapeHtml(changeSubject(change))}</td><td class="num">${escapeHtml(formatChangeValue(change, change.before))}</td>` +
      `<td class="num">${escapeHtml(formatChangeValue(change, change.after))}</td></tr>`,
  );
  const table = rows.length
    ? `<table><thead><tr><th></th><th>Case</th><th>What</th><th>Before</th><th>After</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p class="none">No regressions or improvements.</p>';
  const list = (label: string, ids: string[]) => (ids.length ? `<p>${label}: ${escapeHtml(ids.join(', '))}</p>` : '');
  return (
    `<section id="comparison"><h2>Compared with the baseline</h2>` +
    `<p>Pass rate ${formatRate(comparison.passRate.before)} → ${formatRate(comparison.passRate.after)}</p>` +
    `${table}${list('Added cases', comparison.added)}${list('Removed cases', comparison.removed)}</section>`
  );
}

function overview(report: EvalReport): string {
  const rows = report.cases.map((c, i) => {
    const f = caseFigures(c);
    const tallies = [...f.assertions.values()];
    const passed = tallies.reduce((n, t) => n + t.passed, 0);
    const total = tallies.reduce((n, t) => n + t.total, 0);
    return (
      `<tr data-case="${escapeHtml(f.id)}"><td><a href="#${caseAnchor(i)}">${escapeHtml(f.id)}</a></td>` +
      `<td><span class="status ${escapeHtml(c.status)}">${escapeHtml(c.status)}</span></td>` +
      `<td class="num">${total ? `${passed}/${total}` : '–'}</td><td class="num">${formatRate(c.passRate)}</td>` +
      `<td class="num">${f.durationMs === undefined ? '–' : formatDuration(f.durationMs)}</td><td class="num">${formatTokens(f.tokens)}</td></tr>`
    );
  });
  return (
    '<section id="cases"><h2>Cases</h2><table class="overview"><thead><tr><th>Case</th><th>Status</th><th>Assertions</th>' +
    `<th>Pass rate</th><th>Duration</th><th>Tokens</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** The whole page. */
export function renderHtmlReport(report: EvalReport, comparison?: ReportComparison): string {
  const repeated = isRepeated(report);
  const settings = [
    `started ${report.startedAt}`,
    `repeat ${report.repeat}`,
    `concurrency ${report.concurrency}`,
    ...(report.model !== undefined ? [`model ${report.model}`] : []),
  ];
  const notice = incompleteNotice(report);
  const body = [
    `<header><h1>Evals: ${escapeHtml(headline(report))}</h1><p class="meta">${escapeHtml(settings.join(' · '))}</p></header>`,
    notice ? `<p class="notice" id="incomplete">${escapeHtml(notice)}</p>` : '',
    summarySection(report),
    comparison ? comparisonSection(comparison) : '',
    `<section id="charts"><h2>Charts</h2><div class="charts">${scoresChart(report)}${latencyChart(report)}</div></section>`,
    overview(report),
    `<section id="details"><h2>Details</h2>${report.cases.map((c, i) => caseSection(c, i, repeated)).join('')}</section>`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Evals: ${headline(report)}`)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
${body.filter(Boolean).join('\n')}
</body>
</html>
`;
}
