/**
 * The built package, as a user's Node loads it: `schemantic` and `schemantic/testing` resolve
 * through runtime/package.json exports to the bundled runtime (runtime/dist), in plain Node without tsx.
 * The two entry points must share one runtime: the same classes, the same model registry and the
 * same run scopes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it('gives the same adapter class by constructor (schemantic/openai) and by id', () => {
    const check = `
      import { resolveModel } from 'schemantic';
      import { OpenAIChatModel } from 'schemantic/openai';
      import { AnthropicModel } from 'schemantic/anthropic';
      const byId = await resolveModel('openai:gpt-4o');
      const claude = await resolveModel('anthropic:claude-sonnet-4-5');
      console.log(JSON.stringify([byId instanceof OpenAIChatModel, claude instanceof AnthropicModel, byId.system, claude.name]));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', check], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, OPENAI_API_KEY: 'sk-test-package', ANTHROPIC_API_KEY: 'sk-test-package' },
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([true, true, 'openai', 'claude-sonnet-4-5']);
  });

  it('resolves the entry points to the bundle', () => {
    const list = JSON.parse(readFileSync(path.join(root, 'runtime/entry-points.json'), 'utf8')) as { entries: { specifier: string; bundle: string }[] };
    const entries = list.entries.map((e) => e.specifier);
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', `console.log(${entries.map((e) => `import.meta.resolve('${e}')`).join(', ')})`], {
      cwd: root,
      encoding: 'utf8',
    });
    // node_modules/schemantic is the workspace's link to runtime/, so paths come back real.
    expect(
      result.stdout
        .trim()
        .split(' ')
        .map((u) => path.relative(root, new URL(u).pathname)),
    ).toEqual(list.entries.map((e) => `runtime/dist/${e.bundle}.js`));
  });

  it('loads schemantic/http in plain Node and formats an event', () => {
    const check = "import { sseMessage } from 'schemantic/http'; process.stdout.write(sseMessage('a\\nb', 'part-delta'));";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', check], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('event: part-delta\ndata: a\ndata: b\n\n');
  });
});
