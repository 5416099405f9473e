/**
 * The README's definitions examples stand on their own: each YAML block under "Definitions" is
 * what a reader copies first, so each must generate without a problem (the first one used to
 * fail with `unknown-tool get_weather`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryReader, runPipeline } from '@schemantic/cli';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The YAML code blocks of the README's "Definitions" section. */
function definitionsBlocks(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Definitions\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe("the README's definitions examples", () => {
  it('are there', () => {
    expect(definitionsBlocks().length).toBeGreaterThan(0);
  });

  it.each(definitionsBlocks().map((text, i) => [i + 1, text] as const))('block %i generates without a problem', async (_i, text) => {
    const result = await runPipeline({ reader: memoryReader({ 'example.yaml': text }), displayPrefix: 'schemas/' });
    expect(result.problems.map((p) => `${p.code}: ${p.message}`)).toEqual([]);
    expect(result.files.size).toBeGreaterThan(0);
  });
});
