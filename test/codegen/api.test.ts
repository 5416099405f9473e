/**
 * The generator as a library (`@schemantic/cli`): generate in memory, write, check again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyWrite, formatProblem, memoryReader, planWrite, readGenerated, runPipeline } from '@schemantic/cli';

describe('@schemantic/cli', () => {
  it('generates from memory, writes, and finds nothing to do the second time', async () => {
    const files = { 'a.yaml': 'spec: schemantic/v1\nagents:\n  helper:\n    instructions: Help.\n' };
    const result = await runPipeline({ reader: memoryReader(files), displayPrefix: 'defs' });
    expect(result.problems).toEqual([]);
    expect([...result.files.keys()]).toEqual(['agents/helper.ts', 'index.ts']);
    const out = await mkdtemp(path.join(os.tmpdir(), 'schemantic-api-'));
    try {
      await applyWrite(out, result.files, planWrite(result.files, await readGenerated(out)));
      const again = planWrite(result.files, await readGenerated(out));
      expect(again).toEqual({ missing: [], changed: [], unchanged: ['agents/helper.ts', 'index.ts'], extra: [] });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
    const bad = await runPipeline({ reader: memoryReader({ 'a.yaml': 'spec: 1\n' }), displayPrefix: 'defs' });
    expect(bad.problems.map(formatProblem)).toEqual(['defs/a.yaml:1:7 error unsupported-spec /spec: unsupported spec 1: this generator reads "schemantic/v1"']);
  });
});
