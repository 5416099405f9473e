/**
 * One case of the HTML report: what it asked and expected, then each run: its status, every
 * evaluator's result and reason, the difference between the expected output and the output, and
 * the run's messages. Folded unless the case did not pass.
 */
import type { EvalCaseReport, EvalRunRecord, EvaluationResult } from 'schemantic/internal';
import { caseFigures } from './case-figures.js';
import { formatDuration, formatScore, formatTokens, plural } from './format-figures.js';
import { outputDiff } from './html-diff.js';
import { escapeHtml, shownValue } from './html-escape.js';
import { renderMessages } from './html-messages.js';

/** The anchor of the case at `index` (names may be anything, so anchors are by position). */
export const caseAnchor = (index: number) => `case-${index + 1}`;

function resultValue(r: EvaluationResult): string {
  if (r.kind === 'error') return 'evaluator error';
  if (r.kind === 'assertion') return r.value === true ? '✔ passed' : '✗ failed';
  if (r.kind === 'score' && typeof r.value === 'number') return formatScore(r.value);
  return r.value === undefined ? '' : String(r.value);
}

function resultRow(r: EvaluationResult): string {
  const tone = r.kind === 'error' ? 'error' : r.kind === 'assertion' ? (r.value === true ? 'pass' : 'fail') : r.kind;
  return (
    `<tr class="${tone}" data-result="${escapeHtml(r.name)}">` +
    `<td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.kind)}</td><td>${escapeHtml(r.source)}</td>` +
    `<td class="value">${escapeHtml(resultValue(r))}</td><td>${escapeHtml(r.reason ?? '')}</td></tr>`
  );
}

function runSection(run: EvalRunRecord, c: EvalCaseReport, repeated: boolean): string {
  const facts = [run.status, formatDuration(run.durationMs), `${formatTokens(run.usage?.totalTokens ?? 0)} tokens`];
  if (run.attempts > 1) facts.push(plural(run.attempts, 'attempt'));
  const parts = [`<h4>${repeated ? `Run ${run.repeat + 1}: ` : ''}<span class="status ${escapeHtml(run.status)}">${escapeHtml(facts.join(' · '))}</span></h4>`];
  if (run.error) parts.push(`<p class="run-error">${escapeHtml(`${run.error.type}: ${run.error.message}`)}</p>`);
  if (run.results.length > 0)
    parts.push(
      '<table class="results"><thead><tr><th>Result</th><th>Kind</th><th>Evaluator</th><th>Value</th><th>Reason</th></tr></thead>' +
        `<tbody>${run.results.map(resultRow).join('')}</tbody></table>`,
    );
  if (run.output !== undefined && c.expected !== undefined) parts.push('<h5>Expected (−) and output (+)</h5>', outputDiff(c.expected, run.output));
  else if (run.output !== undefined) parts.push('<h5>Output</h5>', `<pre class="output">${escapeHtml(shownValue(run.output))}</pre>`);
  if (run.messages) parts.push(`<details class="run-messages"><summary>Messages (${run.messages.length})</summary>${renderMessages(run.messages)}</details>`);
  return `<div class="run" data-repeat="${run.repeat}" data-status="${escapeHtml(run.status)}">${parts.join('')}</div>`;
}

/** The case's section. */
export function caseSection(c: EvalCaseReport, index: number, repeated: boolean): string {
  const figures = caseFigures(c);
  const facts = [`agent ${c.agent}`];
  if (figures.durationMs !== undefined) facts.push(formatDuration(figures.durationMs));
  facts.push(`${formatTokens(figures.tokens)} tokens`);
  if (repeated) facts.push(`${c.runs.filter((r) => r.status === 'passed').length}/${figures.finishedRuns} runs passed`);
  const inputs = [`<h5>Prompt</h5><pre class="prompt">${escapeHtml(shownValue(c.prompt))}</pre>`];
  if (c.expected !== undefined) inputs.push(`<h5>Expected output</h5><pre class="expected">${escapeHtml(shownValue(c.expected))}</pre>`);
  if (c.metadata && Object.keys(c.metadata).length > 0) inputs.push(`<h5>Metadata</h5><pre>${escapeHtml(shownValue(c.metadata))}</pre>`);
  const runs = c.runs.length > 0 ? c.runs.map((run) => runSection(run, c, repeated)).join('') : '<p class="none">No run finished.</p>';
  return (
    `<section class="case" id="${caseAnchor(index)}" data-case="${escapeHtml(figures.id)}" data-status="${escapeHtml(c.status)}">` +
    `<details${c.status === 'passed' || c.status === 'cancelled' ? '' : ' open'}><summary>` +
    `<span class="status ${escapeHtml(c.status)}">${escapeHtml(c.status)}</span>` +
    `<span class="case-name">${escapeHtml(figures.id)}</span><span class="muted">${escapeHtml(facts.join(' · '))}</span>` +
    `</summary><div class="case-body">${inputs.join('')}${runs}</div></details></section>`
  );
}
