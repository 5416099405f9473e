/**
 * In an app without `pg` (a user's project: the built runtime linked into a folder that lacks the
 * optional peers), `schemantic/graph/postgres` still imports, and a store that needs a pool of its
 * own says what to install when first used. The same app runs a graph from `schemantic/define`
 * with the file store to its waiting node and resumes it: the bundles work with no peer at all.
 */
import { describe, expect, it } from 'vitest';
import { bareApp } from '../../helpers/bare-app.js';

const APP = `
import { UserError } from 'schemantic';
import { defineGraph } from 'schemantic/define';
import { FileGraphStore } from 'schemantic/graph/file';
import { PostgresGraphStore } from 'schemantic/graph/postgres';
import { VERSION } from 'schemantic';

// Validators as a generated module would give them (no Ajv needed at run time).
const check = (test) => Object.assign((value) => test(value), { errors: null });
const spec = {
  runtime: '^' + VERSION,
  name: 'confirm',
  start: 'ask',
  state: { schema: { type: 'object' } },
  nodes: [
    { name: 'ask', key: 'ask', next: [{ node: 'confirm' }], end: false },
    { name: 'confirm', key: 'confirm', waitsFor: { type: 'string' }, next: [], end: true },
  ],
  validators: async () => ({
    validateState: check((s) => typeof s === 'object' && s !== null),
    inputs: {},
    replies: { confirm: check((r) => typeof r === 'string') },
  }),
  mermaid: 'stateDiagram-v2',
};
const handlers = {
  ask: (ctx, next) => ((ctx.state.asked = true), next.confirm()),
  confirm: (ctx, next) => next.end({ confirmed: ctx.reply === 'yes' }),
};

const store = new FileGraphStore('./runs');
const first = await defineGraph(spec, handlers).run({ state: {}, runId: 'r1', persistence: store });
const second = await defineGraph(spec, handlers).resume('r1', { persistence: store, reply: 'yes' });

let pg = null;
try {
  await new PostgresGraphStore({ connectionString: 'postgres://127.0.0.1:9/none' }).load('r1');
} catch (error) {
  pg = { userError: UserError.isInstance(error), message: error.message };
}
console.log(JSON.stringify({ file: [first.status, second.status, second.output, second.state], pg }));
`;

const runApp = bareApp('graph-no-pg', APP);

describe('schemantic/graph/postgres without pg', () => {
  it('imports, and says what to install when the store first needs a pool', () => {
    const child = runApp();
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout.trim())).toEqual({
      file: ['waiting', 'ended', { confirmed: true }, { asked: true }],
      pg: { userError: true, message: 'schemantic/graph/postgres needs node-postgres (pg is not installed): npm install pg@"^8"' },
    });
  });
});
