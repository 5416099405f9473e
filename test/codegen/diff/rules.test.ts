/**
 * `schemantic diff` rules, table-driven: a base corpus, one edit per row, and the exact findings
 * (severity, rule, contract, pointer) the edit must produce, nothing more. Every rule appears at
 * least once, in each direction where direction matters; edits that look alike but sit on
 * different sides of a contract (a new enum value in a parameter and in an output) are judged
 * differently.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../codegen/diff/rules.js';
import { brief, diffDocs, type Doc } from './helpers.js';

/** The corpus every row starts from: one tool, one shared type, two agents (one delegating). */
function base(): Doc {
  return {
    spec: 'schemantic/v1',
    types: {
      Kind: { type: 'object', properties: { kind: { enum: ['a', 'b'] } }, required: ['kind'], additionalProperties: false },
      Place: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      Spot: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      Tree: { type: 'object', properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/types/Tree' } } }, required: ['label'] },
    },
    tools: {
      t: {
        description: 'Looks things up.',
        parameters: {
          type: 'object',
          properties: {
            city: { type: 'string', description: 'The city.' },
            n: { type: 'integer', maximum: 10 },
            mode: { enum: ['fast', 'slow'] },
            code: { type: 'string', pattern: '^[A-Z]+$', format: 'email' },
            tags: { type: 'array', items: { type: 'string' } },
            pick: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
            kind: { $ref: '#/types/Kind' },
            place: { $ref: '#/types/Place' },
            ratio: { type: 'number' },
            ids: { type: 'array', items: { type: 'integer' }, uniqueItems: true },
            word: { type: 'string', not: { const: 'x' } },
          },
          required: ['city'],
        },
        returns: {
          type: 'object',
          properties: {
            temp: { type: 'integer', minimum: -100 },
            label: { type: 'string' },
            unit: { enum: ['C', 'F'] },
            kind: { $ref: '#/types/Kind' },
            level: { type: 'number' },
          },
          required: ['temp', 'label'],
          additionalProperties: false,
        },
      },
      walk: { description: 'Walks a tree.', parameters: { type: 'object', properties: { tree: { $ref: '#/types/Tree' } }, required: ['tree'] } },
      // Deferred tools: one needs approval, the caller runs the other.
      pay: { description: 'Pays.', parameters: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] }, approval: 'required' },
      form: { description: 'Shows a form.', parameters: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] }, external: true },
    },
    agents: {
      a: {
        description: 'Answers.',
        model: 'openai:gpt-4o',
        instructions: 'Be brief with {{user}}.',
        context: { type: 'object', properties: { user: { type: 'string' } }, required: ['user'] },
        tools: ['t', 'walk'],
        output: {
          type: 'object',
          properties: { answer: { type: 'string' }, score: { type: 'integer' }, kind: { $ref: '#/types/Kind' } },
          required: ['answer', 'score'],
        },
        retries: 2,
      },
      u: {
        model: 'openai:gpt-4o',
        tools: ['a'],
        output: [{ $ref: '#/types/Place' }, { title: 'Failure', type: 'object', properties: { reason: { type: 'string' } } }],
      },
      m: { model: 'test', mcp: ['s'] },
    },
    // An MCP server: its tools' arguments are written here and read by the server, their results the other way.
    mcp: {
      s: {
        command: 'node',
        args: ['server.js'],
        tools: {
          find: {
            description: 'Finds a store.',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            returns: { type: 'object', properties: { status: { enum: ['open', 'closed', 'unknown'] } }, required: ['status'] },
            annotations: { readOnlyHint: true },
          },
        },
      },
    },
  };
}

type Edit = (d: Record<string, any>) => void;
const tool = (d: Record<string, any>) => d['tools']['t'];
const params = (d: Record<string, any>) => tool(d)['parameters']['properties'];
const returns = (d: Record<string, any>) => tool(d)['returns'];
const agentA = (d: Record<string, any>) => d['agents']['a'];
const output = (d: Record<string, any>) => agentA(d)['output'];
const server = (d: Record<string, any>) => d['mcp']['s'];
const find = (d: Record<string, any>) => server(d)['tools']['find'];

/** [what, edit, expected findings as `severity rule subject pointer`]. */
const rows: [string, Edit, string[]][] = [
  // Tool parameters: written by the model and stored histories, read by the handler.
  [
    'a new required parameter',
    (d) => ((params(d).units = { type: 'string' }), tool(d).parameters.required.push('units')),
    ['breaking property-added-required tool:t /parameters/properties/units'],
  ],
  ['a new optional parameter', (d) => (params(d).units = { type: 'string' }), ['safe property-added-optional tool:t /parameters/properties/units']],
  ['a removed parameter', (d) => delete params(d).n, ['breaking property-removed tool:t /parameters/properties/n']],
  ['a renamed parameter', (d) => ((params(d).count = params(d).n), delete params(d).n), ['breaking property-renamed tool:t /parameters/properties/n']],
  ['a parameter made required', (d) => tool(d).parameters.required.push('n'), ['breaking property-made-required tool:t /parameters/properties/n']],
  ['a parameter made optional', (d) => (tool(d).parameters.required = []), ['safe property-made-optional tool:t /parameters/properties/city']],
  [
    'a parameter narrowed from number to integer',
    (d) => (params(d).ratio.type = 'integer'),
    ['breaking type-narrowed tool:t /parameters/properties/ratio/type'],
  ],
  [
    'types added to parameters',
    (d) => ((params(d).city.type = ['string', 'null']), (params(d).ratio.type = ['number', 'string'])),
    ['safe type-widened tool:t /parameters/properties/city/type', 'safe type-widened tool:t /parameters/properties/ratio/type'],
  ],
  ['a parameter widened from integer to number', (d) => (params(d).n.type = 'number'), ['safe type-widened tool:t /parameters/properties/n/type']],
  ['a parameter made nullable', (d) => (params(d).city.type = ['string', 'null']), ['safe type-widened tool:t /parameters/properties/city/type']],
  ['a parameter changed from string to integer', (d) => (params(d).city.type = 'integer'), ['breaking type-changed tool:t /parameters/properties/city/type']],
  ['an enum value removed from a parameter', (d) => (params(d).mode.enum = ['fast']), ['breaking enum-value-removed tool:t /parameters/properties/mode/enum']],
  ['an enum value added to a parameter', (d) => params(d).mode.enum.push('medium'), ['safe enum-value-added tool:t /parameters/properties/mode/enum']],
  ['a parameter restricted to values', (d) => (params(d).city.enum = ['Paris']), ['breaking values-restricted tool:t /parameters/properties/city/enum']],
  ['a parameter no longer restricted', (d) => delete params(d).mode.enum, ['safe values-unrestricted tool:t /parameters/properties/mode/enum']],
  ['a parameter bound tightened', (d) => (params(d).n.maximum = 5), ['breaking bound-tightened tool:t /parameters/properties/n/maximum']],
  ['a parameter bound added', (d) => (params(d).city.maxLength = 80), ['breaking bound-tightened tool:t /parameters/properties/city/maxLength']],
  ['a parameter bound loosened', (d) => (params(d).n.maximum = 50), ['safe bound-loosened tool:t /parameters/properties/n/maximum']],
  ['a parameter multipleOf added', (d) => (params(d).n.multipleOf = 2), ['breaking bound-tightened tool:t /parameters/properties/n/multipleOf']],
  ['a pattern added to a parameter', (d) => (params(d).city.pattern = '^[A-Z]'), ['breaking pattern-added tool:t /parameters/properties/city/pattern']],
  ['a pattern removed from a parameter', (d) => delete params(d).code.pattern, ['safe pattern-removed tool:t /parameters/properties/code/pattern']],
  ['a pattern changed', (d) => (params(d).code.pattern = '^[a-z]+$'), ['potentially-breaking pattern-changed tool:t /parameters/properties/code/pattern']],
  ['a format added to a parameter', (d) => (params(d).city.format = 'uri'), ['breaking format-added tool:t /parameters/properties/city/format']],
  ['a format removed from a parameter', (d) => delete params(d).code.format, ['safe format-removed tool:t /parameters/properties/code/format']],
  ['a format changed', (d) => (params(d).code.format = 'uri'), ['breaking format-changed tool:t /parameters/properties/code/format']],
  [
    'parameters closed to unlisted properties',
    (d) => (tool(d).parameters.additionalProperties = false),
    ['breaking additional-properties-closed tool:t /parameters/additionalProperties'],
  ],
  [
    'an alternative removed from a parameter',
    (d) => (params(d).pick.anyOf = [{ type: 'string' }]),
    ['breaking variant-removed tool:t /parameters/properties/pick/anyOf/1'],
  ],
  [
    'an alternative added to a parameter',
    (d) => params(d).pick.anyOf.push({ type: 'boolean' }),
    ['safe variant-added tool:t /parameters/properties/pick/anyOf/2'],
  ],
  [
    'uniqueItems added to a parameter',
    (d) => (params(d).tags.uniqueItems = true),
    ['breaking constraint-added tool:t /parameters/properties/tags/uniqueItems'],
  ],
  ['uniqueItems removed from a parameter', (d) => delete params(d).ids.uniqueItems, ['safe constraint-removed tool:t /parameters/properties/ids/uniqueItems']],
  [
    'a not constraint changed',
    (d) => (params(d).word.not = { const: 'y' }),
    ['potentially-breaking constraint-changed tool:t /parameters/properties/word/not'],
  ],
  ['a not constraint added', (d) => (params(d).city.not = { const: 'x' }), ['breaking constraint-added tool:t /parameters/properties/city/not']],
  ['an items schema narrowed', (d) => (params(d).tags.items.maxLength = 3), ['breaking bound-tightened tool:t /parameters/properties/tags/items/maxLength']],
  [
    'a parameter description changed',
    (d) => (params(d).city.description = 'The town.'),
    ['behavioural description-changed tool:t /parameters/properties/city/description'],
  ],
  ['a parameter default added', (d) => (params(d).n.default = 3), ['behavioural annotation-changed tool:t /parameters/properties/n/default']],
  // Tool returns: written by the handler, read by the model and by consumers.
  [
    'a field removed from returns',
    (d) => ((returns(d).properties.label = undefined), delete returns(d).properties.label, (returns(d).required = ['temp'])),
    ['breaking property-removed tool:t /returns/properties/label'],
  ],
  ['a returned field made optional', (d) => (returns(d).required = ['temp']), ['breaking property-made-optional tool:t /returns/properties/label']],
  ['a returned field made required', (d) => returns(d).required.push('unit'), ['potentially-breaking property-made-required tool:t /returns/properties/unit']],
  ['a new optional returned field', (d) => (returns(d).properties.note = { type: 'string' }), ['safe property-added-optional tool:t /returns/properties/note']],
  [
    'a new required returned field',
    (d) => ((returns(d).properties.note = { type: 'string' }), returns(d).required.push('note')),
    ['potentially-breaking property-added-required tool:t /returns/properties/note'],
  ],
  ['a returned type widened', (d) => (returns(d).properties.temp.type = 'number'), ['breaking type-widened tool:t /returns/properties/temp/type']],
  [
    'a returned type narrowed',
    (d) => (returns(d).properties.level.type = 'integer'),
    ['potentially-breaking type-narrowed tool:t /returns/properties/level/type'],
  ],
  [
    'a returned value made nullable',
    (d) => (returns(d).properties.level.type = ['number', 'null']),
    ['breaking type-widened tool:t /returns/properties/level/type'],
  ],
  ['an enum value added to returns', (d) => returns(d).properties.unit.enum.push('K'), ['breaking enum-value-added tool:t /returns/properties/unit/enum']],
  [
    'an enum value removed from returns',
    (d) => (returns(d).properties.unit.enum = ['C']),
    ['potentially-breaking enum-value-removed tool:t /returns/properties/unit/enum'],
  ],
  ['a returned bound loosened', (d) => (returns(d).properties.temp.minimum = -200), ['breaking bound-loosened tool:t /returns/properties/temp/minimum']],
  [
    'a returned bound tightened',
    (d) => (returns(d).properties.temp.minimum = 0),
    ['potentially-breaking bound-tightened tool:t /returns/properties/temp/minimum'],
  ],
  [
    'returns opened to unlisted properties',
    (d) => delete returns(d).additionalProperties,
    ['breaking additional-properties-opened tool:t /returns/additionalProperties'],
  ],
  ['returns no longer declared', (d) => delete tool(d).returns, ['breaking returns-removed tool:t /returns']],
  ['returns declared', (d) => (d['tools']['walk'].returns = { type: 'string' }), ['potentially-breaking returns-added tool:walk /returns']],
  // Tools as a whole.
  [
    'a tool removed',
    (d) => ((agentA(d).tools = ['t']), delete d['tools']['walk']),
    ['potentially-breaking agent-tool-removed agent:a /tools', 'breaking tool-removed tool:walk /'],
  ],
  ['a tool added', (d) => (d['tools']['fly'] = { parameters: { type: 'object', properties: { to: { type: 'string' } } } }), ['safe tool-added tool:fly /']],
  [
    'a tool renamed',
    (d) => ((d['tools']['stroll'] = d['tools']['walk']), delete d['tools']['walk'], (agentA(d).tools = ['t', 'stroll'])),
    ['potentially-breaking agent-tool-added agent:a /tools', 'potentially-breaking agent-tool-removed agent:a /tools', 'breaking tool-renamed tool:stroll /'],
  ],
  ['a tool description changed', (d) => (tool(d).description = 'Finds things.'), ['behavioural description-changed tool:t /description']],
  ['strict turned off', (d) => (tool(d).strict = false), ['behavioural setting-changed tool:t /strict']],
  // Deferred tools: judged by what they do to the agents that have them.
  ['a tool made to need approval', (d) => (tool(d).approval = 'conditional'), ['breaking tool-approval-added tool:t /approval']],
  ['a tool no longer needing approval', (d) => delete d['tools']['pay'].approval, ['potentially-breaking tool-approval-removed tool:pay /approval']],
  ["a tool's approval made conditional", (d) => (d['tools']['pay'].approval = 'conditional'), ['breaking tool-approval-changed tool:pay /approval']],
  ['a tool made external', (d) => (d['tools']['walk'].external = true), ['breaking tool-external-added tool:walk /external']],
  ['a tool no longer external', (d) => delete d['tools']['form'].external, ['potentially-breaking tool-external-removed tool:form /external']],
  // Agent output: written by the model, read by the app.
  [
    'an enum value added to an output (shared type)',
    (d) => (d['types']['Kind'].properties.kind.enum = ['a', 'b', 'c']),
    [
      'breaking enum-value-added agent:a /output/properties/kind/properties/kind/enum',
      'safe enum-value-added tool:t /parameters/properties/kind/properties/kind/enum',
      'breaking enum-value-added tool:t /returns/properties/kind/properties/kind/enum',
    ],
  ],
  [
    'an output field removed',
    (d) => ((output(d).required = ['answer']), delete output(d).properties.score),
    ['breaking property-removed agent:a /output/properties/score'],
  ],
  ['an output field made optional', (d) => (output(d).required = ['answer']), ['breaking property-made-optional agent:a /output/properties/score']],
  ['an output type widened', (d) => (output(d).properties.score.type = 'number'), ['breaking type-widened agent:a /output/properties/score/type']],
  ['a new optional output field', (d) => (output(d).properties.note = { type: 'string' }), ['safe property-added-optional agent:a /output/properties/note']],
  ['output changed to text', (d) => (agentA(d).output = { type: 'string' }), ['breaking output-kind-changed agent:a /output']],
  ['output mode changed', (d) => (agentA(d).output_mode = 'native'), ['breaking output-mode-changed agent:a /output_mode']],
  ['a union member added', (d) => d['agents']['u'].output.push({ $ref: '#/types/Kind' }), ['breaking output-member-added agent:u /output/Kind']],
  ['a union member removed', (d) => d['agents']['u'].output.pop(), ['potentially-breaking output-member-removed agent:u /output/Failure']],
  [
    'a union reduced to one member',
    (d) => (d['agents']['u'].output = [{ $ref: '#/types/Place' }]),
    ['potentially-breaking output-member-removed agent:u /output/Failure'],
  ],
  [
    'a single output becomes a union',
    (d) => (agentA(d).output = [{ title: 'Answer', ...output(d) }, { $ref: '#/types/Kind' }]),
    ['breaking output-member-renamed agent:a /output/Answer', 'breaking output-member-added agent:a /output/Kind'],
  ],
  ['a union member renamed', (d) => (d['agents']['u'].output[1].title = 'Problem'), ['breaking output-member-renamed agent:u /output/Problem']],
  [
    'a union member narrowed',
    (d) => (d['agents']['u'].output[1].properties.reason.maxLength = 100),
    ['potentially-breaking bound-tightened agent:u /output/Failure/properties/reason/maxLength'],
  ],
  // Agent context: written by the calling app, read by the instructions.
  [
    'a context field added as required',
    (d) => ((agentA(d).context.properties.lang = { type: 'string' }), agentA(d).context.required.push('lang')),
    ['breaking property-added-required agent:a /context/properties/lang'],
  ],
  [
    'a context removed',
    (d) => ((agentA(d).instructions = 'Be brief.'), delete agentA(d).context),
    ['behavioural instructions-changed agent:a /instructions', 'potentially-breaking context-removed agent:a /context'],
  ],
  [
    'a context added',
    (d) => (d['agents']['u'].context = { type: 'object', properties: { user: { type: 'string' } } }),
    ['breaking context-added agent:u /context'],
  ],
  // Agents as a whole.
  ['an agent removed', (d) => delete d['agents']['u'], ['breaking agent-removed agent:u /']],
  ['an agent added', (d) => (d['agents']['v'] = { model: 'openai:gpt-4o' }), ['safe agent-added agent:v /']],
  ['a tool given to an agent', (d) => (d['agents']['u'].tools = ['a', 't']), ['potentially-breaking agent-tool-added agent:u /tools']],
  ['a delegate taken from an agent', (d) => delete d['agents']['u'].tools, ['potentially-breaking agent-delegate-removed agent:u /tools']],
  [
    'a delegate given to an agent',
    (d) => ((d['agents']['v'] = { model: 'openai:gpt-4o' }), (d['agents']['u'].tools = ['a', 'v'])),
    ['potentially-breaking agent-delegate-added agent:u /tools', 'safe agent-added agent:v /'],
  ],
  ['instructions changed', (d) => (agentA(d).instructions = 'Be very brief with {{user}}.'), ['behavioural instructions-changed agent:a /instructions']],
  ['the model changed', (d) => (agentA(d).model = 'anthropic:claude-sonnet-5-5'), ['behavioural model-changed agent:a /model']],
  [
    'settings changed',
    (d) => ((agentA(d).retries = 3), (agentA(d).usage_limits = { requests: 5 }), (agentA(d).model_settings = { temperature: 0.2 })),
    [
      'behavioural setting-changed agent:a /model_settings/temperature',
      'behavioural setting-changed agent:a /retries',
      'behavioural setting-changed agent:a /usage_limits/requests',
    ],
  ],
  ['an agent description changed', (d) => (agentA(d).description = 'Answers well.'), ['behavioural description-changed agent:a /description']],
  // References.
  [
    'a $ref retargeted to another shape',
    (d) => (params(d).place = { $ref: '#/types/Kind' }),
    [
      'potentially-breaking ref-retargeted tool:t /parameters/properties/place',
      'breaking property-added-required tool:t /parameters/properties/place/properties/kind',
      'breaking property-removed tool:t /parameters/properties/place/properties/name',
      'breaking additional-properties-closed tool:t /parameters/properties/place/additionalProperties',
    ],
  ],
  [
    'a $ref retargeted to a type of the same shape',
    (d) => (params(d).place = { $ref: '#/types/Spot' }),
    ['safe ref-renamed tool:t /parameters/properties/place'],
  ],
  [
    'a recursive type changed',
    (d) => (d['types']['Tree'].properties.label.maxLength = 9),
    ['breaking bound-tightened tool:walk /parameters/properties/tree/properties/label/maxLength'],
  ],
  // MCP servers: a tool's arguments are input (callers write them, the server reads them), its structured result output.
  ['an MCP server added', (d) => (d['mcp']['s2'] = { url: 'http://127.0.0.1:3001/mcp' }), ['safe mcp-server-added mcp:s2 /']],
  [
    'an MCP server removed, and from its agent',
    (d) => (delete d['mcp']['s'], (d['agents']['m'].mcp = [])),
    ['breaking mcp-server-removed mcp:s /', 'potentially-breaking agent-mcp-removed agent:m /mcp'],
  ],
  ['an MCP server given to an agent', (d) => (d['agents']['u'].mcp = ['s']), ['behavioural agent-mcp-added agent:u /mcp']],
  [
    'a new required argument of an MCP tool',
    (d) => ((find(d).parameters.properties.country = { type: 'string' }), find(d).parameters.required.push('country')),
    ['breaking property-added-required mcp:s /tools/find/parameters/properties/country'],
  ],
  [
    'a new optional argument of an MCP tool',
    (d) => (find(d).parameters.properties.country = { type: 'string' }),
    ['safe property-added-optional mcp:s /tools/find/parameters/properties/country'],
  ],
  [
    "an MCP tool's result enum narrowed",
    (d) => (find(d).returns.properties.status.enum = ['open', 'closed']),
    ['potentially-breaking enum-value-removed mcp:s /tools/find/returns/properties/status/enum'],
  ],
  [
    "an MCP tool's result enum widened",
    (d) => find(d).returns.properties.status.enum.push('moved'),
    ['breaking enum-value-added mcp:s /tools/find/returns/properties/status/enum'],
  ],
  [
    'an MCP tool removed, one added, a hint and a description changed',
    (d) => {
      server(d).tools.list = { parameters: { type: 'object', properties: { page: { type: 'integer' } } } };
      find(d).annotations.readOnlyHint = false;
      find(d).description = 'Finds the nearest store.';
    },
    [
      'safe tool-added mcp:s /tools/list',
      'behavioural annotation-changed mcp:s /tools/find/annotations/readOnlyHint',
      'behavioural description-changed mcp:s /tools/find/description',
    ],
  ],
  ['an MCP tool removed', (d) => delete server(d).tools.find, ['breaking tool-removed mcp:s /tools/find']],
  ["an MCP server's command changed", (d) => (server(d).args = ['server.js', '--fast']), ['behavioural setting-changed mcp:s /args']],
  ['nothing changed', () => undefined, []],
];

describe('schemantic diff rules', () => {
  it.each(rows)('%s', async (_what, edit, expected) => {
    const after = base();
    edit(after);
    const found = (await diffDocs({ 'defs.json': base() }, { 'defs.json': after })).map(brief);
    expect(found.sort()).toEqual([...expected].sort());
  });

  it('has a row for every rule', () => {
    const covered = new Set(rows.flatMap(([, , expected]) => expected.map((e) => e.split(' ')[1])));
    const missing = Object.keys(RULES).filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });
});
