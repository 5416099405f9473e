/**
 * The built package, as a user's Node loads it: `schemantic` and `schemantic/testing` resolve
 * through package.json exports to the bundled runtime (dist/bundle), in plain Node without tsx.
 * The two entry points must share one runtime: the same classes, the same model registry and the
 * same run scopes.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const script = `
import { agent, defineTool, UserError } from 'schemantic';
import { captureRunMessages, TestModel, setAllowModelRequests } from 'schemantic/testing';

const add = defineTool({
  name: 'add',
  parameters: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'] },
  handler: (_ctx, { a, b }) => a + b,
});
const calc = agent({ name: 'calc', model: 'test', tools: [add] });
// A run started from the main entry is seen by a scope of the testing entry.
const captured = await captureRunMessages(() => calc.run('1 + 2?'));
const model = new TestModel();
setAllowModelRequests(false);
const blocked = await calc.run('?', { model: 'openai:gpt-4o' }).catch((e) => e);
console.log(JSON.stringify({
  output: captured.value.output,
  messages: captured.messages.length,
  testModelIsModel: typeof model.request === 'function',
  blockedIsUserError: UserError.isInstance(blocked),
}));
`;

describe('the built package in plain Node', () => {
  it('loads the bundled entry points, which share one runtime', () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report['output']).toMatch(/^\{"add":-?\d+\}$/);
    expect(report['messages']).toBe(4);
    expect(report['testModelIsModel']).toBe(true);
    expect(report['blockedIsUserError']).toBe(true);
  });

  it('resolves the entry points to the bundle', () => {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('schemantic'), import.meta.resolve('schemantic/testing'))"], { cwd: root, encoding: 'utf8' });
    expect(result.stdout.trim().split(' ').map((u) => path.relative(root, new URL(u).pathname))).toEqual(['dist/bundle/index.js', 'dist/bundle/testing.js']);
  });
});
