/**
 * What keeps the runtime package bundleable and its manifests honest: the one list of entry points
 * agrees with package.json exports and tsconfig paths, nothing in the runtime imports Node's
 * built-ins (only the Node HTTP entry point names their types), and the precompiled history
 * validator matches the schema it was compiled from.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesValidatorFiles } from '../../scripts/messages-validator.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' || entry.name === 'node_modules' ? [] : sources(rel);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

describe('the runtime package', () => {
  it('has exports and tsconfig paths made from runtime/entry-points.json', () => {
    const check = spawnSync(process.execPath, ['scripts/entry-points.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(root, 'runtime/package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
    // Types come first in every condition object (what TypeScript and publint want).
    for (const [key, value] of Object.entries(pkg.exports)) if (typeof value === 'object') expect([key, Object.keys(value)[0]]).toEqual([key, 'types']);
  });

  it('imports no node:* module, except the types of the Node HTTP entry point', () => {
    const offenders = sources('runtime').flatMap((file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      return [...text.matchAll(/^import (type )?[^;]*?from '(node:[^']+)'/gm)]
        .filter((m) => !(file === 'runtime/http/node.ts' && m[1] === 'type '))
        .map((m) => `${file}: ${m[2]}`);
    });
    expect(offenders).toEqual([]);
  });

  it('ships the history validator compiled from the current schema', () => {
    for (const [file, text] of Object.entries(messagesValidatorFiles())) {
      expect(readFileSync(path.join(root, file), 'utf8'), `${file} is stale: npm run build:messages-validator`).toBe(text);
    }
  });

  it('parses a history the same before and after the precompiled validator has loaded', () => {
    // In a fresh process, the first parse runs before the validator's chunk has arrived (the
    // same schema is then compiled in Node); the second after it. Both must agree.
    const script = `
      import { parseMessages } from 'schemantic';
      const good = JSON.stringify({ version: 1, messages: [{ kind: 'request', parts: [{ kind: 'user-prompt', content: 'hi', timestamp: '2026-01-01T00:00:00Z' }] }] });
      const bad = JSON.stringify({ version: 1, messages: [{ kind: 'request', parts: [{ kind: 'user-prompt', content: 'hi', timestamp: '2026-01-01T00:00:00Z', extra: 1 }] }] });
      const attempt = (json) => { try { return parseMessages(json).length; } catch (e) { return e.message; } };
      const early = [attempt(good), attempt(bad)];
      await new Promise((resolve) => setTimeout(resolve, 50));
      console.log(JSON.stringify({ early, late: [attempt(good), attempt(bad)] }));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const { early, late } = JSON.parse(result.stdout) as { early: unknown[]; late: unknown[] };
    expect(late).toEqual([1, 'malformed message history at messages[0].parts[0]: unknown field "extra"']);
    expect(early).toEqual(late);
  });
});
