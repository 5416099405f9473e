/**
 * The difference between a case's expected output and a run's output, as added and removed lines
 * (the `diff` package's line diff over pretty JSON with sorted keys, so key order is no
 * difference). Strings on both sides are compared as text.
 */
import { diffLines, type ChangeObject } from 'diff';
import { escapeHtml, shownValue } from './html-escape.js';

/** Above this many edits the diff gives up and both sides are shown whole (Myers' diff is quadratic in edits). */
const MAX_EDIT_LENGTH = 2000;

function lines(change: ChangeObject<string>): string[] {
  const text = change.value.endsWith('\n') ? change.value.slice(0, -1) : change.value;
  return text.split('\n');
}

/** The diff of `expected` against `actual` as HTML: one `.line` per line, `data-op` added, removed or same. */
export function outputDiff(expected: unknown, actual: unknown): string {
  const bothText = typeof expected === 'string' && typeof actual === 'string';
  const before = bothText ? expected : shownValue(expected, true);
  const after = bothText ? actual : shownValue(actual, true);
  if (before === after) return '<p class="diff-same" data-diff="same">The output matches the expected output.</p>';
  const changes = diffLines(before, after, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes)
    return (
      '<div class="diff-sides" data-diff="sides"><div><h5>Expected</h5><pre>' +
      escapeHtml(before) +
      '</pre></div><div><h5>Output</h5><pre>' +
      escapeHtml(after) +
      '</pre></div></div>'
    );
  const out = changes.flatMap((change) => {
    const op = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const sign = change.added ? '+' : change.removed ? '-' : ' ';
    return lines(change).map((line) => `<div class="line ${op}" data-op="${op}">${sign} ${escapeHtml(line)}</div>`);
  });
  return `<div class="diff" data-diff="lines" aria-label="expected (-) against output (+)">${out.join('')}</div>`;
}
