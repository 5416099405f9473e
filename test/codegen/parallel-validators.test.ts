/**
 * Validators modules are shared between the main thread and a worker through a queue, and each
 * thread compiles them on one Ajv instance that it reuses. Whatever the split (which thread takes
 * which module, and in what order each thread compiles its share), the files must be those of
 * emitting everything in one go, and problems must come out in one order.
 */
import { describe, expect, it } from 'vitest';
import { schemanticCorpus } from '../../bench/corpus.js';
import { analyze } from '../../codegen/compiler/analyze.js';
import type { IR } from '../../codegen/compiler/ir/types.js';
import { memoryReader } from '../../codegen/compiler/load.js';
import type { Problem } from '../../codegen/compiler/problems.js';
import { compileValidators, EXTERNAL_REF } from '../../codegen/targets/typescript/ajv-module.js';
import { emitValidatorFiles, validatorModules } from '../../codegen/targets/typescript/emit-validators.js';
import { format } from '../../codegen/targets/typescript/format.js';
import { claimer, createValidatorQueue, drainValidatorQueue, joinValidatorOutputs, type ValidatorQueue } from '../../codegen/targets/typescript/parallel.js';

async function corpusIR(): Promise<IR> {
  const analysis = await analyze({ reader: memoryReader(schemanticCorpus({ agents: 12, tools: 24, types: 12 })), displayPrefix: 'schemas' });
  expect(analysis.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return analysis.ir;
}

/** A deterministic pseudo-random sequence (so a failure can be replayed). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Takes the given modules of the queue, in the given order (a thread's share, as a split made it). */
function takeFrom(modules: readonly string[]): () => string | undefined {
  let i = 0;
  return () => modules[i++];
}

/** Emits `queue` as two threads would with the shares `assign` gives them (thread 0 first). */
function emitSplit(ir: IR, queue: ValidatorQueue, assign: (module: string, index: number) => 0 | 1, reverse = false) {
  const shares: [string[], string[]] = [[], []];
  queue.modules.forEach((m, i) => shares[assign(m, i)].push(m));
  if (reverse) shares.forEach((s) => s.reverse());
  return joinValidatorOutputs(shares.map((share) => drainValidatorQueue(ir, queue, undefined, takeFrom(share))));
}

describe('validators shared between threads', () => {
  it('gives the same files whatever the split and the order of each share', async () => {
    const ir = await corpusIR();
    const all = emitValidatorFiles(ir);
    const expected = [...format(all.files)].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(expected.length).toBe(2 * validatorModules(ir).length);
    const queue = createValidatorQueue(validatorModules(ir));
    const next = random(7);
    const splits: [string, (m: string, i: number) => 0 | 1, boolean?][] = [
      ['all on one thread', () => 0],
      ['all on the other, smallest first', () => 1, true],
      ['alternating', (_m, i) => (i % 2) as 0 | 1],
      ['a few large ones, then the rest', (_m, i) => (i < 5 ? 0 : 1)],
      ['tools on one, the rest on the other', (m) => (m.includes('/tools/') ? 1 : 0), true],
      ['at random', () => (next() < 0.5 ? 0 : 1)],
    ];
    for (const [name, assign, reverse] of splits) {
      const joined = emitSplit(ir, queue, assign, reverse);
      expect(
        [...joined.files].sort(([a], [b]) => (a < b ? -1 : 1)),
        name,
      ).toEqual(expected);
      expect(joined.problems, name).toEqual([]);
    }
  });

  it('takes each module once when threads claim from the same queue', async () => {
    const ir = await corpusIR();
    const queue = createValidatorQueue(validatorModules(ir));
    const claim = claimer(queue);
    // Claims interleaved as two threads make them: between two claims of this thread, the other
    // claims one (emitted afterwards here, its claims being what matters).
    const theirs: string[] = [];
    const mine = drainValidatorQueue(ir, queue, undefined, () => {
      const module = claim();
      const other = claim();
      if (other !== undefined) theirs.push(other);
      return module;
    });
    const other = drainValidatorQueue(ir, queue, undefined, takeFrom(theirs));
    const modules = (files: Map<string, string>) => [...files.keys()].filter((p) => p.endsWith('.js')).map((p) => p.slice(0, -3));
    expect(theirs.length).toBe(Math.floor(queue.modules.length / 2));
    expect([...modules(mine.files), ...modules(other.files)].sort()).toEqual([...queue.modules].sort());
    // Once drained, the queue has nothing left for a late thread.
    expect(drainValidatorQueue(ir, queue).files.size).toBe(0);
  });

  it('orders the queue largest first, ties by module', () => {
    const queue = createValidatorQueue([
      { module: 'validators/types/b', cost: 5 },
      { module: 'validators/types/a', cost: 5 },
      { module: 'validators/tools/c', cost: 9 },
      { module: 'validators/agents/d', cost: 1 },
    ]);
    expect(queue.modules).toEqual(['validators/tools/c', 'validators/types/a', 'validators/types/b', 'validators/agents/d']);
  });

  it('orders problems the same whichever thread met them', () => {
    const problem = (file: string, line: number, pointer: string): Problem => ({
      code: 'invalid-schema',
      message: 'the validator compiler rejects this schema: bad',
      file,
      line,
      col: 3,
      pointer,
      severity: 'error',
    });
    const problems = [problem('b.yaml', 1, '/tools/x'), problem('a.yaml', 9, '/types/T'), problem('a.yaml', 9, '/types/S'), problem('a.yaml', 2, '')];
    const one = joinValidatorOutputs([
      { files: new Map(), problems: problems.slice(0, 2) },
      { files: new Map(), problems: problems.slice(2) },
    ]);
    const other = joinValidatorOutputs([
      { files: new Map(), problems: [...problems].reverse() },
      { files: new Map(), problems: [] },
    ]);
    expect(other.problems).toEqual(one.problems);
    expect(one.problems.map((p) => `${p.file}:${p.line} ${p.pointer}`)).toEqual(['a.yaml:2 ', 'a.yaml:9 /types/S', 'a.yaml:9 /types/T', 'b.yaml:1 /tools/x']);
  });
});

describe("a thread's Ajv instance, reused across modules", () => {
  const args = {
    type: 'object',
    properties: {
      when: { type: 'string', format: 'date' },
      code: { type: 'string', pattern: '^[A-Z]{3}$' },
      place: { [EXTERNAL_REF]: 'validatePlace' },
      tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    },
    required: ['when'],
  };
  const other = { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, n: { type: 'integer', minimum: 1 } } };

  it('compiles a module the same whatever it compiled before', () => {
    const alone = compileValidators([{ exportName: 'validateArgs', schema: args }]);
    compileValidators([
      { exportName: 'validateArgs', schema: other },
      { exportName: 'validateReturn', schema: args },
    ]);
    compileValidators([{ exportName: 'validateOther', schema: { $id: 'https://example.com/other', ...other } }]);
    expect(compileValidators([{ exportName: 'validateArgs', schema: args }])).toEqual(alone);
    // Numbering starts again with each module, as on a new instance.
    expect(alone.ok && alone.code).toMatch(/^export const validateArgs = validate0;$/m);
  });

  it('compiles a module the same after one the compiler rejected', () => {
    const alone = compileValidators([{ exportName: 'validateArgs', schema: args }]);
    const rejected = compileValidators([
      { exportName: 'validateArgs', schema: other },
      { exportName: 'validateReturn', schema: { type: 'string', pattern: '(' } },
    ]);
    expect(rejected.ok).toBe(false);
    expect(compileValidators([{ exportName: 'validateArgs', schema: args }])).toEqual(alone);
  });
});
