/**
 * The report's charts as inline SVG (no library, nothing fetched): the mean of each score, and
 * each case's median duration. Horizontal bars, one `<rect>` each, in a `<g class="bar">` that
 * carries the bar's name and value as data attributes, and its full name in a `<title>` tooltip
 * when the label is cut. Colour comes from the page's style sheet (classes), not attributes.
 */
import type { EvalReport } from 'schemantic/internal';
import { caseFigures, resultColumns } from './case-figures.js';
import { formatDuration, formatScore } from './format-figures.js';
import { escapeHtml } from './html-escape.js';

/** One bar. */
interface Bar {
  name: string;
  value: number;
  /** What the bar's end says (`0.85`, `1.20 s`). */
  text: string;
  /** A class for its colour (`passed`, `failed`, `score`). */
  tone: string;
}

const WIDTH = 720;
const LABEL_WIDTH = 240;
const VALUE_WIDTH = 80;
const ROW = 24;
const BAR = 16;
/** Most characters of a label; longer ones are cut, their full text in the tooltip. */
const LABEL_CHARS = 34;

function label(name: string): string {
  const chars = [...name];
  return chars.length <= LABEL_CHARS ? name : chars.slice(0, LABEL_CHARS - 1).join('') + '…';
}

/** A horizontal bar chart; `max` is the value of a full-width bar. */
function barChart(kind: string, title: string, bars: Bar[], max: number, empty: string): string {
  const height = Math.max(1, bars.length) * ROW + 8;
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * ROW;
    const width = max > 0 ? Math.max(0, Math.min(1, bar.value / max)) * span : 0;
    return (
      `<g class="bar" data-name="${escapeHtml(bar.name)}" data-value="${bar.value}">` +
      `<title>${escapeHtml(`${bar.name}: ${bar.text}`)}</title>` +
      `<text class="bar-label" x="${LABEL_WIDTH - 8}" y="${y + BAR - 4}" text-anchor="end">${escapeHtml(label(bar.name))}</text>` +
      `<rect class="${escapeHtml(bar.tone)}" x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" rx="2"></rect>` +
      `<text class="bar-value" x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + BAR - 4}">${escapeHtml(bar.text)}</text>` +
      `</g>`
    );
  });
  const none = bars.length === 0 ? `<text class="bar-label" x="8" y="18">${escapeHtml(empty)}</text>` : '';
  return (
    `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" data-chart="${kind}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">` +
    `${rows.join('')}${none}</svg></figure>`
  );
}

/** Each score's mean over the runs that gave it; bars span 0 to 1 unless a score is larger. */
export function scoresChart(report: EvalReport): string {
  const scores = report.summary.scores;
  const names = [...new Set([...resultColumns(report).scores, ...Object.keys(scores)])].filter(
    (n) => typeof scores[n] === 'number' && Number.isFinite(scores[n]),
  );
  const bars = names.map((name) => ({ name, value: scores[name]!, text: formatScore(scores[name]!), tone: 'score' }));
  return barChart('scores', 'Scores (mean)', bars, Math.max(1, ...bars.map((b) => b.value)), 'No scores in this report.');
}

/** Each case's median run duration (cases with no finished run have no bar). */
export function latencyChart(report: EvalReport): string {
  const bars = report.cases.flatMap((c) => {
    const figures = caseFigures(c);
    if (figures.durationMs === undefined) return [];
    return [{ name: figures.id, value: figures.durationMs, text: formatDuration(figures.durationMs), tone: c.status }];
  });
  return barChart('latency', 'Duration per case (median run)', bars, Math.max(0, ...bars.map((b) => b.value)), 'No case finished.');
}
