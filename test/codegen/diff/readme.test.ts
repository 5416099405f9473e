/**
 * The README's table of diff rules is the one users read: it must list every rule with the
 * severities rules.ts gives it, so that the two cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../codegen/diff/rules.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

describe('the README table of diff rules', () => {
  it('lists every rule, with its severity on each side', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const rows = new Map([...readme.matchAll(/^\| `([a-z-]+)` \| ([a-z-]+) \| ([a-z-]+) \| (.+) \|$/gm)].map((m) => [m[1]!, [m[2], m[3], m[4]]]));
    for (const [id, rule] of Object.entries(RULES)) expect(rows.get(id), id).toEqual([rule.input.severity, rule.output.severity, rule.summary]);
    expect([...rows.keys()].filter((id) => !(id in RULES))).toEqual([]);
  });
});
