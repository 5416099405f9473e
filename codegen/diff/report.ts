/**
 * A finished comparison and its three renderings: for people (grouped by contract, worst first,
 * coloured on a terminal), as JSON (for scripts), and as GitHub workflow annotations.
 */
import { diffWords } from 'diff';
import type { FailOn } from './options.js';
import type { DiffLocation, Finding } from './finding.js';
import { atLeast, SEVERITIES, type DiffSeverity } from './rules.js';

/** What a comparison found, and against what. */
export interface DiffReport {
  /** What the working tree was compared against, as given (`main`, `../old/schemas`). */
  against: string;
  /** The commit, when `against` is a git revision. */
  commit?: string;
  findings: Finding[];
  /** Findings dropped by `ignore` overrides. */
  ignored: number;
  failOn: FailOn;
}

/** True when a finding is at or above `failOn`. */
export function fails(report: Pick<DiffReport, 'findings' | 'failOn'>): boolean {
  const failOn = report.failOn;
  return failOn !== 'never' && report.findings.some((f) => atLeast(f.severity, failOn));
}

/** `2 breaking, 1 potentially breaking, 0 behavioural, 3 safe`. */
export function counts(report: Pick<DiffReport, 'findings' | 'ignored'>): string {
  const parts = SEVERITIES.map((s) => `${report.findings.filter((f) => f.severity === s).length} ${s.replace('-', ' ')}`);
  if (report.ignored > 0) parts.push(`${report.ignored} ignored by overrides`);
  return parts.join(', ');
}

/** The report as JSON: stable (no timings), so that it can be stored and compared. */
export function formatJson(report: DiffReport): string {
  const summary = Object.fromEntries([...SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length]), ['ignored', report.ignored]]);
  return JSON.stringify(
    {
      against: report.against,
      ...(report.commit ? { commit: report.commit } : {}),
      failOn: report.failOn,
      failed: fails(report),
      summary,
      findings: report.findings,
    },
    null,
    2,
  );
}

const COLORS: Record<DiffSeverity, number> = { breaking: 31, 'potentially-breaking': 33, behavioural: 36, safe: 32 };

/** The report for a terminal: one block per contract, its findings worst first. */
export function formatHuman(report: DiffReport, color: boolean): string[] {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = `${f.subject.kind} ${f.subject.name}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const width = Math.max(...SEVERITIES.map((s) => s.length));
  for (const [key, list] of groups) {
    lines.push(paint(1, key));
    const worstFirst = [...list].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    for (const f of worstFirst) {
      const where = f.pointer === '' ? '' : ` ${f.pointer}`;
      const type = f.inType !== undefined ? paint(2, ` (in type ${f.inType})`) : '';
      lines.push(`  ${paint(COLORS[f.severity], f.severity.padEnd(width))}  ${f.rule}${where}${type}`);
      const indent = ' '.repeat(width + 4);
      lines.push(`${indent}${f.message}: ${f.impact}`);
      if (f.override) lines.push(`${indent}${paint(2, `(${f.override.from} downgraded by ${f.override.at}: ${f.override.reason})`)}`);
      const at = [f.before ? `was ${show(f.before)}` : '', f.after ? `now ${show(f.after)}` : ''].filter(Boolean).join(', ');
      if (at) lines.push(`${indent}${paint(2, at)}`);
      if (f.text) for (const line of wordDiff(f.text.before, f.text.after, color).split('\n')) lines.push(`${indent}${paint(2, '|')} ${line}`);
    }
  }
  return lines;
}

/**
 * The report as GitHub workflow commands: an error per breaking finding, a warning per
 * potentially breaking one, a notice per behavioural one, placed at the definition as it is now
 * (or, for a removal, where it was removed from). Safe findings are only counted.
 */
export function formatGithub(report: DiffReport): string[] {
  const level: Record<DiffSeverity, string | undefined> = { breaking: 'error', 'potentially-breaking': 'warning', behavioural: 'notice', safe: undefined };
  const lines: string[] = [];
  for (const f of report.findings) {
    const command = level[f.severity];
    if (!command) continue;
    const props = [
      f.after ? `file=${property(f.after.file)},line=${f.after.line},col=${f.after.col}` : '',
      `title=${property(`${f.rule} (${f.subject.kind} ${f.subject.name})`)}`,
    ]
      .filter(Boolean)
      .join(',');
    const text = f.text ? `\n${wordDiff(f.text.before, f.text.after, false)}` : '';
    const override = f.override ? ` (downgraded from ${f.override.from}: ${f.override.reason})` : '';
    lines.push(`::${command} ${props}::${data(`${f.pointer || '/'}: ${f.message}: ${f.impact}${override}${text}`)}`);
  }
  return lines;
}

function show(at: DiffLocation): string {
  return `${at.file}:${at.line}:${at.col}`;
}

/** Escapes the message of a workflow command. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property of a workflow command. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Old and new text merged, word by word: `[-removed-]{+added+}` (in colour on a terminal:
 * red and green). Long unchanged stretches are shortened to their ends, so a one-word change in
 * long instructions stays one line.
 */
function wordDiff(before: string, after: string, color: boolean): string {
  const keep = 40;
  return diffWords(before, after)
    .map((part, i, all) => {
      if (part.removed) return color ? `\u001b[31m${part.value}\u001b[0m` : `[-${part.value}-]`;
      if (part.added) return color ? `\u001b[32m${part.value}\u001b[0m` : `{+${part.value}+}`;
      const text = part.value;
      const first = i === 0;
      const last = i === all.length - 1;
      if (text.length <= keep * 2) return text;
      if (first) return '…' + text.slice(-keep);
      if (last) return text.slice(0, keep) + '…';
      return text.slice(0, keep) + ' … ' + text.slice(-keep);
    })
    .join('');
}
