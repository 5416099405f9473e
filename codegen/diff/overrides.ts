/**
 * Config overrides of `schemantic diff`: a rule downgraded or ignored for one named tool, agent or
 * MCP server, with a reason, as teams need during a planned migration. An override never raises a
 * severity, and one that matches nothing is reported, so that it is removed when the migration is
 * done.
 */
import type { DiffOverride } from './options.js';
import { didYouMean } from '../compiler/suggest.js';
import type { Finding } from './finding.js';
import { atLeast, isRuleId, RULES } from './rules.js';

/** The findings after overrides, and what the overrides themselves call for. */
export interface Overridden {
  findings: Finding[];
  /** How many findings an override dropped (`ignore`). */
  ignored: number;
  /** Overrides that name an unknown rule: configuration errors. */
  errors: string[];
  /** Overrides that matched no finding: worth cleaning up. */
  unused: string[];
}

/** Applies `overrides` (first match wins) to `findings`. */
export function applyOverrides(findings: readonly Finding[], overrides: readonly DiffOverride[]): Overridden {
  const errors: string[] = [];
  const valid = overrides.filter((o) => {
    if (isRuleId(o.rule)) return true;
    errors.push(`${o.at}: unknown rule "${o.rule}" in a diff override${didYouMean(o.rule, Object.keys(RULES))}`);
    return false;
  });
  const used = new Set<DiffOverride>();
  const kept: Finding[] = [];
  let ignored = 0;
  for (const finding of findings) {
    const match = valid.find((o) => applies(o, finding));
    if (!match) {
      kept.push(finding);
      continue;
    }
    used.add(match);
    if (match.severity === 'ignore') {
      ignored++;
      continue;
    }
    // A downgrade only: an override asking for worse than the rule gives leaves the finding as it is.
    if (atLeast(match.severity, finding.severity)) kept.push(finding);
    else kept.push({ ...finding, severity: match.severity, override: { from: finding.severity, reason: match.reason, at: match.at } });
  }
  const unused = valid
    .filter((o) => !used.has(o))
    .map((o) => `${o.at}: override of ${o.rule} for ${subjectOf(o)} matched nothing; remove it if the migration is done`);
  return { findings: kept, ignored, errors, unused };
}

function applies(o: DiffOverride, f: Finding): boolean {
  if (o.rule !== f.rule) return false;
  if (o.tool !== undefined && (f.subject.kind !== 'tool' || f.subject.name !== o.tool)) return false;
  if (o.agent !== undefined && (f.subject.kind !== 'agent' || f.subject.name !== o.agent)) return false;
  if (o.mcp !== undefined && (f.subject.kind !== 'mcp' || f.subject.name !== o.mcp)) return false;
  if (o.pointer !== undefined && f.pointer !== o.pointer && !f.pointer.startsWith(o.pointer + '/')) return false;
  return true;
}

/** What an override is for, in words. */
function subjectOf(o: DiffOverride): string {
  if (o.tool !== undefined) return `tool ${o.tool}`;
  if (o.mcp !== undefined) return `MCP server ${o.mcp}`;
  return `agent ${o.agent ?? '?'}`;
}
